import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/errors/cli-error.js';
import { assumeRoleCachePath, writeCachedAssumedRole } from '../src/resolve/assume-role-cache.js';
import { roleProfileOf } from '../src/resolve/role-profile.js';
import { adminIam, createKey, createUser, motoUrl, uniqueName } from './iam-fixtures.js';
import { startFaultProxy, type FaultProxy } from './iam-rotate-fixtures.js';
import { ensureBuilt } from './support/built.js';
import { binPath, runBuilt, runInProcess, tempHome } from './support/cli.js';
import { fakePrompter } from './support/fake-prompter.js';
import { needs } from './support/optional-tools.js';

/**
 * `awskeys env` / `credential-process` for assume-role profiles, against moto behind a recording
 * proxy (every STS request is seen, with the key that signed it). Assumed-role credentials land in
 * the AWS CLI's cache (~/.aws/cli/cache) under botocore's own key, so botocore reuses ours and we
 * reuse botocore's, neither calling STS again.
 */

const ACCOUNT = '123456789012';

let proxy: FaultProxy;
let env: Record<string, string>;
let home: string;
let base: { accessKeyId: string; secretAccessKey: string };
let deployArn: string;
let adminArn: string;

beforeAll(ensureBuilt, 120_000);

async function createRole(prefix: string): Promise<string> {
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] };
  const out = await adminIam().send(new CreateRoleCommand({ RoleName: uniqueName(prefix), AssumeRolePolicyDocument: JSON.stringify(trust) }));
  return out.Role?.Arn ?? '';
}

beforeEach(async () => {
  proxy = await startFaultProxy(motoUrl());
  base = await createKey(await createUser('ar-base'));
  deployArn = await createRole('deploy');
  adminArn = await createRole('admin');
  ({ home, env } = await tempHome({
    config: [
      '[profile deploy]',
      `role_arn = ${deployArn}`,
      'source_profile = base',
      'region = eu-west-1',
      '[profile admin]',
      `role_arn = ${adminArn}`,
      'source_profile = deploy',
      'role_session_name = admin-session',
      '[profile loop-a]',
      `role_arn = ${deployArn}`,
      'source_profile = loop-b',
      '[profile loop-b]',
      `role_arn = ${adminArn}`,
      'source_profile = loop-a',
      '[profile mfa]',
      `role_arn = ${deployArn}`,
      'source_profile = base',
      `mfa_serial = arn:aws:iam::${ACCOUNT}:mfa/me`,
      '[profile from-env]',
      `role_arn = ${deployArn}`,
      'credential_source = Environment',
      'external_id = ext-1',
      'duration_seconds = 900',
      '[profile imds]',
      `role_arn = ${deployArn}`,
      'credential_source = Ec2InstanceMetadata',
      ...[1, 2, 3, 4, 5, 6].flatMap((i) => [`[profile c${i}]`, `role_arn = ${deployArn}`, `source_profile = ${i < 6 ? `c${i + 1}` : 'base'}`]),
      '[profile via-cp]',
      `credential_process = ${process.execPath} ${binPath} credential-process --profile deploy`,
      '',
    ].join('\n'),
    credentials: `[base]\naws_access_key_id = ${base.accessKeyId}\naws_secret_access_key = ${base.secretAccessKey}\n`,
  }));
  env = {
    ...env,
    AWS_ENDPOINT_URL_STS: proxy.url,
    AWS_ENDPOINT_URL_IAM: proxy.url,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
});

afterEach(async () => {
  await proxy.close();
});

const cliCacheDir = () => join(home, '.aws', 'cli', 'cache');

async function cacheEntry(profile: string, settings: Record<string, string>) {
  const path = assumeRoleCachePath(cliCacheDir(), roleProfileOf(profile, settings));
  return JSON.parse(await readFile(path, 'utf8')) as {
    Credentials: Record<string, string>;
    AssumedRoleUser: { Arn: string };
  };
}

/** botocore's own AssumeRoleProvider, with the AWS CLI's JSONFileCache on our cache folder. */
async function botocoreCredentials(profile: string, withCache = true): Promise<string[]> {
  const script = [
    'import json, sys, botocore.session',
    'from botocore.credentials import JSONFileCache',
    's = botocore.session.Session(profile=sys.argv[1])',
    "if sys.argv[2]: s.get_component('credential_provider').get_provider('assume-role').cache = JSONFileCache(sys.argv[2])",
    'c = s.get_credentials().get_frozen_credentials()',
    'print(json.dumps([c.access_key, c.secret_key, c.token]))',
  ].join('\n');
  const { stdout } = await promisify(execFile)('python3', ['-c', script, profile, withCache ? cliCacheDir() : ''], {
    env: { PATH: process.env.PATH, AWS_DEFAULT_REGION: 'us-east-1', ...env },
  });
  return JSON.parse(stdout) as string[];
}

const assumeRoleCalls = () => proxy.seen.filter((r) => r.action === 'AssumeRole');

describe('awskeys env for a role_arn + source_profile profile', () => {
  it('assumes the role with the source keys, prints the session credentials, and a second call makes no STS call', async () => {
    const first = await runInProcess(['env', '--profile', 'deploy'], { env });
    expect(first.stderr).toBe('');
    expect(proxy.seen.map((r) => [r.action, r.signedBy, r.params.RoleArn])).toEqual([['AssumeRole', base.accessKeyId, deployArn]]);
    expect(proxy.seen[0]?.params.RoleSessionName).toMatch(/^awskeys-\d{10}$/);

    const entry = await cacheEntry('deploy', { role_arn: deployArn, source_profile: 'base' });
    const c = entry.Credentials;
    expect(c.AccessKeyId).toMatch(/^ASIA/);
    expect(c.AccountId).toBe(ACCOUNT);
    expect(entry.AssumedRoleUser.Arn).toMatch(new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/deploy-[0-9a-f]+/awskeys-\\d+$`));
    expect(first).toEqual({
      code: 0,
      stdout: [
        `export AWS_ACCESS_KEY_ID='${c.AccessKeyId}'`,
        `export AWS_SECRET_ACCESS_KEY='${c.SecretAccessKey}'`,
        `export AWS_SESSION_TOKEN='${c.SessionToken}'`,
        `export AWS_CREDENTIAL_EXPIRATION='${c.Expiration}'`,
        `export AWS_REGION='eu-west-1'`,
        `export AWS_DEFAULT_REGION='eu-west-1'`,
        '',
      ].join('\n'),
      stderr: '',
    });
    expect(Date.parse(c.Expiration ?? '') - Date.now()).toBeGreaterThan(50 * 60_000);

    // The built binary on a cache hit: no STS call, so no SDK and no handover either.
    const second = await runBuilt(['env', '--profile', 'deploy'], { env });
    expect(second).toEqual(first);
    expect(proxy.seen).toHaveLength(1);
    // node's own loader trace: the lean bundle alone served it, no handover to the full one.
    const traced = await runBuilt(['env', '--profile', 'deploy'], { env: { ...env, NODE_DEBUG: 'module,esm' } });
    expect(traced.stdout).toBe(first.stdout);
    expect(traced.stderr).toMatch(/dist\/entry\.cjs/);
    expect(traced.stderr).not.toMatch(/full-entry|@aws-sdk|@smithy/);
  });

  it('replaces an entry within five minutes of expiry: the built binary hands over and calls STS once', async () => {
    const role = roleProfileOf('deploy', { role_arn: deployArn, source_profile: 'base' });
    await writeCachedAssumedRole(cliCacheDir(), role, {
      credentials: { accessKeyId: 'ASIASTALE', secretAccessKey: 's', sessionToken: 't', expiration: new Date(Date.now() + 4 * 60_000) },
      assumedRoleUser: undefined,
      requestId: undefined,
    });
    const r = await runBuilt(['credential-process', '--profile', 'deploy'], { env });
    expect([r.code, r.stderr]).toEqual([0, '']);
    const fresh = (await cacheEntry('deploy', { role_arn: deployArn, source_profile: 'base' })).Credentials;
    expect(fresh.AccessKeyId).toMatch(/^ASIA(?!STALE)/);
    expect((JSON.parse(r.stdout) as { AccessKeyId: string }).AccessKeyId).toBe(fresh.AccessKeyId);
    expect(assumeRoleCalls().map((c) => c.signedBy)).toEqual([base.accessKeyId]);
  });

  needs('botocore').it('gives botocore (credential_process = awskeys credential-process) the same keys, and botocore reuses our cache entry', async () => {
    const printed = await runBuilt(['credential-process', '--profile', 'deploy'], { env });
    expect(printed.stderr).toBe('');
    const doc = JSON.parse(printed.stdout) as Record<string, string>;
    expect(Object.keys(doc)).toEqual(['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration', 'AccountId']);
    expect(await botocoreCredentials('via-cp', false)).toEqual([doc.AccessKeyId, doc.SecretAccessKey, doc.SessionToken]);
    expect(await botocoreCredentials('deploy')).toEqual([doc.AccessKeyId, doc.SecretAccessKey, doc.SessionToken]);
    expect(assumeRoleCalls()).toHaveLength(1);
  });

  needs('botocore').it("reuses an entry botocore wrote (the AWS CLI's cache) without calling STS", async () => {
    const keys = await botocoreCredentials('admin');
    expect(assumeRoleCalls()).toHaveLength(2);
    const r = await runInProcess(['credential-process', '--profile', 'admin'], { env });
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as Record<string, string>;
    expect([doc.AccessKeyId, doc.SecretAccessKey, doc.SessionToken]).toEqual(keys);
    expect(assumeRoleCalls()).toHaveLength(2);
  });

  it('chains role -> role -> static keys, each hop signed by the previous one and cached', async () => {
    const r = await runInProcess(['env', '--profile', 'admin', '--format', 'json'], { env });
    expect(r.stderr).toBe('');
    const calls = assumeRoleCalls();
    const deploy = await cacheEntry('deploy', { role_arn: deployArn, source_profile: 'base' });
    const admin = await cacheEntry('admin', { role_arn: adminArn, source_profile: 'deploy', role_session_name: 'admin-session' });
    expect(calls.map((c) => [c.signedBy, c.params.RoleArn, c.params.RoleSessionName?.replace(/\d+$/, 'N')])).toEqual([
      [base.accessKeyId, deployArn, 'awskeys-N'],
      [deploy.Credentials.AccessKeyId, adminArn, 'admin-session'],
    ]);
    expect(JSON.parse(r.stdout)).toMatchObject({ AccessKeyId: admin.Credentials.AccessKeyId, SessionToken: admin.Credentials.SessionToken });
    expect(admin.AssumedRoleUser.Arn).toMatch(/assumed-role\/admin-[0-9a-f]+\/admin-session$/);
  });

  it('refuses a source_profile loop with exit 3 before calling STS', async () => {
    const r = await runInProcess(['env', '--profile', 'loop-a'], { env });
    expect(r).toEqual({
      code: ExitCode.File,
      stdout: '',
      stderr:
        'awskeys: error: The source_profile settings of profile loop-a loop: loop-a -> loop-b -> loop-a. (hint: point one of them at a profile with access keys or SSO settings)\n',
    });
    expect(proxy.seen).toEqual([]);
  });

  it('refuses a chain of more than five roles with exit 3 before calling STS', async () => {
    const r = await runInProcess(['env', '--profile', 'c1'], { env });
    expect(r).toEqual({
      code: ExitCode.File,
      stdout: '',
      stderr:
        'awskeys: error: Profile c1 chains more than 5 roles: c1 -> c2 -> c3 -> c4 -> c5 -> c6. (hint: shorten the chain: point a source_profile at a profile with access keys or SSO settings)\n',
    });
    expect(proxy.seen).toEqual([]);
    expect((await runInProcess(['env', '--profile', 'c2'], { env })).code).toBe(0);
    expect(assumeRoleCalls()).toHaveLength(5);
  });
});

describe('awskeys env for a profile with mfa_serial', () => {
  it('without a code or a terminal: exit 7 naming --mfa-code, and no STS call (docs/mfa.md; test/env-mfa.test.ts has the rest)', async () => {
    const prompter = fakePrompter({});
    const r = await runInProcess(['env', '--profile', 'mfa'], { env, prompter });
    expect(r).toEqual({
      code: ExitCode.NeedsInput,
      stdout: '',
      stderr: `awskeys: error: Profile mfa needs a code from MFA device arn:aws:iam::${ACCOUNT}:mfa/me, and there is no terminal to ask on. (hint: pass --mfa-code CODE with the 6 digits the device shows, e.g. awskeys env --profile mfa --mfa-code 123456; the session is then cached)\n`,
    });
    expect(prompter.asked).toEqual([]);
    expect(proxy.seen).toEqual([]);
  });

  it('uses credentials the AWS CLI cached after its MFA prompt', async () => {
    const role = roleProfileOf('mfa', { role_arn: deployArn, source_profile: 'base', mfa_serial: `arn:aws:iam::${ACCOUNT}:mfa/me` });
    const expiration = new Date(Date.now() + 3_600_000);
    await writeCachedAssumedRole(cliCacheDir(), role, {
      credentials: { accessKeyId: 'ASIAMFA', secretAccessKey: 'mfa-secret', sessionToken: 'mfa-token', expiration, accountId: ACCOUNT },
      assumedRoleUser: undefined,
      requestId: undefined,
    });
    const r = await runBuilt(['env', '--profile', 'mfa', '--format', 'dotenv'], { env });
    expect(r).toEqual({
      code: 0,
      stdout: `AWS_ACCESS_KEY_ID="ASIAMFA"\nAWS_SECRET_ACCESS_KEY="mfa-secret"\nAWS_SESSION_TOKEN="mfa-token"\nAWS_CREDENTIAL_EXPIRATION="${expiration.toISOString().slice(0, 19)}Z"\n`,
      stderr: '',
    });
    expect(proxy.seen).toEqual([]);
  });
});

describe('awskeys env for a role_arn + credential_source profile', () => {
  it('Environment: assumes the role with the keys in the environment, passing external_id and duration_seconds', async () => {
    const r = await runInProcess(['env', '--profile', 'from-env', '--format', 'json'], {
      env: { ...env, AWS_ACCESS_KEY_ID: base.accessKeyId, AWS_SECRET_ACCESS_KEY: base.secretAccessKey },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(assumeRoleCalls().map((c) => [c.signedBy, c.params.RoleArn, c.params.ExternalId, c.params.DurationSeconds])).toEqual([
      [base.accessKeyId, deployArn, 'ext-1', '900'],
    ]);
    expect((JSON.parse(r.stdout) as { AccessKeyId: string }).AccessKeyId).toMatch(/^ASIA/);
  });

  it('a refused AssumeRole: the AWS-service exit code, one line with a hint naming external_id, never its value, and nothing cached', async () => {
    proxy.faults.push({ action: 'AssumeRole', effect: 'deny' });
    const r = await runInProcess(['env', '--profile', 'from-env'], {
      env: { ...env, AWS_ACCESS_KEY_ID: base.accessKeyId, AWS_SECRET_ACCESS_KEY: base.secretAccessKey },
    });
    expect(r).toEqual({
      code: ExitCode.AwsService,
      stdout: '',
      stderr: `awskeys: error: Assuming role ${deployArn} for profile from-env: AccessDenied (HTTP 403): AssumeRole refused by the test proxy (hint: check role_arn and external_id of profile from-env, and that the role's trust policy allows the source identity)\n`,
    });
    expect(r.stderr).not.toContain('ext-1');
    expect(assumeRoleCalls()).toHaveLength(1);
    await expect(readFile(assumeRoleCachePath(cliCacheDir(), roleProfileOf('from-env', { role_arn: deployArn, credential_source: 'Environment', external_id: 'ext-1', duration_seconds: '900' })))).rejects.toThrow(/ENOENT/);
  });

  it('Environment without keys in the environment: exit 4', async () => {
    const r = await runInProcess(['env', '--profile', 'from-env'], { env });
    expect(r).toEqual({
      code: ExitCode.Credentials,
      stdout: '',
      stderr:
        'awskeys: error: Profile from-env has credential_source = Environment, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set. (hint: export both (and AWS_SESSION_TOKEN for temporary keys), or use source_profile instead)\n',
    });
  });

  it('Ec2InstanceMetadata: exit 4 pointing at the AWS CLI', async () => {
    const r = await runInProcess(['env', '--profile', 'imds'], { env });
    expect(r).toEqual({
      code: ExitCode.Credentials,
      stdout: '',
      stderr:
        'awskeys: error: Profile imds takes its source credentials from credential_source = Ec2InstanceMetadata, which awskeys does not resolve. (hint: use the AWS CLI for it: aws configure export-credentials --profile imds --format env)\n',
    });
    expect(proxy.seen).toEqual([]);
  });
});

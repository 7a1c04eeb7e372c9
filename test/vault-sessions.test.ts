import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKey, createUser, motoUrl } from './iam-fixtures.js';
import { ensureBuilt } from './support/built.js';
import { binPath, repoRoot, runBuilt, tempHome, type TempHome } from './support/cli.js';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js';
import { needs } from './support/optional-tools.js';
import { SECRET_SERVICE_TOOLS, useSecretService } from './support/secret-service.js';
import { filesHoldingSecrets } from './support/secrets-under-home.js';
import { spawnCollecting } from './support/spawn.js';

/**
 * Using a vault profile (docs/vault.md, "Sessions"): env, credential-process and exec hand out an
 * STS GetSessionToken session made with the key in the store, cached in the same store item, and
 * never the key itself unless --no-session says so; awskeys' own IAM calls sign with the key. The
 * AWS CLI, boto3 and the JS SDK read the profile through its credential_process line. Each store
 * is used for real: the vault file with real scrypt and AES-GCM, the keychain on gnome-keyring
 * (test/support/secret-service.ts), through the built binary, against moto's STS and IAM behind a
 * recording proxy (which shows which key signed each call). After every test no file under HOME
 * holds the key's secret or the session's.
 *
 * moto answers every GetSessionToken with the same example session, valid for the duration asked.
 */

const SESSION = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY' };
const CONFIG = '[profile dev]\nregion = eu-west-1\n';
/** This PATH, and node's folder (bin/awskeys.js is a node script); no `awskeys` is on it, so the credential_process line names bin/awskeys.js by its path. */
const PATH = `${process.env.PATH ?? ''}:${dirname(process.execPath)}`;
const self = execFileSync('realpath', [binPath]).toString().trim();

beforeAll(ensureBuilt, 120_000);

interface StoreCase {
  store: 'file' | 'keychain';
  env: () => Record<string, string>;
}

function usingAVaultProfile(c: StoreCase): void {
  let proxy: FaultProxy;
  let h: TempHome;
  let key: { accessKeyId: string; secretAccessKey: string };
  let userName: string;
  const env = (): Record<string, string> => ({
    PATH,
    ...h.env,
    ...c.env(),
    AWS_ENDPOINT_URL_STS: proxy.url,
    AWS_ENDPOINT_URL_IAM: proxy.url,
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  const run = (args: string[]) => runBuilt(args, { env: env() });
  const sessionCalls = () => proxy.seen.filter((r) => r.action === 'GetSessionToken');

  beforeEach(async () => {
    proxy = await startFaultProxy(motoUrl());
    userName = await createUser('vault-use');
    key = await createKey(userName);
    h = await tempHome({ config: CONFIG, credentials: `[dev]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`, modes: 'private' });
    expect((await run(['vault', 'move', '--profile', 'dev', '--to', c.store])).code).toBe(0);
    expect(await readFile(h.config, 'utf8')).toBe(`${CONFIG}credential_process = ${self} credential-process --profile dev\nawskeys_vault = ${c.store}\n`);
  });
  afterEach(async () => {
    expect(await filesHoldingSecrets(h.home, key.secretAccessKey, SESSION.secretAccessKey)).toEqual([]);
    await proxy.close();
  });

  it('env prints a session made with the stored key, not the key; the next env is served from the store with no STS call', async () => {
    const first = await run(['env', '--profile', 'dev', '--format', 'dotenv']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const printed = Object.fromEntries(first.stdout.trim().split('\n').map((line) => line.split(/=(.*)/s)).map(([k, v]) => [k, JSON.parse(v ?? '') as string])) as Record<string, string>;
    expect(Object.keys(printed).sort()).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']);
    expect(printed).toMatchObject({ AWS_ACCESS_KEY_ID: SESSION.accessKeyId, AWS_SECRET_ACCESS_KEY: SESSION.secretAccessKey, AWS_REGION: 'eu-west-1' });
    expect(printed.AWS_SESSION_TOKEN).toMatch(/^AQoEXAMPLE/);
    expect(first.stdout).not.toContain(key.secretAccessKey);
    expect(sessionCalls()).toEqual([expect.objectContaining({ signedBy: key.accessKeyId, params: expect.objectContaining({ DurationSeconds: '3600' }) as unknown })]);
    const expiry = Date.parse(printed.AWS_CREDENTIAL_EXPIRATION ?? '');
    expect(expiry - Date.now()).toBeGreaterThan(3500_000);

    const second = await run(['env', '--profile', 'dev', '--format', 'dotenv']);
    expect(second).toEqual(first);
    expect(sessionCalls()).toHaveLength(1);
    const viaProcess = await run(['credential-process', '--profile', 'dev']);
    expect(viaProcess.code).toBe(0);
    expect(JSON.parse(viaProcess.stdout)).toEqual({
      Version: 1,
      AccessKeyId: SESSION.accessKeyId,
      SecretAccessKey: SESSION.secretAccessKey,
      SessionToken: printed.AWS_SESSION_TOKEN,
      Expiration: printed.AWS_CREDENTIAL_EXPIRATION,
    });
    expect(sessionCalls()).toHaveLength(1);
  });

  it('--no-session hands over the key itself; --duration asks a session of that length, and one of another length is not reused', async () => {
    const keyOut = await run(['env', '--profile', 'dev', '--no-session', '--format', 'dotenv', '--no-region']);
    expect(keyOut).toEqual({ code: 0, stderr: '', stdout: `AWS_ACCESS_KEY_ID="${key.accessKeyId}"\nAWS_SECRET_ACCESS_KEY="${key.secretAccessKey}"\n` });
    const processKey = await run(['credential-process', '--profile', 'dev', '--no-session']);
    expect(JSON.parse(processKey.stdout)).toEqual({ Version: 1, AccessKeyId: key.accessKeyId, SecretAccessKey: key.secretAccessKey });
    expect(sessionCalls()).toEqual([]);

    expect((await run(['credential-process', '--profile', 'dev', '--duration', '2h'])).code).toBe(0);
    expect((await run(['env', '--profile', 'dev', '--duration=7200'])).code).toBe(0);
    expect((await run(['env', '--profile', 'dev'])).code).toBe(0);
    expect(sessionCalls().map((r) => r.params.DurationSeconds)).toEqual(['7200', '3600']);

    const bad = await run(['env', '--profile', 'dev', '--duration', '10m']);
    expect(bad).toEqual({ code: 2, stdout: '', stderr: 'awskeys: error: --duration "10m" is not from 15 minutes to 36 hours. (hint: e.g. --duration 1h, 90m or 3600)\n' });
  });

  it('exec gives the command the session, exec --no-session the key', async () => {
    const print = ['-e', 'process.stdout.write([process.env.AWS_ACCESS_KEY_ID, process.env.AWS_SESSION_TOKEN ? "token" : "no token"].join(" "))'];
    const withSession = await run(['exec', '--profile', 'dev', '--', process.execPath, ...print]);
    expect(withSession).toEqual({ code: 0, stdout: `${SESSION.accessKeyId} token`, stderr: '' });
    const withKey = await run(['exec', '--profile', 'dev', '--no-session', '--', process.execPath, ...print]);
    expect(withKey).toEqual({ code: 0, stdout: `${key.accessKeyId} no token`, stderr: '' });
    expect(sessionCalls()).toHaveLength(1);
  });

  it("awskeys' own IAM calls sign with the stored key, not a session (IAM refuses sessions made without MFA)", async () => {
    const listed = await run(['iam', 'list-keys', '--profile', 'dev', '--json']);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(key.accessKeyId);
    const iamCalls = proxy.seen.filter((r) => r.action === 'ListAccessKeys');
    expect(iamCalls.length).toBeGreaterThan(0);
    expect(new Set(iamCalls.map((r) => r.signedBy))).toEqual(new Set([key.accessKeyId]));
    expect(sessionCalls()).toEqual([]);
  });

  needs('aws').it('the AWS CLI reads the profile through its credential_process line and signs with the session', async () => {
    const { exited } = spawnCollecting('aws', ['sts', 'get-caller-identity', '--profile', 'dev', '--output', 'json'], { cwd: h.home, env: env() });
    const r = await exited;
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toHaveProperty('Account');
    expect(proxy.seen.filter((s) => s.action === 'GetCallerIdentity').map((s) => s.signedBy)).toEqual([SESSION.accessKeyId]);
    expect(sessionCalls()).toHaveLength(1);
  });

  needs('boto3').it('boto3 reads it the same way', async () => {
    const script = 'import boto3; print(boto3.Session(profile_name="dev").client("sts").get_caller_identity()["Account"])';
    const r = await spawnCollecting('python3', ['-c', script], { cwd: h.home, env: env() }).exited;
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(proxy.seen.filter((s) => s.action === 'GetCallerIdentity').map((s) => s.signedBy)).toEqual([SESSION.accessKeyId]);
  });

  it("the JS SDK's default chain reads it the same way", async () => {
    const script = [
      "const { defaultProvider } = require('@aws-sdk/credential-provider-node');",
      "defaultProvider({ profile: 'dev' })().then((c) => process.stdout.write(c.accessKeyId + ' ' + Boolean(c.sessionToken)));",
    ].join('\n');
    const r = await spawnCollecting(process.execPath, ['-e', script], { cwd: repoRoot, env: env() }).exited;
    expect(r).toEqual({ code: 0, stdout: `${SESSION.accessKeyId} true`, stderr: '' });
  });
}

describe('a vault profile in the vault file', () => {
  usingAVaultProfile({ store: 'file', env: () => ({ AWSKEYS_VAULT_PASSPHRASE: 'a long passphrase' }) });
});

needs(...SECRET_SERVICE_TOOLS).describe('a vault profile in the keychain', () => {
  const ss = useSecretService();
  usingAVaultProfile({ store: 'keychain', env: () => ss().env });
});

import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeCachedAssumedRole } from '../src/resolve/assume-role-cache.js';
import { roleProfileOf } from '../src/resolve/role-profile.js';
import { adminIam, createKey, createUser, motoUrl, uniqueName } from './iam-fixtures.js';
import { ensureBuilt } from './support/built.js';
import { repoRoot, runBuilt, tempHome } from './support/cli.js';
import { needs } from './support/optional-tools.js';

/**
 * `awskeys exec --server`: the command gets a credential endpoint on 127.0.0.1 instead of keys,
 * and the real SDKs read it (botocore and the JS SDK through AWS_CONTAINER_CREDENTIALS_FULL_URI).
 * The profile assumes a role at moto, so the identity the SDKs end up with is checked by STS.
 */

let home: string;
let env: Record<string, string>;
let roleArn: string;

beforeAll(ensureBuilt, 120_000);

beforeEach(async () => {
  const base = await createKey(await createUser('srv-base'));
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }] };
  const role = await adminIam().send(new CreateRoleCommand({ RoleName: uniqueName('srv-role'), AssumeRolePolicyDocument: JSON.stringify(trust) }));
  roleArn = role.Role?.Arn ?? '';
  ({ home, env } = await tempHome({
    config: `[profile deploy]\nrole_arn = ${roleArn}\nsource_profile = base\nregion = eu-west-1\n`,
    credentials: `[base]\naws_access_key_id = ${base.accessKeyId}\naws_secret_access_key = ${base.secretAccessKey}\n`,
  }));
  env = { ...env, PATH: process.env.PATH ?? '/usr/bin:/bin', AWS_ENDPOINT_URL_STS: motoUrl(), AWS_EC2_METADATA_DISABLED: 'true' };
});

const assumedRoleArn = () => new RegExp(`^arn:aws:sts::123456789012:assumed-role/${roleArn.split('/')[1] ?? ''}/awskeys-\\d+$`);

describe('awskeys exec --server', () => {
  needs('botocore').it('botocore in the command gets container credentials and calls STS as the role; no keys in its environment', async () => {
    const script = [
      'import json, os, botocore.session',
      's = botocore.session.Session()',
      'c = s.get_credentials()',
      "print(json.dumps({'method': c.method, 'arn': s.create_client('sts').get_caller_identity()['Arn'],",
      "  'env': sorted(k for k in os.environ if k.startswith('AWS'))}))",
    ].join('\n');
    const result = await runBuilt(['exec', '-p', 'deploy', '--server', '--', 'python3', '-c', script], { env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const seen = JSON.parse(result.stdout) as { method: string; arn: string; env: string[] };
    expect(seen.method).toBe('container-role');
    expect(seen.arn).toMatch(assumedRoleArn());
    expect(seen.env).toEqual([
      'AWSKEYS_PROFILE',
      'AWS_CONFIG_FILE',
      'AWS_CONTAINER_AUTHORIZATION_TOKEN',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
      'AWS_DEFAULT_REGION',
      'AWS_EC2_METADATA_DISABLED',
      'AWS_ENDPOINT_URL_STS',
      'AWS_REGION',
      'AWS_SHARED_CREDENTIALS_FILE',
    ]);
  });

  it("the JS SDK's default chain in the command reads it too", async () => {
    const script = [
      "const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');",
      'new STSClient({}).send(new GetCallerIdentityCommand({})).then((r) => console.log(r.Arn));',
    ].join('\n');
    // The SDK's own Node-version notice is the command's business: this user turned it off.
    const quiet = { ...env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    const result = await runBuilt(['exec', '-p', 'deploy', '--server', '--', process.execPath, '-e', script], { env: quiet, cwd: repoRoot });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toMatch(assumedRoleArn());
  });

  it('answers 403 without the token or with a wrong one, and stops when the command ends', async () => {
    const script = [
      'const url = process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;',
      'const token = process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN;',
      'const status = (headers) => fetch(url, { headers }).then((r) => r.status);',
      'Promise.all([status({}), status({ authorization: token.slice(0, -1) }), status({ authorization: token + "x" }), status({ authorization: token })])',
      '  .then((s) => console.log(JSON.stringify({ url, statuses: s })));',
    ].join('\n');
    const result = await runBuilt(['exec', '-p', 'deploy', '--server', '--', process.execPath, '-e', script], { env });
    expect(result.stderr).toBe('');
    const { url, statuses } = JSON.parse(result.stdout) as { url: string; statuses: number[] };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/credentials$/);
    expect(statuses).toEqual([403, 403, 403, 200]);
    await expect(connectTo(new URL(url))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('hands out new credentials when the ones it holds are about to expire', async () => {
    // The role's cached credentials expire in 5 minutes and 10 seconds: good to start with, and
    // within 10 seconds too close to expiry for the endpoint, which must then assume the role again.
    const expiration = new Date(Date.now() + 5 * 60_000 + 10_000);
    await writeCachedAssumedRole(join(home, '.aws', 'cli', 'cache'), roleProfileOf('deploy', { role_arn: roleArn, source_profile: 'base' }), {
      credentials: { accessKeyId: 'ASIACACHEDSHORTLIVED', secretAccessKey: 'cached-secret', sessionToken: 'cached-token', expiration },
      assumedRoleUser: undefined,
      requestId: undefined,
    });
    const script = [
      'const get = () => fetch(process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI, { headers: { authorization: process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN } }).then((r) => r.json());',
      '(async () => {',
      '  const first = await get();',
      // Wait until fewer than 5 minutes remain on the first ones.
      '  await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(first.Expiration) - 5 * 60_000 - Date.now() + 1000)));',
      '  const second = await get();',
      '  console.log(JSON.stringify({ first, second, at: new Date().toISOString() }));',
      '})();',
    ].join('\n');
    const result = await runBuilt(['exec', '-p', 'deploy', '--server', '--', process.execPath, '-e', script], { env });
    expect(result.stderr).toBe('');
    const { first, second, at } = JSON.parse(result.stdout) as { first: Record<string, string>; second: Record<string, string>; at: string };
    expect(first).toEqual({
      AccessKeyId: 'ASIACACHEDSHORTLIVED',
      SecretAccessKey: 'cached-secret',
      Token: 'cached-token',
      Expiration: expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    expect(second.AccessKeyId).toMatch(/^ASIA/);
    expect(second.AccessKeyId).not.toBe(first.AccessKeyId);
    expect(Date.parse(second.Expiration ?? '') - Date.parse(at)).toBeGreaterThan(50 * 60_000);
  }, 60_000);

  it('warns when a [default] profile with credentials would win over the endpoint in the SDKs', async () => {
    await writeFile(env.AWS_SHARED_CREDENTIALS_FILE ?? '', '[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = d\n', { flag: 'a' });
    const result = await runBuilt(['exec', '-p', 'deploy', '--server', '--', 'true'], { env });
    expect(result).toEqual({
      code: 0,
      stdout: '',
      stderr:
        "awskeys: warning: profile default has credentials of its own, and AWS SDKs read [default] before the credential server, so the command will likely use them instead of profile deploy's (hint: run without --server)\n",
    });
  });
});

function connectTo(url: URL): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

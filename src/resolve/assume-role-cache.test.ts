import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeCachedRoleCredentials } from '../sso/role-credentials-cache.js';
import { accountOfArn, assumeRoleCachePath, readCachedAssumedRole, writeCachedAssumedRole } from './assume-role-cache.js';
import { roleProfileOf } from './role-profile.js';
import { tempHome } from '../../test/support/temp-home.js';
import { needs } from '../../test/support/optional-tools.js';

const ARN = 'arn:aws:iam::123456789012:role/Deploy';

/**
 * The cache key botocore's own AssumeRoleProvider uses for profile `p` with these settings, read
 * from a real config file (so botocore does its own parsing of every setting): the cache records
 * the key it is asked for and stops the refresh there, before any STS call.
 */
async function botocoreKey(settings: Record<string, string>): Promise<string> {
  const lines = ['[profile p]', `role_arn = ${ARN}`, 'source_profile = base', ...Object.entries(settings).map(([k, v]) => `${k} = ${v}`)];
  const home = await tempHome({ config: `${lines.join('\n')}\n`, credentials: '[base]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n' });
  const script = [
    'import botocore.session',
    'class Key(Exception): pass',
    'class RecordingCache(dict):',
    '    def __contains__(self, key): raise Key(key)',
    "s = botocore.session.Session(profile='p')",
    "s.get_component('credential_provider').get_provider('assume-role').cache = RecordingCache()",
    'try: s.get_credentials().get_frozen_credentials()',
    'except Key as k: print(k.args[0])',
  ].join('\n');
  return execFileSync('python3', ['-c', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, AWS_CONFIG_FILE: home.config, AWS_SHARED_CREDENTIALS_FILE: home.credentials, AWS_DEFAULT_REGION: 'us-east-1' },
  }).trim();
}

describe('accountOfArn', () => {
  it.each([
    ['arn:aws:sts::111122223333:assumed-role/Dev/s', '111122223333'],
    ['arn:aws:iam::111122223333:mfa/alice', '111122223333'],
    ['arn:aws:iam::11112222333:mfa/alice', undefined],
    ['arn:aws:iam::1111222233334:mfa/alice', undefined],
    ['arn:aws:iam::11112222333x:mfa/alice', undefined],
    ['arn:aws:iam::\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661:mfa/alice', undefined],
    ['not-an-arn', undefined],
    [undefined, undefined],
  ])('%j -> %j (twelve ASCII digits, as botocore reads it)', (arn, account) => {
    expect(accountOfArn(arn)).toBe(account);
  });
});

describe('assumeRoleCachePath', () => {
  needs('botocore').it.each([
    ['role_arn only (generated session name)', {}],
    ['an empty session name (generated too)', { role_session_name: '' }],
    ['a session name', { role_session_name: 'ci' }],
    ['everything', { role_session_name: 'ci', external_id: 'urn:ext/1', mfa_serial: 'arn:aws:iam::123456789012:mfa/mé', duration_seconds: '0900' }],
  ])('names the file as botocore does for %s', async (_, settings: Record<string, string>) => {
    const role = roleProfileOf('p', { role_arn: ARN, source_profile: 'base', ...settings });
    const key = await botocoreKey(settings);
    expect(key).toMatch(/^[0-9a-f]{40}$/);
    expect(basename(assumeRoleCachePath('/c', role))).toBe(`${key}.json`);
  });
});

describe('the assume-role cache', () => {
  const role = roleProfileOf('p', { role_arn: ARN, source_profile: 'base' });
  const now = new Date('2030-01-01T00:00:00Z');
  const credentials = {
    accessKeyId: 'ASIAEXAMPLE',
    secretAccessKey: 'secret',
    sessionToken: 'token',
    expiration: new Date('2030-01-01T01:00:00Z'),
    accountId: '123456789012',
  };
  const result = {
    credentials,
    assumedRoleUser: { AssumedRoleId: 'AROA:s', Arn: 'arn:aws:sts::123456789012:assumed-role/Deploy/s' },
    requestId: 'r-1',
  };

  it('writes the AssumeRole response botocore writes, mode 0600, and reads it back until five minutes before expiry', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'awskeys-ar-'));
    await writeCachedAssumedRole(dir, role, result);
    const path = assumeRoleCachePath(dir, role);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: '2030-01-01T01:00:00Z', AccountId: '123456789012' },
      AssumedRoleUser: result.assumedRoleUser,
      ResponseMetadata: { RequestId: 'r-1', HTTPStatusCode: 200, RetryAttempts: 0 },
    });
    expect(await readCachedAssumedRole(dir, role, now)).toEqual(credentials);
    expect(await readCachedAssumedRole(dir, role, new Date('2030-01-01T00:54:59Z'))).toEqual(credentials);
    expect(await readCachedAssumedRole(dir, role, new Date('2030-01-01T00:55:00Z'))).toBeUndefined();
  });

  it('reads an entry in botocore\'s own timestamp format ("...UTC") and treats a malformed one as a miss', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'awskeys-ar-'));
    const path = assumeRoleCachePath(dir, role);
    await writeFile(path, JSON.stringify({ Credentials: { AccessKeyId: 'ASIAB', SecretAccessKey: 's', SessionToken: 't', Expiration: '2030-01-01T02:00:00UTC' } }));
    expect(await readCachedAssumedRole(dir, role, now)).toEqual({
      accessKeyId: 'ASIAB',
      secretAccessKey: 's',
      sessionToken: 't',
      expiration: new Date('2030-01-01T02:00:00Z'),
      accountId: undefined,
    });
    await writeFile(path, JSON.stringify({ Credentials: { AccessKeyId: 'ASIAB', SecretAccessKey: 's', Expiration: '2030-01-01T02:00:00Z' } }));
    expect(await readCachedAssumedRole(dir, role, now)).toBeUndefined();
    await writeFile(path, 'not json');
    expect(await readCachedAssumedRole(dir, role, now)).toBeUndefined();
  });

  it('survives sso logout, which removes only SSO entries', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'awskeys-ar-'));
    await writeCachedAssumedRole(dir, role, result);
    expect(await removeCachedRoleCredentials(dir, 'all')).toBe(0);
    expect(await readdir(dir)).toEqual([basename(assumeRoleCachePath(dir, role))]);
  });
});

import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  readCachedRoleCredentials,
  removeCachedRoleCredentials,
  roleCachePath,
  writeCachedRoleCredentials,
  type RoleCacheKey,
} from './role-credentials-cache.js';
import { needs } from '../../test/support/optional-tools.js';

const sessionKey: RoleCacheKey = {
  accountId: '111122223333',
  roleName: 'Admin',
  sessionName: 'my-sso',
  startUrl: 'https://example.awsapps.com/start',
};
const legacyKey: RoleCacheKey = { accountId: '111122223333', roleName: 'Admin', startUrl: 'https://example.awsapps.com/start' };
const expiration = new Date('2030-06-01T12:00:00Z');
const creds = { accessKeyId: 'ASIAROLE', secretAccessKey: 'role-secret', sessionToken: 'role-token', expiration };

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'awskeys-rolecache-'));
}

/** botocore's own SSOCredentialFetcher cache key for the same inputs. */
function botocoreCacheKey(key: RoleCacheKey): string {
  const script = `
import json, sys
from botocore.credentials import SSOCredentialFetcher
k = json.loads(sys.stdin.read())
f = SSOCredentialFetcher(k['startUrl'], 'us-east-1', k['roleName'], k['accountId'], None, sso_session_name=k.get('sessionName'))
print(f._cache_key)`;
  const result = spawnSync('python3', ['-c', script], { input: JSON.stringify(key), encoding: 'utf8' });
  expect(result.stderr).toBe('');
  return result.stdout.trim();
}

describe('roleCachePath', () => {
  needs('botocore').it.each([
    ['an sso-session profile', sessionKey],
    ['a legacy profile (keyed by start URL)', legacyKey],
    ['names outside ASCII (escaped as Python does)', { ...sessionKey, roleName: 'Rôle-✓', sessionName: 'sëssion \u{1F600} "q"' }],
  ])('names the file exactly as botocore does for %s', (_what, key) => {
    expect(basename(roleCachePath('/cache', key))).toBe(`${botocoreCacheKey(key)}.json`);
  });
});

describe('writeCachedRoleCredentials', () => {
  it("writes the AWS CLI's entry plus SessionKey, mode 0600", async () => {
    const dir = join(await tempDir(), 'cli', 'cache');
    await writeCachedRoleCredentials(dir, sessionKey, creds);
    const path = roleCachePath(dir, sessionKey);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      ProviderType: 'sso',
      Credentials: {
        AccessKeyId: 'ASIAROLE',
        SecretAccessKey: 'role-secret',
        SessionToken: 'role-token',
        Expiration: '2030-06-01T12:00:00Z',
        AccountId: '111122223333',
      },
      SessionKey: 'my-sso',
    });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual([basename(path)]);
  });
});

describe('readCachedRoleCredentials', () => {
  it('returns what was written while more than five minutes remain, and nothing after', async () => {
    const dir = await tempDir();
    await writeCachedRoleCredentials(dir, legacyKey, creds);
    const fiveMinutesBefore = expiration.getTime() - 5 * 60 * 1000;
    expect(await readCachedRoleCredentials(dir, legacyKey, new Date(fiveMinutesBefore - 1000))).toEqual({
      ...creds,
      accountId: '111122223333',
    });
    expect(await readCachedRoleCredentials(dir, legacyKey, new Date(fiveMinutesBefore))).toBeUndefined();
    expect(await readCachedRoleCredentials(dir, sessionKey, new Date(0))).toBeUndefined();
  });

  needs('botocore').it('reads an entry the AWS CLI (botocore JSONFileCache) wrote', async () => {
    const dir = await tempDir();
    const script = `
import sys
from botocore.utils import JSONFileCache
JSONFileCache(sys.argv[1])[sys.argv[2]] = {'ProviderType': 'sso', 'Credentials': {
  'AccessKeyId': 'ASIACLI', 'SecretAccessKey': 'cli-secret', 'SessionToken': 'cli-token',
  'Expiration': '2030-06-01T12:00:00Z', 'AccountId': '111122223333'}}`;
    const key = basename(roleCachePath(dir, sessionKey), '.json');
    expect(spawnSync('python3', ['-c', script, dir, key], { encoding: 'utf8' }).stderr).toBe('');
    expect(await readCachedRoleCredentials(dir, sessionKey, new Date('2030-01-01T00:00:00Z'))).toEqual({
      accessKeyId: 'ASIACLI',
      secretAccessKey: 'cli-secret',
      sessionToken: 'cli-token',
      expiration,
      accountId: '111122223333',
    });
  });

  it.each([
    ['not JSON', '{"ProviderType": "sso", '],
    ['an assume-role entry', JSON.stringify({ Credentials: { AccessKeyId: 'A', SecretAccessKey: 'S', Expiration: '2030-06-01T12:00:00Z' } })],
    ['missing the secret', JSON.stringify({ ProviderType: 'sso', Credentials: { AccessKeyId: 'A', Expiration: '2030-06-01T12:00:00Z' } })],
    ['without a valid expiration', JSON.stringify({ ProviderType: 'sso', Credentials: { AccessKeyId: 'A', SecretAccessKey: 'S', Expiration: 'soon' } })],
  ])('treats an entry that is %s as a miss', async (_what, text) => {
    const dir = await tempDir();
    await writeFile(roleCachePath(dir, sessionKey), text);
    expect(await readCachedRoleCredentials(dir, sessionKey, new Date('2030-01-01T00:00:00Z'))).toBeUndefined();
  });
});

describe('removeCachedRoleCredentials', () => {
  async function populated(): Promise<string> {
    const dir = await tempDir();
    await writeCachedRoleCredentials(dir, sessionKey, creds);
    await writeCachedRoleCredentials(dir, { ...sessionKey, roleName: 'ReadOnly' }, creds);
    await writeCachedRoleCredentials(dir, legacyKey, creds);
    // Written by the AWS CLI: no SessionKey. And an assume-role entry, and a stray file.
    await writeFile(join(dir, 'cli-sso.json'), JSON.stringify({ ProviderType: 'sso', Credentials: {} }));
    await writeFile(join(dir, 'assume-role.json'), JSON.stringify({ Credentials: {} }));
    await writeFile(join(dir, 'notes.txt'), 'keep');
    await writeFile(join(dir, 'broken.json'), '{');
    return dir;
  }

  it("removes only the named session's entries", async () => {
    const dir = await populated();
    expect(await removeCachedRoleCredentials(dir, 'my-sso')).toBe(2);
    expect((await readdir(dir)).sort()).toEqual(
      [basename(roleCachePath(dir, legacyKey)), 'assume-role.json', 'broken.json', 'cli-sso.json', 'notes.txt'].sort(),
    );
    expect(await removeCachedRoleCredentials(dir, legacyKey.startUrl)).toBe(1);
  });

  it("with 'all' removes every SSO entry, the AWS CLI's included, and nothing else", async () => {
    const dir = await populated();
    expect(await removeCachedRoleCredentials(dir, 'all')).toBe(4);
    expect((await readdir(dir)).sort()).toEqual(['assume-role.json', 'broken.json', 'notes.txt']);
  });

  it('returns 0 when the cache folder does not exist', async () => {
    const dir = await tempDir();
    expect(await removeCachedRoleCredentials(join(dir, 'missing'), 'all')).toBe(0);
    await mkdir(join(dir, 'empty'));
    expect(await removeCachedRoleCredentials(join(dir, 'empty'), 'my-sso')).toBe(0);
  });
});

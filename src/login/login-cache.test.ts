import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { needs } from '../../test/support/optional-tools.js';
import { cliTimestamp, formatLoginCache, loginCacheDir, loginCachePath, writeLoginCache, type LoginCacheDoc } from './login-cache.js';

const dir = mkdtempSync(join(tmpdir(), 'awskeys-login-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SESSION = 'arn:aws:sts::111122223333:assumed-role/Admin/alice-é';
const doc: LoginCacheDoc = {
  accessToken: {
    accessKeyId: 'ASIAEXAMPLE',
    secretAccessKey: 'secret/with+chars',
    sessionToken: 'token=="quoted"',
    accountId: '111122223333',
    expiresAt: cliTimestamp(new Date('2026-12-07T07:30:45.678Z')),
  },
  tokenType: 'aws_sigv4',
  clientId: 'arn:aws:signin:::devtools/same-device',
  refreshToken: 'refresh-é',
  idToken: 'a.b.c',
  dpopKey: '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n',
};

/** botocore's own writer (LoginTokenLoader over JSONFileCache, what `aws login` uses): the oracle. */
function botocoreWrites(cacheDir: string): string {
  const script = [
    'import json, sys',
    'from botocore.utils import JSONFileCache, LoginTokenLoader',
    'LoginTokenLoader(JSONFileCache(sys.argv[1])).save_token(sys.argv[2], json.loads(sys.stdin.read()))',
  ].join('\n');
  execFileSync('python3', ['-c', script, cacheDir, SESSION], { input: JSON.stringify(doc) });
  return cacheDir;
}

describe('the aws login cache file', () => {
  needs('botocore').it('has the name and the exact bytes botocore writes for the same session', async () => {
    const theirs = botocoreWrites(join(dir, 'botocore'));
    const path = await loginCachePath(theirs, SESSION);
    expect(formatLoginCache(doc)).toBe(readFileSync(path, 'utf8'));
  });

  it('is written at 0600, as the document it was given', async () => {
    const path = await loginCachePath(join(dir, 'mode'), SESSION);
    expect(await writeLoginCache(path, doc)).toEqual([]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(doc);
  });

  needs('botocore').it('is loaded by botocore as awskeys wrote it', async () => {
    const ours = join(dir, 'ours');
    const path = await loginCachePath(ours, SESSION);
    expect(await writeLoginCache(path, doc)).toEqual([]);
    const loaded = execFileSync('python3', ['-c', 'import json, sys\nfrom botocore.utils import JSONFileCache, LoginTokenLoader\nprint(json.dumps(LoginTokenLoader(JSONFileCache(sys.argv[1])).load_token(sys.argv[2])))', ours, SESSION], { encoding: 'utf8' });
    expect(JSON.parse(loaded)).toEqual(doc);
  });

  it('writes expiresAt as the CLI does: whole seconds and a Z', () => {
    expect(doc.accessToken.expiresAt).toBe('2026-12-07T07:30:45Z');
  });

  it('lives in AWS_LOGIN_CACHE_DIRECTORY, else ~/.aws/login/cache (an empty variable counts as unset)', () => {
    expect(loginCacheDir({ AWS_LOGIN_CACHE_DIRECTORY: '/x/y' }, '/home/a')).toBe('/x/y');
    expect(loginCacheDir({ AWS_LOGIN_CACHE_DIRECTORY: '' }, '/home/a')).toBe('/home/a/.aws/login/cache');
    expect(loginCacheDir({}, '/home/a')).toBe('/home/a/.aws/login/cache');
  });

  const dirs = ['/x/y', '/x/y/', '/x//y', 'rel', 'rel/', '', '.', '/x/../y', '/', '~/cache'];

  it.each(dirs.map((d) => [d]))('names the file in the folder %j as given, as os.path.join does', async (folder) => {
    const name = `${createHash('sha256').update(SESSION, 'utf8').digest('hex')}.json`;
    const expected = folder === '' ? name : folder.endsWith('/') ? folder + name : `${folder}/${name}`;
    expect(await loginCachePath(folder, SESSION)).toBe(expected);
  });

  needs('python3').it("names the file exactly as botocore's JSONFileCache (os.path.join) does, for every folder form", async () => {
    const python = execFileSync('python3', ['-c', 'import os, sys, hashlib\nfor d in sys.argv[2:]:\n    print(os.path.join(d, hashlib.sha256(sys.argv[1].encode()).hexdigest() + ".json"))', SESSION, ...dirs], { encoding: 'utf8' });
    expect(python.split('\n').slice(0, -1)).toEqual(await Promise.all(dirs.map((d) => loginCachePath(d, SESSION))));
  });
});

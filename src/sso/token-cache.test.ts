import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readToken, registrationCachePath, tokenCachePath, writeToken } from './token-cache.js';

describe('the SSO token cache file names', () => {
  it('are the sha1 of the session name, as botocore and the JS SDK compute them', () => {
    expect(tokenCachePath('/c', { sessionName: 'my-sso', startUrl: 'https://x/start' })).toBe(
      '/c/0ad374308c5a4e22f723adf10145eafad7c4031c.json',
    );
  });

  it('are the sha1 of the start URL for a legacy profile without a session', () => {
    // sha1("https://my-sso-portal.awsapps.com/start")
    expect(tokenCachePath('/c', { startUrl: 'https://my-sso-portal.awsapps.com/start' })).toBe(
      '/c/c7aaaf71fcc8777ae2475525ed049d39fe16c484.json',
    );
  });

  it('name the client registration exactly as the AWS CLI does', () => {
    expect(
      registrationCachePath('/c', {
        sessionName: 'my-sso',
        startUrl: 'https://my-sso-portal.awsapps.com/start',
        region: 'us-east-1',
        scopes: ['sso:account:access'],
      }),
    ).toBe('/c/c5cfae6e3e4f067423a532368c8b514b6a4b0ace.json');
  });
});

describe('writeToken / readToken', () => {
  it('write the AWS CLI layout at mode 0600 and read it back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'awskeys-cache-'));
    const path = join(dir, 'sso', 'cache', 'x.json');
    const token = {
      startUrl: 'https://example.awsapps.com/start',
      region: 'eu-west-1',
      accessToken: 'tok',
      expiresAt: new Date('2026-01-01T12:00:00Z'),
      clientId: 'cid',
      clientSecret: 'csec',
      registrationExpiresAt: new Date('2026-03-31T12:00:00Z'),
      refreshToken: 'ref',
    };
    await writeToken(path, token);
    expect(await readFile(path, 'utf8')).toBe(
      [
        '{',
        '  "startUrl": "https://example.awsapps.com/start",',
        '  "region": "eu-west-1",',
        '  "accessToken": "tok",',
        '  "expiresAt": "2026-01-01T12:00:00Z",',
        '  "clientId": "cid",',
        '  "clientSecret": "csec",',
        '  "registrationExpiresAt": "2026-03-31T12:00:00Z",',
        '  "refreshToken": "ref"',
        '}',
      ].join('\n'),
    );
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'sso', 'cache'))).mode & 0o777).toBe(0o700);
    expect(await readToken(path)).toEqual(token);
  });

  it('read a minimal legacy file with the old UTC suffix', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'awskeys-cache-'));
    const path = join(dir, 'legacy.json');
    await writeFile(path, '{"startUrl":"u","region":"r","accessToken":"a","expiresAt":"2021-12-07T01:19:12UTC"}');
    const token = await readToken(path);
    expect(token?.expiresAt.toISOString()).toBe('2021-12-07T01:19:12.000Z');
    expect(token?.refreshToken).toBeUndefined();
  });

  it('return undefined for a missing file and fail with exit code 3 on garbage', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'awskeys-cache-'));
    expect(await readToken(join(dir, 'none.json'))).toBeUndefined();
    await writeFile(join(dir, 'bad.json'), '{not json');
    await expect(readToken(join(dir, 'bad.json'))).rejects.toMatchObject({ exitCode: 3 });
  });
});

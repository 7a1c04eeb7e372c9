import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loginCachePath, writeLoginCache, type LoginCacheDoc } from '../src/login/login-cache.js';
import { runInProcess, tempHome } from './support/cli.js';

/**
 * `awskeys logout` mirrors `aws logout` (awscli/customizations/login/logout.py): it deletes the
 * cached credentials of a profile's `aws login` session, or with --all every login cache file
 * holding such credentials, and keeps the profile's login_session line. docs/login.md, D50.
 */

const ALICE = 'arn:aws:iam::111122223333:user/alice';
const BOB = 'arn:aws:iam::111122223333:user/bob';
const CONFIG = `[profile dev]\nlogin_session = ${ALICE}\nregion = eu-west-1\n\n[profile ops]\nlogin_session = ${BOB}\n\n[profile keys]\nregion = us-east-1\n`;

function token(session: string): LoginCacheDoc {
  return {
    accessToken: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 's', sessionToken: 't', accountId: '111122223333', expiresAt: '2026-12-07T08:00:00Z' },
    tokenType: 'aws_sigv4',
    clientId: 'arn:aws:signin:::devtools/same-device',
    refreshToken: `r-${session}`,
    idToken: 'a.b.c',
    dpopKey: 'pem',
  };
}

async function loggedIn(): Promise<{ env: Record<string, string>; dir: string; config: string }> {
  const { env, home, config } = await tempHome({ config: CONFIG });
  const dir = join(home, '.aws', 'login', 'cache');
  for (const session of [ALICE, BOB]) await writeLoginCache(await loginCachePath(dir, session), token(session));
  return { env, dir, config };
}

describe('awskeys logout', () => {
  it("removes the profile's login-session cache only, and keeps its config", async () => {
    const { env, dir, config } = await loggedIn();
    const before = await readFile(config, 'utf8');
    const result = await runInProcess(['logout', '--profile', 'dev'], { env });
    expect(result).toEqual({
      code: 0,
      stdout: '',
      stderr:
        "Removed cached login credentials for profile 'dev'. Note, any local developer tools that have already loaded the access token may continue to use it until its expiration. Access tokens expire in 15 minutes.\n",
    });
    expect(await readdir(dir)).toEqual([(await loginCachePath(dir, BOB)).slice(dir.length + 1)]);
    expect(await readFile(config, 'utf8')).toBe(before);
  });

  it('takes the profile from AWS_PROFILE, and succeeds again (as aws logout does) when the cache is already gone', async () => {
    const { env, dir } = await loggedIn();
    expect((await runInProcess(['logout'], { env: { ...env, AWS_PROFILE: 'ops' } })).code).toBe(0);
    const again = await runInProcess(['logout'], { env: { ...env, AWS_PROFILE: 'ops' } });
    expect(again.code).toBe(0);
    expect(await readdir(dir)).toEqual([(await loginCachePath(dir, ALICE)).slice(dir.length + 1)]);
  });

  it('warns and changes nothing for a profile without a login session', async () => {
    const { env, dir } = await loggedIn();
    const result = await runInProcess(['logout', '--profile', 'keys'], { env });
    expect(result).toEqual({ code: 0, stdout: '', stderr: "awskeys: warning: no login session found for profile 'keys'\n" });
    expect((await readdir(dir)).length).toBe(2);
  });

  it('--all removes every login credential file and leaves other files in the folder', async () => {
    const { env, dir } = await loggedIn();
    await writeFile(join(dir, 'notes.json'), '{"accessToken": "not a login"}');
    const result = await runInProcess(['logout', '--all'], { env });
    expect(result.stderr).toBe(
      'Removed 2 cached login credentials. Note, any local developer tools that have already loaded access tokens may continue to use them until their expiration. Access tokens expire in 15 minutes.\n',
    );
    expect(await readdir(dir)).toEqual(['notes.json']);
    expect((await runInProcess(['logout', '--all'], { env })).stderr).toBe('No cached login session tokens found.\n');
  });

  it('honours AWS_LOGIN_CACHE_DIRECTORY', async () => {
    const { env, dir } = await loggedIn();
    const elsewhere = `${dir}-moved`;
    await writeLoginCache(await loginCachePath(elsewhere, ALICE), token(ALICE));
    await runInProcess(['logout', '--profile', 'dev'], { env: { ...env, AWS_LOGIN_CACHE_DIRECTORY: elsewhere } });
    expect(await readdir(elsewhere)).toEqual([]);
    expect((await readdir(dir)).length).toBe(2);
  });
});

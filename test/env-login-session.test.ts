import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runInProcess, tempHome } from './support/cli.js';
import { fakeClock, type FakeClock } from './support/fake-clock.js';

/**
 * Profiles written by the AWS CLI's `aws login` (login_session = <arn>; credentials cached in
 * ~/.aws/login/cache/<sha256 of the arn>.json, second-wave-reference A.2): env and
 * credential-process serve the cached credentials while valid, and say what to run when not.
 */
const SESSION = 'arn:aws:sts::111122223333:assumed-role/console/alice';
const NOW = Date.parse('2026-06-01T12:00:00Z');

let env: Record<string, string>;
let home: string;
let clock: FakeClock;

beforeEach(async () => {
  ({ home, env } = await tempHome({ config: `[profile console]\nlogin_session = ${SESSION}\nregion = eu-central-1\n` }));
  clock = fakeClock(NOW);
});

async function cached(expiresAt: string, dir = join(home, '.aws', 'login', 'cache')): Promise<void> {
  await mkdir(dir, { recursive: true });
  const name = `${createHash('sha256').update(SESSION).digest('hex')}.json`;
  await writeFile(
    join(dir, name),
    JSON.stringify({
      accessToken: {
        accessKeyId: 'ASIAEXAMPLELOGIN000',
        secretAccessKey: 'secretFromAwsLogin',
        sessionToken: 'sessionFromAwsLogin',
        accountId: '111122223333',
        expiresAt,
      },
      tokenType: 'urn:aws:params:oauth:token-type:access_token_sigv4',
      clientId: 'arn:aws:signin:::devtools/same-device',
      refreshToken: 'refresh',
      idToken: 'id',
      dpopKey: '-----BEGIN EC PRIVATE KEY-----\n...\n-----END EC PRIVATE KEY-----\n',
    }),
  );
}

describe('profiles from `aws login` (login_session)', () => {
  it('credential-process and env serve the cached credentials while they are valid', async () => {
    await cached('2026-06-01T12:45:00Z');
    const cp = await runInProcess(['credential-process', '--profile', 'console'], { env, clock });
    expect(cp.code).toBe(0);
    expect(JSON.parse(cp.stdout)).toEqual({
      Version: 1,
      AccessKeyId: 'ASIAEXAMPLELOGIN000',
      SecretAccessKey: 'secretFromAwsLogin',
      SessionToken: 'sessionFromAwsLogin',
      Expiration: '2026-06-01T12:45:00Z',
      AccountId: '111122223333',
    });
    const sh = await runInProcess(['env', '--profile', 'console'], { env, clock });
    expect(sh.code).toBe(0);
    expect(sh.stdout).toContain("export AWS_ACCESS_KEY_ID='ASIAEXAMPLELOGIN000'\n");
    expect(sh.stdout).toContain("export AWS_REGION='eu-central-1'\n");
  });

  it('reads AWS_LOGIN_CACHE_DIRECTORY when set', async () => {
    const dir = join(home, 'elsewhere');
    await cached('2026-06-01T12:45:00Z', dir);
    const cp = await runInProcess(['credential-process', '--profile', 'console'], { env: { ...env, AWS_LOGIN_CACHE_DIRECTORY: dir }, clock });
    expect(cp.code).toBe(0);
  });

  it('an expiring cache without a usable DPoP key cannot be renewed (exit 3); a missing one is exit 9 naming `aws login`', async () => {
    // Renewal itself, against the Sign-In emulator: test/login-renew.test.ts.
    await cached('2026-06-01T12:01:00Z');
    const r = await runInProcess(['credential-process', '--profile', 'console'], { env, clock });
    expect([r.code, r.stdout]).toEqual([3, '']);
    // The path in the line is shortened in the middle by the error printer.
    expect(r.stderr).toMatch(/^awskeys: error: The `aws login` cache file \/\S+\.json for profile console has no usable DPoP key \(dpopKey\)\. \(hint: log in again: awskeys login --profile console\)\n$/);
    const other = await runInProcess(['env', '--profile', 'console'], { env: { ...env, AWS_LOGIN_CACHE_DIRECTORY: join(home, 'none') }, clock });
    expect(other.code).toBe(9);
    expect(other.stderr).toBe(
      'awskeys: error: Profile console uses an `aws login` session, and it has no cached credentials. (hint: run: awskeys login --profile console)\n',
    );
  });

  it('status lists the profile as an `aws login` session', async () => {
    const r = await runInProcess(['status', '--offline'], { env, clock });
    expect(r.stdout).toMatch(new RegExp(`^console +other +aws login session \\(login_session ${SESSION.replace(/[/:]/g, '\\$&')}\\)$`, 'm'));
  });
});

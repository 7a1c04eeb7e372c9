import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tokenCachePath, writeToken } from '../src/sso/token-cache.js';
import { ensureBuilt } from './support/built.js';
import { runBuilt, tempHome } from './support/cli.js';
import { startSsoEmulator, type SsoEmulator } from '../emulators/sso/index.js';

/**
 * A refresh token works once (the service rotates it). Many processes starting together on an
 * expired access token (a shell with eight panes, a build fanning out SDK calls, each running
 * credential_process) must share one refresh, not each spend it. The built binary, as an SDK
 * runs it.
 */

const run = promisify(execFile);
let emulator: SsoEmulator;
let env: Record<string, string>;
let home: string;
let tokenPath: string;

beforeAll(ensureBuilt, 120_000);

beforeEach(async () => {
  emulator = await startSsoEmulator();
  const startUrl = `${emulator.url}/start`;
  ({ home, env } = await tempHome({
    config:
      '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = AdministratorAccess\n\n' +
      `[sso-session corp]\nsso_start_url = ${startUrl}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n`,
  }));
  env = { ...env, ...emulator.env };
  tokenPath = tokenCachePath(join(home, '.aws', 'sso', 'cache'), { sessionName: 'corp', startUrl });
});

afterEach(async () => {
  await emulator.close();
});

async function seedToken(ttlSeconds: number): Promise<void> {
  const startUrl = `${emulator.url}/start`;
  await writeToken(tokenPath, { startUrl, region: 'us-east-1', ...emulator.issueToken({ startUrl, ttlSeconds }) });
}

describe('refreshing one SSO session from many processes', () => {
  it('8 parallel credential-process runs on an expired access token all succeed, with one refresh', async () => {
    await seedToken(-60);
    const runs = await Promise.all(Array.from({ length: 8 }, () => runBuilt(['credential-process', '--profile', 'dev'], { env })));
    expect(runs.map((r) => [r.code, r.stderr])).toEqual(Array.from({ length: 8 }, () => [0, '']));
    for (const r of runs) expect(JSON.parse(r.stdout)).toMatchObject({ Version: 1, AccountId: '111122223333' });
    expect(emulator.calls.CreateToken).toBe(1);
    const token = JSON.parse(await readFile(tokenPath, 'utf8')) as { accessToken: string; refreshToken: string };
    expect(emulator.isAccessTokenValid(token.accessToken)).toBe(true);
  });

  it('uses a token another tool refreshed meanwhile when its own refresh is refused', async () => {
    await seedToken(-60);
    // Another tool (the AWS CLI takes no lock) refreshed first: the refresh token in our hands is spent.
    const startUrl = `${emulator.url}/start`;
    const stale = JSON.parse(await readFile(tokenPath, 'utf8')) as Record<string, string>;
    emulator.injectFault('CreateToken', { status: 400, errorType: 'InvalidGrantException' });
    const fresh = emulator.issueToken({ startUrl });
    // The other tool's write lands while our refresh call is in flight.
    emulator.setLatency(300);
    const ours = runBuilt(['credential-process', '--profile', 'dev'], { env });
    await new Promise((r) => setTimeout(r, 150));
    await writeToken(tokenPath, { startUrl, region: 'us-east-1', ...fresh });
    const result = await ours;
    emulator.setLatency(0);
    expect(stale.accessToken).not.toBe(fresh.accessToken);
    expect(result).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('a refresh whose result could not be saved', () => {
  /** Makes the cache folder unwritable, even for root (immutable attribute). */
  async function readOnly(dir: string): Promise<() => Promise<unknown>> {
    if (process.getuid?.() === 0) {
      await run('chattr', ['+i', dir]);
      return () => run('chattr', ['-i', dir]);
    }
    await run('chmod', ['a-w', dir]);
    return () => run('chmod', ['u+w', dir]);
  }

  it('is not attempted: the refresh token is not spent; a token still valid is used, with a warning', async () => {
    await seedToken(5 * 60);
    const undo = await readOnly(join(home, '.aws', 'sso', 'cache'));
    try {
      const result = await runBuilt(['credential-process', '--profile', 'dev'], { env });
      expect(result.stderr).toMatch(/^awskeys: warning: The SSO token cache .*cache is not writable, so a refreshed token could not be saved; it was not refreshed\.\n$/);
      expect(emulator.calls.CreateToken).toBe(0);
    } finally {
      await undo();
    }
  });

  it('with an expired token: exit 3 naming the folder, and the refresh token still good for later', async () => {
    await seedToken(-60);
    const undo = await readOnly(join(home, '.aws', 'sso', 'cache'));
    try {
      const result = await runBuilt(['credential-process', '--profile', 'dev'], { env });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/^awskeys: error: The SSO token cache .*\/\.aws\/sso\/cache is not writable/);
      expect(emulator.calls.CreateToken).toBe(0);
    } finally {
      await undo();
    }
    const later = await runBuilt(['credential-process', '--profile', 'dev'], { env });
    expect(later.code).toBe(0);
    expect(emulator.calls.CreateToken).toBe(1);
  });
});

import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuilt, tempHome } from './support/cli.js';
import { startSsoEmulator, type SsoEmulator } from '../emulators/sso/index.js';

/** The built binary (npm run build), run as a user would, against the emulator. */
describe('the built awskeys, sso login and logout', () => {
  let emulator: SsoEmulator;
  beforeAll(async () => {
    emulator = await startSsoEmulator({ autoApproveAfterPolls: 1 });
  });
  afterAll(() => emulator.close());

  it('logs in without a terminal, writes the profile, and logs out', async () => {
    const { env } = await tempHome();
    const all = { ...env, ...emulator.env };
    const login = await runBuilt(
      [
        'sso',
        'login',
        '--start-url',
        'https://example.awsapps.com/start',
        '--region',
        'us-east-1',
        '--account-id',
        '111122223333',
        '--role-name',
        'ReadOnlyAccess',
        '--profile',
        'ro',
      ],
      { env: all },
    );
    expect(login.stdout).toBe('');
    // No display here (and perhaps a container): the device flow, without a browser.
    expect(login.stderr).toMatch(/^Signing in with a code \(device flow\): (running in a container|no display); /);
    expect(login.stderr).toMatch(/\nNot opening a browser \((running in a container|no display)\): open the URL on any device\.\n/);
    expect(login.code).toBe(0);
    expect(await readFile(env.AWS_CONFIG_FILE ?? '', 'utf8')).toContain('[profile ro]\nsso_session = example\n');

    const json = await runBuilt(['sso', 'login', '--profile', 'ro', '--write', 'json'], { env: all });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ Version: 1, AccountId: '111122223333' });

    const logout = await runBuilt(['sso', 'logout', '--profile', 'ro'], { env: all });
    expect(logout).toEqual({
      code: 0,
      stdout: '',
      stderr: 'Logged out of the SSO session "example" (removed 1 cached role credential).\n',
    });
    expect(emulator.calls.Logout).toBe(1);
  });
});

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InterruptedError } from '../src/errors/cli-error.js';
import { registrationCachePath, tokenCachePath, writeToken } from '../src/sso/token-cache.js';
import { fakePrompter } from './support/fake-prompter.js';
import { ssoHarness, type SsoHarness } from './support/sso-harness.js';

const START_URL = 'https://acme.awsapps.com/start';
const LOGIN = [
  'sso',
  'login',
  '--start-url',
  START_URL,
  '--region',
  'eu-west-1',
  '--account-id',
  '111122223333',
  '--role-name',
  'ReadOnlyAccess',
];

let h: SsoHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** What login left behind in HOME: nothing at all when it failed or was interrupted. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

describe('the device-flow poll loop', () => {
  it('polls at the announced interval and slows down by 5 s for good after a SlowDown', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 3, interval: 2 });
    // The second CreateToken (the first after the immediate one) is told to slow down.
    h.emulator.injectFault('CreateToken', { status: 400, errorType: 'SlowDownException', afterCalls: 1 });
    const result = await h.awskeys([...LOGIN, '--no-browser', '--write', 'json']);
    expect(result.code).toBe(0);
    expect(h.clock.sleeps).toEqual([2000, 7000, 7000, 7000]);
    expect(result.stderr).toContain('IAM Identity Center asked to poll more slowly: now every 7 s.\n');
  });

  it('fails with exit 10 when the user denies, and writes nothing', async () => {
    h = await ssoHarness({
      onSleep: (_ms, harness) => harness.emulator.deny(harness.emulator.userCodes[0] ?? ''),
    });
    const result = await h.awskeys([...LOGIN, '--no-browser']);
    expect(result.code).toBe(10);
    expect(result.stderr).toMatch(
      /awskeys: error: The SSO login was denied in the browser; nothing was written\. \(hint: run the login again and choose Allow\)\n$/,
    );
    expect(await filesUnder(h.home)).toEqual([]);
  });

  it('fails with exit 10 when the code expires before approval', async () => {
    h = await ssoHarness({ deviceCodeTtlSeconds: 5 });
    const result = await h.awskeys([...LOGIN, '--no-browser']);
    expect(result.code).toBe(10);
    expect(h.clock.sleeps).toEqual([1000, 1000, 1000, 1000, 1000]);
    expect(result.stderr).toMatch(
      /awskeys: error: The SSO login code expired before it was approved; nothing was written\. \(hint: run the login again and approve it within 1 min\)\n$/,
    );
    expect(await filesUnder(h.home)).toEqual([]);
  });

  it('fails with exit 10 when the service rejects the client while polling', async () => {
    h = await ssoHarness();
    h.emulator.injectFault('CreateToken', { status: 401, errorType: 'InvalidClientException', afterCalls: 1 });
    const result = await h.awskeys([...LOGIN, '--no-browser']);
    expect(result.code).toBe(10);
    expect(result.stderr).toContain(
      'awskeys: error: IAM Identity Center rejected the login (InvalidClientException): Injected InvalidClientException',
    );
    expect(await filesUnder(h.home)).toEqual([]);
  });

  it('registers a new client once when the cached registration is no longer known', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0 });
    expect((await h.awskeys([...LOGIN, '--no-browser', '--write', 'json'])).code).toBe(0);
    h.emulator.injectFault('StartDeviceAuthorization', { status: 401, errorType: 'InvalidClientException' });
    h.emulator.resetCalls();
    const result = await h.awskeys([...LOGIN, '--no-browser', '--write', 'json', '--force']);
    expect(result.code).toBe(0);
    expect(h.emulator.calls).toMatchObject({ RegisterClient: 1, StartDeviceAuthorization: 2 });
  });

  it('stops on Ctrl-C while waiting (exit 130) and writes nothing', async () => {
    const controller = new AbortController();
    h = await ssoHarness({ onSleep: () => controller.abort() });
    const result = await h.awskeys([...LOGIN, '--no-browser'], { signal: controller.signal });
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/awskeys: error: Interrupted; nothing was written\.\n$/);
    expect(await filesUnder(h.home)).toEqual([]);
  });
});

describe('Ctrl-C after the login', () => {
  it('at the "Profile name" prompt (exit 130) says the login is cached and no profile was written', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0 });
    // What the terminal prompter turns Ctrl-C at a prompt into.
    const prompter = fakePrompter({});
    prompter.input = (q) => {
      prompter.asked.push(q.name);
      return Promise.reject(new InterruptedError());
    };
    const result = await h.awskeys([...LOGIN, '--no-browser'], { prompter });
    expect(prompter.asked).toEqual(['sso-login.profile-name']);
    expect(result.code).toBe(130);
    expect(result.stderr.split('\n').at(-2)).toBe(
      'awskeys: error: Interrupted; you are logged in (token cached), but no profile was written.' +
        ' (hint: run the command again: it reuses the cached login)',
    );
    const ref = { sessionName: 'acme', startUrl: START_URL, region: 'eu-west-1', scopes: ['sso:account:access'] };
    const cache = join('.aws', 'sso', 'cache');
    const files = await filesUnder(h.home);
    // The token, the client registration, and the role credentials fetched for the chosen role.
    expect(files.filter((f) => !f.startsWith(join('.aws', 'cli', 'cache'))).sort()).toEqual(
      [join(cache, tokenCachePath('', ref)), join(cache, registrationCachePath('', ref))].sort(),
    );
    expect(files.filter((f) => f.startsWith(join('.aws', 'cli', 'cache')))).toHaveLength(1);

    // True to its word: the next run reuses that login.
    h.emulator.resetCalls();
    const again = await h.awskeys([...LOGIN, '--profile', 'ro']);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/^Using the cached SSO login/);
    expect(h.emulator.calls).toMatchObject({ StartDeviceAuthorization: 0, CreateToken: 0 });
  });

  it('still says "nothing was written" for a Ctrl-C before any token is cached', async () => {
    const controller = new AbortController();
    h = await ssoHarness({ onSleep: () => controller.abort() });
    const result = await h.awskeys([...LOGIN, '--no-browser', '--write', 'env'], { signal: controller.signal });
    expect(result.stderr).toMatch(/awskeys: error: Interrupted; nothing was written\.\n$/);
  });

  it('with --write env, while listing accounts with a cached login, says no credentials were printed', async () => {
    const controller = new AbortController();
    h = await ssoHarness();
    const issued = h.emulator.issueToken({ startUrl: START_URL });
    const cache = join(h.home, '.aws', 'sso', 'cache');
    const tokenPath = tokenCachePath(cache, { sessionName: 'acme', startUrl: START_URL });
    await writeToken(tokenPath, { startUrl: START_URL, region: 'eu-west-1', ...issued });
    h.emulator.setLatency(2000);
    setTimeout(() => controller.abort(), 100);
    const result = await h.awskeys([...LOGIN, '--no-browser', '--write', 'env'], { signal: controller.signal });
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('Interrupted; you are logged in (token cached), but no credentials were printed.');
  });
});

describe('what the user sees', () => {
  it('on a terminal, a spinner with the code countdown on one rewritten line, cleared at the end', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 2, deviceCodeTtlSeconds: 600 });
    const result = await h.awskeys([...LOGIN, '--no-browser', '--write', 'json'], { stderrIsTTY: true });
    expect(result.code).toBe(0);
    const code = h.emulator.userCodes[0] ?? '';
    expect(result.stderr.startsWith(
      'Signing in with a code (device flow): no display; --use-auth-code uses a browser here instead.\n' +
        `To sign in, open ${h.emulator.url}/device on any device and enter the code:\n` +
        `  ${code}\n` +
        `Or open this URL, which fills the code in (check that it shows ${code}):\n` +
        `  ${h.emulator.url}/device?user_code=${code}\n` +
        'Not opening a browser (--no-browser): open the URL on any device.\n' +
        '\r\x1b[2K⠋ Waiting for approval in the browser (10:00 left)',
    )).toBe(true);
    // Redrawn after each poll (and by a cosmetic timer in between), then cleared before the result.
    const countdowns = [...result.stderr.matchAll(/\((\d+:\d\d) left\)/g)].map((m) => m[1]);
    expect([...new Set(countdowns)]).toEqual(['10:00', '9:59', '9:58']);
    expect(result.stderr).toContain('(9:58 left)\r\x1b[2KLogged in to SSO session "acme"');
  });

  it('on a narrow terminal the spinner line is cut to its width, so it never wraps into a new line per frame', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 2 });
    const result = await h.awskeys([...LOGIN, '--no-browser', '--write', 'json'], { stderrIsTTY: true, columns: 30 });
    expect(result.code).toBe(0);
    // Each frame is drawn after an erase of the line; what follows the last erase is the next message.
    const frames = result.stderr.split('\r\x1b[2K').filter((f) => f.includes('Waiting'));
    expect(frames.length).toBeGreaterThan(1);
    for (const frame of frames) expect(frame).toMatch(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Waiting for approval in the$/);
  });

  it('without a terminal there is no spinner: one plain line, no carriage returns', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 2 });
    const result = await h.awskeys([...LOGIN, '--no-browser', '--write', 'json']);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('\r');
    expect(result.stderr.match(/Waiting/g)).toHaveLength(1);
  });

  it('opens the verification URL in the browser when there is a display', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 1 });
    const opened: string[] = [];
    const result = await h.awskeys([...LOGIN, '--use-device-code', '--write', 'json'], {
      env: { DISPLAY: ':0' },
      openUrl: (url) => {
        opened.push(url);
        return Promise.resolve();
      },
    });
    expect(result.code).toBe(0);
    expect(opened).toEqual([`${h.emulator.url}/device?user_code=${h.emulator.userCodes[0] ?? ''}`]);
    expect(result.stderr).toContain('Opened it in your browser.\n');
  });

  it('only warns when the browser cannot be opened', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 1 });
    const result = await h.awskeys([...LOGIN, '--use-device-code', '--write', 'json'], {
      env: { DISPLAY: ':0' },
      openUrl: () => Promise.reject(new Error('xdg-open not found')),
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('awskeys: warning: could not open a browser (xdg-open not found); open the URL yourself.\n');
  });
});

describe('rejected and throttled portal calls', () => {
  it('logs in again when the service rejects (401) a cached token that looked valid', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0 });
    expect((await h.awskeys([...LOGIN, '--no-browser', '--write', 'json'])).code).toBe(0);
    h.emulator.expireAllAccessTokens();
    h.emulator.resetCalls();
    const result = await h.awskeys([...LOGIN, '--no-browser', '--write', 'json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('The cached SSO token was not accepted; logging in again.\n');
    // --account-id and --role-name: straight to the role's credentials, no listing.
    expect(h.emulator.calls).toMatchObject({ StartDeviceAuthorization: 1, ListAccounts: 0, GetRoleCredentials: 2 });
  });

  it('fails with exit 9 when even a fresh token is rejected (401)', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0 });
    h.emulator.injectFault('GetRoleCredentials', { status: 401, errorType: 'UnauthorizedException' });
    const result = await h.awskeys([...LOGIN, '--no-browser', '--write', 'json']);
    expect(result.code).toBe(9);
    expect(result.stderr).toMatch(
      /awskeys: error: Getting credentials for ReadOnlyAccess in 111122223333: the SSO session has expired or was signed out\. \(hint: run: awskeys sso login --start-url https:\/\/acme\.awsapps\.com\/start --region eu-west-1 --sso-session acme\)\n$/,
    );
  });

  it('retries 429 throttling in the SDK, then fails with a clear message (exit 11)', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0 });
    h.emulator.injectFault('GetRoleCredentials', { status: 429, errorType: 'TooManyRequestsException', times: Infinity });
    const result = await h.awskeys([...LOGIN, '--no-browser', '--write', 'json']);
    expect(result.code).toBe(11);
    expect(h.emulator.calls.GetRoleCredentials).toBe(3);
    expect(result.stderr).toMatch(
      /awskeys: error: Getting credentials for ReadOnlyAccess in 111122223333: IAM Identity Center is throttling requests \(TooManyRequestsException\), even after retries\. \(hint: wait a minute and run the command again\)\n$/,
    );
  });

  it('recovers from a single 429 through the SDK retry', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0 });
    h.emulator.injectFault('GetRoleCredentials', { status: 429, errorType: 'TooManyRequestsException' });
    const result = await h.awskeys([...LOGIN, '--no-browser', '--write', 'json']);
    expect(result.code).toBe(0);
    expect(h.emulator.calls.GetRoleCredentials).toBe(2);
  });
});

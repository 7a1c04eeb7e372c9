import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { registrationCachePath, tokenCachePath } from '../src/sso/token-cache.js';
import { playBrowser, userBrowser, type BrowserVisit } from './support/browser.js';
import { ssoHarness, type SsoHarness } from './support/sso-harness.js';

const START_URL = 'https://acme.awsapps.com/start';
const LOGIN = ['sso', 'login', '--start-url', START_URL, '--region', 'eu-west-1', '--account-id', '111122223333', '--role-name', 'ReadOnlyAccess'];
/** A Linux desktop: a display, no SSH, no container, no CI. */
const DESKTOP = { env: { DISPLAY: ':0' }, host: { platform: 'linux' as const, inContainer: false } };
const REF = { sessionName: 'acme', startUrl: START_URL, region: 'eu-west-1', scopes: ['sso:account:access'] };

let h: SsoHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
const cacheDir = (home: string) => join(home, '.aws', 'sso', 'cache');

const browser = userBrowser;

describe('sso login with the authorization-code flow (PKCE)', () => {
  it('is the default for an sso-session on a desktop: one real round trip through the browser and the loopback listener', async () => {
    h = await ssoHarness();
    const b = browser();
    const result = await h.awskeys([...LOGIN, '--write', 'json'], { ...DESKTOP, openUrl: b.openUrl });

    expect(result.code).toBe(0);
    // The AWS CLI's /authorize URL: its parameters in its order, the redirect with the listener's port.
    const url = new URL(b.opened[0] ?? '');
    expect(`${url.origin}${url.pathname}`).toBe(`${h.emulator.url}/authorize`);
    expect([...url.searchParams.keys()]).toEqual(['response_type', 'client_id', 'redirect_uri', 'state', 'code_challenge_method', 'scopes', 'code_challenge']);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
    expect(url.searchParams.get('state')).toMatch(/^[0-9a-f-]{36}$/);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('scopes')).toBe('sso:account:access');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);

    const page = await b.visit();
    expect(page?.status).toBe(200);
    expect(page?.body).toContain('<h1>Signed in</h1>');
    expect(page?.visited.at(-1)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback\?code=/);

    expect(result.stderr).toBe(
      `To sign in, open this URL in a browser on this machine:\n  ${b.opened[0] ?? ''}\n` +
        'Opened it in your browser. (From another device, run this again with --use-device-code.)\n' +
        'Waiting for the sign-in in the browser (up to 10 min)...\n' +
        'Logged in to SSO session "acme"; the token is valid until 2026-06-01T20:00:00Z.\n',
    );
    expect(JSON.parse(result.stdout)).toMatchObject({ Version: 1, AccountId: '111122223333' });
    expect(h.emulator.calls).toMatchObject({ RegisterClient: 1, StartDeviceAuthorization: 0, CreateToken: 1, ListAccounts: 0 });

    // The AWS CLI's PKCE registration record under its own key, and a refreshable token.
    const registration = await readJson(registrationCachePath(cacheDir(h.home), REF));
    expect(Object.keys(registration)).toEqual(['clientId', 'clientSecret', 'expiresAt', 'scopes', 'grantTypes']);
    expect(registration).toMatchObject({ scopes: ['sso:account:access'], grantTypes: ['authorization_code', 'refresh_token'] });
    const token = await readJson(tokenCachePath(cacheDir(h.home), REF));
    expect(token).toMatchObject({ startUrl: START_URL, region: 'eu-west-1', clientId: registration.clientId });
    expect(token.refreshToken).toMatch(/^aor/);
  });

  it('works when the browser comes back at once (a warm sign-in): the listener is up before the browser opens', async () => {
    h = await ssoHarness({ autoApproveAuthorization: true });
    const b = browser();
    let visitDone: BrowserVisit | undefined;
    const result = await h.awskeys([...LOGIN, '--write', 'json'], {
      ...DESKTOP,
      // The whole round trip finishes before openUrl returns.
      openUrl: async (url) => {
        visitDone = await playBrowser(url);
        b.opened.push(url);
      },
    });
    expect(result.code).toBe(0);
    expect(visitDone?.body).toContain('<h1>Signed in</h1>');
  });

  it('--no-browser prints the authorize URL and keeps waiting for the browser the user opens', async () => {
    h = await ssoHarness();
    let visit: Promise<BrowserVisit> | undefined;
    const result = await h.awskeys([...LOGIN, '--no-browser', '--write', 'json'], {
      ...DESKTOP,
      openUrl: () => Promise.reject(new Error('must not open a browser')),
      onStderr: (text) => {
        const url = /\n {2}(http:\/\/\S+\/authorize\?\S+)\n/.exec(`\n${text}`)?.[1];
        if (url !== undefined) visit = playBrowser(url);
      },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'Not opening a browser (--no-browser). From another device, run this again with --use-device-code.\n' +
        'Waiting for the sign-in in the browser (up to 10 min)...\n',
    );
    expect((await visit)?.body).toContain('<h1>Signed in</h1>');
  });

  it('Deny in the browser: exit 10, the browser page says so, nothing written', async () => {
    h = await ssoHarness();
    const b = browser('deny');
    const result = await h.awskeys([...LOGIN, '--write', 'json'], { ...DESKTOP, openUrl: b.openUrl });
    expect(result.code).toBe(10);
    expect(result.stderr).toMatch(
      /awskeys: error: The sign-in in the browser failed \(access_denied: The user denied the request\); nothing was written\. \(hint: run the login again\)\n$/,
    );
    expect((await b.visit())?.body).toContain('<h1>Sign-in failed</h1>');
    expect(await readFile(tokenCachePath(cacheDir(h.home), REF), 'utf8').catch(() => 'none')).toBe('none');
  });

  it('a callback with another state is refused (exit 10)', async () => {
    h = await ssoHarness();
    const result = await h.awskeys([...LOGIN, '--write', 'json'], {
      ...DESKTOP,
      openUrl: async (url) => {
        const redirect = new URL(url).searchParams.get('redirect_uri') ?? '';
        await fetch(`${redirect}?code=forged&state=not-the-one`);
      },
    });
    expect(result.code).toBe(10);
    expect(result.stderr).toContain('awskeys: error: The browser returned to awskeys with a state that does not match this login; nothing was written.');
    expect(h.emulator.calls.CreateToken).toBe(0);
  });

  it('gives up after --timeout with a clear message (exit 10)', async () => {
    h = await ssoHarness();
    const result = await h.awskeys([...LOGIN, '--timeout', '1', '--write', 'json'], { ...DESKTOP, openUrl: () => Promise.resolve() });
    expect(result.code).toBe(10);
    expect(result.stderr).toMatch(
      /awskeys: error: No sign-in arrived from the browser within 1 s; nothing was written\. \(hint: run the login again; if the browser cannot reach this machine \(SSH, container\), add --use-device-code\)\n$/,
    );
  });

  it('reports a browser that failed to start, and still waits for the URL to be opened by hand', async () => {
    h = await ssoHarness({ autoApproveAuthorization: true });
    let visit: Promise<BrowserVisit> | undefined;
    const result = await h.awskeys([...LOGIN, '--write', 'json'], {
      ...DESKTOP,
      openUrl: (url) => {
        visit = playBrowser(url);
        return Promise.reject(new Error('xdg-open exited with code 3'));
      },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('warning: could not open a browser (xdg-open exited with code 3); open the URL above yourself.\n');
    expect(result.stderr).not.toContain('Opened it in your browser');
    await visit;
  });

  it('Ctrl-C while waiting for the browser: exit 130, nothing written', async () => {
    h = await ssoHarness();
    const controller = new AbortController();
    const result = await h.awskeys([...LOGIN, '--write', 'json'], {
      ...DESKTOP,
      signal: controller.signal,
      openUrl: () => {
        setTimeout(() => controller.abort(), 50);
        return Promise.resolve();
      },
    });
    expect(result.code).toBe(130);
    expect(await readFile(tokenCachePath(cacheDir(h.home), REF), 'utf8').catch(() => 'none')).toBe('none');
  });

  it('over SSH uses the device flow and says why in one line; --use-auth-code overrides', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0, autoApproveAuthorization: true });
    const ssh = { ...DESKTOP, env: { ...DESKTOP.env, SSH_CONNECTION: '10.0.0.1 50000 10.0.0.2 22' } };
    const device = await h.awskeys([...LOGIN, '--write', 'json'], ssh);
    expect(device.code).toBe(0);
    expect(device.stderr.split('\n')[0]).toBe('Signing in with a code (device flow): an SSH session; --use-auth-code uses a browser here instead.');

    // Forced PKCE over SSH: no browser is started there; the user opens the printed URL (port forwarded).
    let visit: Promise<BrowserVisit> | undefined;
    const pkce = await h.awskeys([...LOGIN, '--force', '--use-auth-code', '--write', 'json'], {
      ...ssh,
      openUrl: () => Promise.reject(new Error('must not open a browser')),
      onStderr: (text) => {
        const url = /\n {2}(http:\/\/\S+\/authorize\?\S+)\n/.exec(`\n${text}`)?.[1];
        if (url !== undefined) visit = playBrowser(url);
      },
    });
    expect(pkce.code).toBe(0);
    expect((await visit)?.body).toContain('<h1>Signed in</h1>');
    expect(pkce.stderr).toContain('Not opening a browser (an SSH session). From another device, run this again with --use-device-code.\n');
  });
});

describe('one client registration per session, shared with the AWS CLI', () => {
  it('switching flows replaces the registration of the other kind, and says so', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0, autoApproveAuthorization: true });
    const path = registrationCachePath(cacheDir(h.home), REF);
    const b = browser();
    expect((await h.awskeys([...LOGIN, '--write', 'json'], { ...DESKTOP, openUrl: b.openUrl })).code).toBe(0);
    const pkce = await readJson(path);

    const device = await h.awskeys([...LOGIN, '--force', '--use-device-code', '--write', 'json'], DESKTOP);
    expect(device.code).toBe(0);
    expect(device.stderr).toContain(
      "Note: this session's cached authorization-code (PKCE) client registration (shared with the AWS CLI) will be replaced by a device-code one once you sign in.\n",
    );
    const deviceReg = await readJson(path);
    expect(deviceReg.clientId).not.toBe(pkce.clientId);
    expect(deviceReg.grantTypes).toBeUndefined();

    // The same device-flow registration is reused while it lasts.
    h.emulator.resetCalls();
    expect((await h.awskeys([...LOGIN, '--force', '--use-device-code', '--write', 'json'], DESKTOP)).code).toBe(0);
    expect(h.emulator.calls.RegisterClient).toBe(0);

    const back = await h.awskeys([...LOGIN, '--force', '--write', 'json'], { ...DESKTOP, openUrl: b.openUrl });
    expect(back.stderr).toContain('cached device-code client registration (shared with the AWS CLI) will be replaced by an authorization-code (PKCE) one');
    expect((await readJson(path)).grantTypes).toEqual(['authorization_code', 'refresh_token']);
  });
});

import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSigninEmulator, type SigninEmulator } from '../emulators/signin/index.js';
import { playBrowser, userBrowser } from './support/browser.js';
import { runInProcess, tempHome, type TempHome } from './support/cli.js';
import { fakePrompter } from './support/fake-prompter.js';
import { needs } from './support/optional-tools.js';
import { botocoreLoginCredentials } from './support/signin-botocore.js';
import { jsSdkLoginCredentials } from './support/signin-jssdk.js';
import type { Prompter } from '../src/prompt/prompter.js';

const ALICE = 'arn:aws:iam::111122223333:user/alice';
/** A Linux desktop: a display, no SSH, no container, no CI. */
const DESKTOP = { platform: 'linux' as const, inContainer: false };
const CONFIG = '# my settings\n[default]\nregion = eu-west-1\n\n[profile work]\nregion = eu-west-1\noutput = json\n\n[profile keys]\naws_access_key_id = AKIAEXAMPLE\n';

let emulator: SigninEmulator;
let home: TempHome;
beforeEach(async () => {
  emulator = await startSigninEmulator();
  home = await tempHome({ config: CONFIG, modes: 'private' });
});
afterEach(async () => {
  await emulator.close();
});

const env = (extra: Record<string, string> = {}) => ({ ...home.env, DISPLAY: ':0', ...emulator.env, ...extra });
const cacheDir = () => join(home.home, '.aws', 'login', 'cache');
const cacheFiles = async () => readdir(cacheDir()).catch(() => [] as string[]);

const browser = userBrowser;

describe('awskeys login, same device (authorization code with PKCE, a loopback redirect)', () => {
  it('signs in through the browser, caches the session as the AWS CLI does and gives the profile login_session', async () => {
    const b = browser();
    const result = await runInProcess(['login', '--profile', 'work'], { env: env(), openUrl: b.openUrl, host: DESKTOP });
    expect(result.stderr).toContain('Updated profile work');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');

    // The AWS CLI's /v1/authorize URL: its parameters, in its order.
    const url = new URL(b.opened[0] ?? '');
    expect(`${url.origin}${url.pathname}`).toBe(`${emulator.url}/v1/authorize`);
    expect([...url.searchParams.keys()]).toEqual(['response_type', 'client_id', 'state', 'code_challenge_method', 'scope', 'redirect_uri', 'code_challenge']);
    expect(url.searchParams.get('client_id')).toBe('arn:aws:signin:::devtools/same-device');
    expect(url.searchParams.get('code_challenge_method')).toBe('SHA-256');
    expect(url.searchParams.get('scope')).toBe('openid');
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    const page = await b.visit();
    expect(page?.body).toContain('<h1>Signed in</h1>');

    const [file] = await cacheFiles();
    const cachePath = join(cacheDir(), file ?? '');
    expect((await stat(cachePath)).mode & 0o777).toBe(0o600);
    const doc = JSON.parse(await readFile(cachePath, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['accessToken', 'tokenType', 'clientId', 'refreshToken', 'idToken', 'dpopKey']);
    expect(doc).toMatchObject({ tokenType: 'aws_sigv4', clientId: 'arn:aws:signin:::devtools/same-device' });
    expect(doc.accessToken).toMatchObject({ accessKeyId: emulator.issuedAccessKeyIds[0], accountId: '111122223333' });
    expect(String(doc.dpopKey)).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);

    // Every other byte of the config stays; the profile gets the session (its region was set).
    expect(await readFile(home.config, 'utf8')).toBe(CONFIG.replace('output = json\n', `output = json\nlogin_session = ${ALICE}\n`));
    const until = /valid until (\S+);/.exec(result.stderr)?.[1] ?? '';
    expect(result.stderr).toBe(
      `To sign in, open this URL in a browser on this machine:\n  ${b.opened[0] ?? ''}\n` +
        'Opened it in your browser. (From another device, run this again with --remote.)\n' +
        'Waiting for the sign-in in the browser (up to 10 min)...\n' +
        `Updated profile work to use ${ALICE} credentials (valid until ${until}; renewed as they are used, for up to 12 hours).\n` +
        'Use "--profile work" to use them, such as: aws sts get-caller-identity --profile work\n',
    );

    // The JS SDK's own login provider uses the session awskeys made, and so does awskeys env.
    const sdk = await jsSdkLoginCredentials('work', { ...home.env, ...emulator.env });
    expect(sdk).toMatchObject({ accessKeyId: emulator.issuedAccessKeyIds[0], accountId: '111122223333' });
    const exported = await runInProcess(['env', '--profile', 'work'], { env: env() });
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`export AWS_ACCESS_KEY_ID='${emulator.issuedAccessKeyIds[0] ?? ''}'\n`);
  });

  it('refuses a profile that gets credentials another way before anything is opened, as aws login does', async () => {
    const b = browser();
    const result = await runInProcess(['login', '--profile', 'keys'], { env: env(), openUrl: b.openUrl, host: DESKTOP });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'awskeys: error: Profile "keys" already gets credentials another way (aws_access_key_id in the config file); nothing was written. (hint: choose another name with --profile)\n',
    );
    expect(b.opened).toEqual([]);
    expect(emulator.calls.authorize).toBe(0);
    expect(await readFile(home.config, 'utf8')).toBe(CONFIG);
  });

  it('a sign-in denied in the browser is exit 10 with nothing written', async () => {
    const b = browser('deny');
    const result = await runInProcess(['login', '--profile', 'work'], { env: env(), openUrl: b.openUrl, host: DESKTOP });
    expect(result.code).toBe(10);
    expect(result.stderr.split('\n').at(-2)).toBe(
      'awskeys: error: The sign-in in the browser failed (access_denied: The user denied the request); nothing was written. (hint: run the login again)',
    );
    expect(await cacheFiles()).toEqual([]);
    expect(await readFile(home.config, 'utf8')).toBe(CONFIG);
  });

  it('Ctrl-C while it waits for the browser: exit 130, nothing written', async () => {
    const stop = new AbortController();
    const result = await runInProcess(['login', '--profile', 'work', '--no-browser'], {
      env: env(),
      host: DESKTOP,
      signal: stop.signal,
      onStderr: (text) => {
        if (text.startsWith('Waiting for the sign-in')) stop.abort();
      },
    });
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('Not opening a browser (--no-browser). With the browser on another device, run this again with --remote.\n');
    expect(await cacheFiles()).toEqual([]);
    expect(await readFile(home.config, 'utf8')).toBe(CONFIG);
  });

  it('without a region anywhere and no terminal, it asks for --region (exit 7) before the browser', async () => {
    const bare = await tempHome({ config: '[profile fresh]\noutput = json\n' });
    const result = await runInProcess(['login', '--profile', 'fresh'], { env: { ...bare.env, ...emulator.env }, host: DESKTOP });
    expect(result.code).toBe(7);
    expect(result.stderr).toMatch(/--region/);
    expect(emulator.calls.authorize).toBe(0);
  });

  it('--region for a profile without one: the session and the region are written', async () => {
    const bare = await tempHome({ config: '[profile fresh]\noutput = json\n' });
    const b = browser();
    const result = await runInProcess(['login', '--profile', 'fresh', '--region', 'eu-central-1'], { env: { ...bare.env, ...emulator.env, DISPLAY: ':0' }, openUrl: b.openUrl, host: DESKTOP });
    expect(result.code).toBe(0);
    expect(await readFile(bare.config, 'utf8')).toBe(`[profile fresh]\noutput = json\nlogin_session = ${ALICE}\nregion = eu-central-1\n`);
  });

  it('a profile on another login session: refused without a terminal (exit 7), replaced with --force', async () => {
    const other = 'arn:aws:iam::111122223333:user/bob';
    const config = `[profile work]\nregion = eu-west-1\nlogin_session = ${other}\n`;
    const h = await tempHome({ config });
    const e = { ...h.env, ...emulator.env, DISPLAY: ':0' };
    const refused = await runInProcess(['login', '--profile', 'work'], { env: e, openUrl: browser().openUrl, host: DESKTOP });
    expect(refused.code).toBe(7);
    expect(refused.stderr.split('\n').at(-2)).toBe(
      `awskeys: error: Profile "work" in ${h.config} is already configured to use session ${other}; nothing was written. (hint: pass --force to use the new session, or choose another --profile)`,
    );
    expect(await readFile(h.config, 'utf8')).toBe(config);
    const forced = await runInProcess(['login', '--profile', 'work', '--force'], { env: e, openUrl: browser().openUrl, host: DESKTOP });
    expect(forced.code).toBe(0);
    expect(await readFile(h.config, 'utf8')).toBe(`[profile work]\nregion = eu-west-1\nlogin_session = ${ALICE}\n`);
  });
});

const botocore = needs('botocore', 'cryptography');
botocore.describe("botocore reads and renews an awskeys login", () => {
  botocore.it('its LoginProvider serves the session awskeys cached, and renews it when it is due', async () => {
    const result = await runInProcess(['login', '--profile', 'work'], { env: env(), openUrl: browser().openUrl, host: DESKTOP });
    expect(result.code).toBe(0);
    expect(await botocoreLoginCredentials('work', { ...home.env, ...emulator.env })).toMatchObject({ accessKeyId: emulator.issuedAccessKeyIds[0] });
    // Credentials past due (as 15 minutes later): botocore renews with awskeys' DPoP key and refresh token.
    const [file] = await cacheFiles();
    const path = join(cacheDir(), file ?? '');
    const doc = JSON.parse(await readFile(path, 'utf8')) as { accessToken: { expiresAt: string } };
    doc.accessToken.expiresAt = '2020-01-01T00:00:00Z';
    await writeFile(path, JSON.stringify(doc));
    expect(await botocoreLoginCredentials('work', { ...home.env, ...emulator.env })).toMatchObject({ accessKeyId: emulator.issuedAccessKeyIds[1] });
    expect(emulator.calls.refresh_token).toBe(1);
  });
});

describe('awskeys login --remote (another device: the code is pasted back)', () => {
  /** The user: reads the URL awskeys printed, signs in with a browser elsewhere, pastes what the page shows. */
  function pastingUser(mangle: (code: string) => string = (c) => c): Prompter & { asked: string[] } {
    let url = '';
    const user = fakePrompter({});
    return Object.assign(user, {
      seen: (text: string) => {
        url = /^ {2}(http\S+)/m.exec(text)?.[1] ?? url;
      },
      input: async (q: { name: string; validate?: (v: string) => string | undefined }) => {
        user.asked.push(q.name);
        const page = await playBrowser(url);
        const code = /<pre id="verification-code">([^<]+)<\/pre>/.exec(page.body)?.[1] ?? '';
        const pasted = mangle(code);
        const problem = q.validate?.(pasted);
        if (problem !== undefined) throw new Error(`the prompt refused the paste: ${problem}`);
        return pasted;
      },
    });
  }

  it('prints the cross-device URL, takes the pasted code (with its newline) and signs in', async () => {
    const user = pastingUser((code) => `${code}\n`);
    const result = await runInProcess(['login', '--profile', 'work', '--remote'], {
      env: env(),
      prompter: user,
      onStderr: (text) => (user as unknown as { seen: (t: string) => void }).seen(text),
    });
    expect(result.stderr).toContain('Updated profile work');
    expect(result.code).toBe(0);
    expect(user.asked).toEqual(['login.code']);
    const url = new URL(/\n {2}(http\S+)\n/.exec(result.stderr)?.[1] ?? '');
    expect(url.searchParams.get('client_id')).toBe('arn:aws:signin:::devtools/cross-device');
    expect(url.searchParams.get('redirect_uri')).toBe(`${emulator.url}/v1/sessions/confirmation`);
    const [file] = await cacheFiles();
    const doc = JSON.parse(await readFile(join(cacheDir(), file ?? ''), 'utf8')) as { clientId: string };
    expect(doc.clientId).toBe('arn:aws:signin:::devtools/cross-device');
    expect(await readFile(home.config, 'utf8')).toContain(`output = json\nlogin_session = ${ALICE}\n`);
  });

  it('a code from another sign-in (its state differs) is exit 10 with nothing written', async () => {
    const foreign = Buffer.from('state=someone-else&code=abc', 'utf8').toString('base64');
    const user = pastingUser(() => foreign);
    const result = await runInProcess(['login', '--profile', 'work', '--remote'], {
      env: env(),
      prompter: user,
      onStderr: (text) => (user as unknown as { seen: (t: string) => void }).seen(text),
    });
    expect(result.code).toBe(10);
    expect(result.stderr.split('\n').at(-2)).toBe(
      'awskeys: error: The pasted code belongs to another sign-in (its state does not match this login); nothing was written. (hint: run awskeys login --remote again, and open only the URL it prints)',
    );
    expect(await cacheFiles()).toEqual([]);
    expect(await readFile(home.config, 'utf8')).toBe(CONFIG);
  });

  it('without a terminal to paste into: exit 7 before anything is opened', async () => {
    const result = await runInProcess(['login', '--profile', 'work', '--remote'], { env: env() });
    expect(result.code).toBe(7);
    expect(result.stderr).toBe(
      'awskeys: error: awskeys login --remote asks for the code the browser shows, and there is no terminal to paste it into. (hint: run it in a terminal, or without --remote on a machine with a browser)\n',
    );
    expect(emulator.calls.authorize).toBe(0);
  });
});

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tokenCachePath, writeToken } from '../src/sso/token-cache.js';
import { startSsoEmulator, type SsoEmulator } from '../emulators/sso/index.js';
import { ensureBuilt } from './support/built.js';
import { binPath, repoRoot, tempHome } from './support/cli.js';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js';
import { holdLock, type HeldLock } from './support/held-lock.js';
import { spawnCollecting } from './support/spawn.js';

/**
 * Ctrl-C, SIGTERM (`timeout`, a cancelled CI job) and SIGHUP (a closed terminal, a dropped SSH
 * session) stop `sso login` at every step it waits in: for the user's authorization (device-flow
 * polling, the PKCE loopback), for the account list, for the config file's lock to write the
 * profile. Each ends with 128 + the signal's number and one line that names the signal and says
 * exactly what was kept: before a token is cached nothing at all; after it, the login (the token
 * cache, and the role credentials fetched for the chosen role) but no profile. Real signals to the
 * built binary; the SSO emulator never approves on its own, and a proxy or a held lock keeps
 * awskeys at the step under test until the signal arrives.
 */

beforeAll(ensureBuilt, 120_000);

const START_URL = 'https://acme.awsapps.com/start';
const REGION = 'eu-west-1';
const CONFIG = '# mine\n[profile dev]\nregion = us-east-1\n';
const LOGIN = ['sso', 'login', '--start-url', START_URL, '--region', REGION, '--profile', 'ro'];
const ROLE = ['--account-id', '111122223333', '--role-name', 'ReadOnlyAccess'];
const LOGGED_IN_HINT = '(hint: run the command again: it reuses the cached login)';

let emulator: SsoEmulator | undefined;
let proxy: FaultProxy | undefined;
let lock: HeldLock | undefined;
afterEach(async () => {
  await lock?.release();
  await proxy?.close();
  await emulator?.close();
  lock = proxy = emulator = undefined;
});

/** A HOME with a config of the user's and another session's cached token, and a way to compare it. */
async function setUp() {
  emulator = await startSsoEmulator();
  const h = await tempHome({ config: CONFIG, modes: 'private' });
  const cacheDir = join(h.home, '.aws', 'sso', 'cache');
  await writeToken(tokenCachePath(cacheDir, { sessionName: 'other', startUrl: 'https://other.awsapps.com/start' }), {
    startUrl: 'https://other.awsapps.com/start',
    region: REGION,
    ...emulator.issueToken({ startUrl: 'https://other.awsapps.com/start' }),
  });
  /** Every file under ~/.aws with its bytes (a held lock aside). */
  const snapshot = async () => {
    const aws = join(h.home, '.aws');
    const entries = await readdir(aws, { recursive: true, withFileTypes: true });
    const files = entries.filter((e) => e.isFile() && e.name !== 'config.lock').map((e) => join(e.parentPath, e.name).slice(aws.length + 1));
    return Object.fromEntries(await Promise.all(files.sort().map(async (f) => [f, (await readFile(join(aws, f))).toString('base64')] as const)));
  };
  /** A valid login for the session under test, cached before the run. */
  const cacheLogin = async (e: SsoEmulator) => {
    await writeToken(tokenCachePath(cacheDir, { sessionName: 'acme', startUrl: START_URL }), { startUrl: START_URL, region: REGION, ...e.issueToken({ startUrl: START_URL }) });
  };
  return { ...h, emulator, snapshot, cacheLogin };
}

function start(argv: string[], env: Record<string, string>) {
  return spawnCollecting(process.execPath, [binPath, ...argv], { cwd: repoRoot, env: { PATH: process.env.PATH, ...env } });
}

describe.each([
  ['SIGINT', 130, 'Interrupted'],
  ['SIGTERM', 143, 'Stopped by SIGTERM'],
  ['SIGHUP', 129, 'Stopped by SIGHUP (hang-up)'],
] as const)('%s during awskeys sso login (the built binary)', (signal, code, stoppedBy) => {
  it('while it polls for the approval of the device code: nothing was written', async () => {
    const s = await setUp();
    const before = await s.snapshot();
    const run = start([...LOGIN, ...ROLE, '--use-device-code', '--no-browser'], { ...s.env, ...s.emulator.env });
    await expect.poll(() => s.emulator.calls.CreateToken, { timeout: 15_000 }).toBeGreaterThan(0);
    run.child.kill(signal);
    const r = await run.exited;

    expect({ code: r.code, stdout: r.stdout, last: r.stderr.split('\n').at(-2) }).toEqual({
      code,
      stdout: '',
      last: `awskeys: error: ${stoppedBy}; nothing was written.`,
    });
    expect(await s.snapshot()).toEqual(before);
  });

  it('while it waits for the browser to come back to the loopback (PKCE): nothing was written', async () => {
    const s = await setUp();
    const before = await s.snapshot();
    const run = start([...LOGIN, ...ROLE, '--use-auth-code', '--no-browser'], { ...s.env, ...s.emulator.env });
    await expect.poll(() => run.out.stderr, { timeout: 15_000 }).toMatch(/\/authorize\?/);
    run.child.kill(signal);
    const r = await run.exited;

    expect({ code: r.code, stdout: r.stdout, last: r.stderr.split('\n').at(-2) }).toEqual({
      code,
      stdout: '',
      last: `awskeys: error: ${stoppedBy}; nothing was written.`,
    });
    expect(await s.snapshot()).toEqual(before);
  });

  it('while it lists the accounts (a cached login): the login is kept, no profile was written, no file changed', async () => {
    const s = await setUp();
    await s.cacheLogin(s.emulator);
    proxy = await startFaultProxy(s.emulator.url);
    const listing = (r: { path: string }) => r.path.startsWith('/assignment/accounts');
    proxy.faults.push({ action: '*', when: listing, effect: 'delay', delayMs: 20_000 });
    const before = await s.snapshot();
    const run = start(LOGIN, { ...s.env, ...s.emulator.env, AWS_ENDPOINT_URL_SSO: proxy.url });
    await proxy.arrival(listing);
    run.child.kill(signal);
    const r = await run.exited;

    expect({ code: r.code, stdout: r.stdout, last: r.stderr.split('\n').at(-2) }).toEqual({
      code,
      stdout: '',
      last: `awskeys: error: ${stoppedBy}; you are logged in (token cached), but no profile was written. ${LOGGED_IN_HINT}`,
    });
    expect(await s.snapshot()).toEqual(before);
  });

  it('while it lists the accounts right after a new login: the new login is cached (token and client registration), nothing else changed', async () => {
    const s = await setUp();
    proxy = await startFaultProxy(s.emulator.url);
    const listing = (r: { path: string }) => r.path.startsWith('/assignment/accounts');
    proxy.faults.push({ action: '*', when: listing, effect: 'delay', delayMs: 20_000 });
    const before = await s.snapshot();
    const run = start([...LOGIN, '--use-device-code', '--no-browser'], { ...s.env, ...s.emulator.env, AWS_ENDPOINT_URL_SSO: proxy.url });
    await expect.poll(() => s.emulator.userCodes.length, { timeout: 15_000 }).toBe(1);
    s.emulator.approve(s.emulator.userCodes[0] ?? '');
    await proxy.arrival(listing);
    run.child.kill(signal);
    const r = await run.exited;

    expect({ code: r.code, stdout: r.stdout, last: r.stderr.split('\n').at(-2) }).toEqual({
      code,
      stdout: '',
      last: `awskeys: error: ${stoppedBy}; you are logged in (token cached), but no profile was written. ${LOGGED_IN_HINT}`,
    });
    const after = await s.snapshot();
    const added = Object.keys(after).filter((f) => !(f in before));
    expect(added.map((f) => f.split('/').slice(0, -1).join('/'))).toEqual([join('sso', 'cache'), join('sso', 'cache')]);
    const token = added.map((f) => JSON.parse(Buffer.from(after[f] ?? '', 'base64').toString('utf8')) as Record<string, unknown>).find((doc) => 'accessToken' in doc);
    expect(token).toMatchObject({ startUrl: START_URL, region: REGION });
    expect(Object.fromEntries(Object.entries(after).filter(([f]) => !added.includes(f)))).toEqual(before);
  });

  it("while it waits for the config file's lock to write the profile: the login and the role's credentials are kept, no profile was written", async () => {
    const s = await setUp();
    await s.cacheLogin(s.emulator);
    const before = await s.snapshot();
    lock = await holdLock(s.config);
    const run = start([...LOGIN, ...ROLE], { ...s.env, ...s.emulator.env });
    await lock.noticed;
    run.child.kill(signal);
    const r = await run.exited;

    expect({ code: r.code, stdout: r.stdout, last: r.stderr.split('\n').at(-2) }).toEqual({
      code,
      stdout: '',
      last: `awskeys: error: ${stoppedBy}; you are logged in (token cached), but no profile was written. ${LOGGED_IN_HINT}`,
    });
    const after = await s.snapshot();
    const roleCache = Object.keys(after).filter((f) => f.startsWith(join('cli', 'cache')));
    expect(roleCache).toHaveLength(1);
    expect(Object.fromEntries(Object.entries(after).filter(([f]) => !roleCache.includes(f)))).toEqual(before);
  });
});

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sdkClients } from '../src/aws-sdk/aws-clients.js';
import { LoginRequiredError, NetworkError } from '../src/errors/cli-error.js';
import { getCachedAccessToken } from '../src/sso/session-token.js';
import { listAllAccounts } from '../src/sso/portal.js';
import { ssoError } from '../src/sso/sso-errors.js';
import type { SsoSessionRef } from '../src/sso/token-cache.js';
import { tokenCachePath, writeToken } from '../src/sso/token-cache.js';
import { tempHome } from './support/cli.js';
import { fakeClock, type FakeClock } from './support/fake-clock.js';
import { startSsoEmulator, type SsoEmulator } from '../emulators/sso/index.js';

const START_URL = 'https://acme.awsapps.com/start';
const SESSION: SsoSessionRef = { sessionName: 'acme', startUrl: START_URL, region: 'eu-west-1', scopes: ['sso:account:access'] };
const LEGACY: SsoSessionRef = { startUrl: START_URL, region: 'eu-west-1' };

let emulator: SsoEmulator;
let clock: FakeClock;
let cacheDir: string;

beforeEach(async () => {
  clock = fakeClock();
  emulator = await startSsoEmulator({ now: clock.nowMs });
  cacheDir = join((await tempHome()).home, '.aws', 'sso', 'cache');
});
afterEach(() => emulator.close());

/** Clients that reach the emulator through its AWS_ENDPOINT_URL_* variables. */
const clients = () => sdkClients({ env: emulator.env, homeDir: '/nonexistent' });
const deps = () => ({ ssoCacheDir: cacheDir, aws: clients(), clock });

/** Seeds the cache with a token the emulator knows, expiring in `ttlSeconds`. */
async function seed(ref: SsoSessionRef, ttlSeconds: number, withRefreshToken = true) {
  const issued = emulator.issueToken({ startUrl: ref.startUrl, ttlSeconds, withRefreshToken });
  await writeToken(tokenCachePath(cacheDir, ref), { startUrl: ref.startUrl, region: ref.region, ...issued });
  return issued;
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (err) {
    return err as LoginRequiredError;
  }
  throw new Error('expected a failure');
}

describe('getCachedAccessToken (used by awskeys env for SSO profiles; never logs in)', () => {
  it('returns a cached token with more than 15 minutes left, without calling the service', async () => {
    const issued = await seed(SESSION, 3600);
    const token = await getCachedAccessToken(SESSION, deps());
    expect(token.accessToken).toBe(issued.accessToken);
    expect(emulator.calls.CreateToken).toBe(0);
  });

  it('refreshes a session token near expiry and writes it back in the AWS CLI format', async () => {
    const issued = await seed(SESSION, 600);
    const token = await getCachedAccessToken(SESSION, deps());
    expect(token.accessToken).not.toBe(issued.accessToken);
    expect(emulator.isAccessTokenValid(token.accessToken)).toBe(true);
    const file = JSON.parse(await readFile(tokenCachePath(cacheDir, SESSION), 'utf8')) as Record<string, string>;
    expect(file.accessToken).toBe(token.accessToken);
    expect(file.expiresAt).toBe('2026-06-01T20:00:00Z');
    expect(file.refreshToken).toBe(token.refreshToken);
  });

  it('honours a custom refresh window (the JS SDK uses 5 minutes)', async () => {
    const issued = await seed(SESSION, 600);
    const token = await getCachedAccessToken(SESSION, deps(), { refreshWindowMs: 5 * 60_000 });
    expect(token.accessToken).toBe(issued.accessToken);
  });

  it('never refreshes a legacy token, but uses it while it has not expired', async () => {
    const issued = await seed(LEGACY, 600);
    expect((await getCachedAccessToken(LEGACY, deps())).accessToken).toBe(issued.accessToken);
    expect(emulator.calls.CreateToken).toBe(0);
  });

  it('keeps using a near-expiry token whose refresh is refused', async () => {
    const issued = await seed(SESSION, 600);
    emulator.injectFault('CreateToken', { status: 400, errorType: 'InvalidGrantException' });
    expect((await getCachedAccessToken(SESSION, deps())).accessToken).toBe(issued.accessToken);
  });

  it.each([
    ['no cached login', undefined, 'Not logged in to the SSO session "acme".'],
    ['an expired legacy token', 'legacy', 'The SSO start URL https://acme.awsapps.com/start has expired.'],
    ['an expired token whose refresh is refused', 'refused', 'The SSO session "acme" has expired and could not be refreshed.'],
  ])('throws LoginRequiredError (exit 9) naming the login command for %s', async (_what, setup, message) => {
    const ref = setup === 'legacy' ? LEGACY : SESSION;
    if (setup !== undefined) await seed(ref, -60);
    if (setup === 'refused') emulator.injectFault('CreateToken', { status: 400, errorType: 'InvalidGrantException' });
    const err = await failure(getCachedAccessToken(ref, deps(), { profile: 'dev' }));
    expect(err).toBeInstanceOf(LoginRequiredError);
    expect(err.exitCode).toBe(9);
    expect(err.message).toBe(message);
    expect(err.hint).toBe('run: awskeys sso login --profile dev');
  });

  it('refreshes an expired session token when its refresh token still works', async () => {
    await seed(SESSION, -60);
    const token = await getCachedAccessToken(SESSION, deps());
    expect(token.expiresAt).toEqual(new Date(clock.nowMs() + 8 * 3600_000));
  });

  it('reports an unreachable service as a network error, not as a needed login', async () => {
    await seed(SESSION, -60);
    await emulator.close();
    const err = await failure(getCachedAccessToken(SESSION, deps()));
    expect(err).toBeInstanceOf(NetworkError);
  });

  it('refuses a token cached for another start URL', async () => {
    await seed({ ...SESSION, startUrl: 'https://other.awsapps.com/start' }, 3600);
    const err = await failure(getCachedAccessToken(SESSION, deps()));
    expect(err.message).toBe(
      'The cached token for the SSO session "acme" was issued for another start URL (https://other.awsapps.com/start).',
    );
  });

  it('reads tokens the JS SDK wrote (expiresAt with milliseconds) and old CLI ones (UTC suffix)', async () => {
    const issued = emulator.issueToken({ startUrl: START_URL });
    const path = tokenCachePath(cacheDir, SESSION);
    await mkdir(cacheDir, { recursive: true });
    for (const expiresAt of ['2026-06-01T19:00:00.123Z', '2026-06-01T19:00:00UTC', '2026-06-01T19:00:00+00:00']) {
      await writeFile(path, JSON.stringify({ startUrl: START_URL, region: 'eu-west-1', accessToken: issued.accessToken, expiresAt }));
      expect((await getCachedAccessToken(SESSION, deps())).expiresAt.toISOString().slice(0, 19)).toBe('2026-06-01T19:00:00');
    }
  });
});

describe('a portal 401 on an expired token', () => {
  it('maps to LoginRequiredError (exit 9) with the login hint', async () => {
    const issued = await seed(SESSION, 3600);
    emulator.expireAccessToken(issued.accessToken);
    const sso = await clients().sso('eu-west-1');
    const err = await failure(
      listAllAccounts(sso, issued.accessToken).catch((e: unknown) => {
        throw ssoError(e, 'Listing SSO accounts', SESSION, 'dev');
      }),
    );
    expect(err).toBeInstanceOf(LoginRequiredError);
    expect(err.message).toBe('Listing SSO accounts: the SSO session has expired or was signed out.');
    expect(err.hint).toBe('run: awskeys sso login --profile dev');
  });
});

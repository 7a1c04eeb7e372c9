import { describe, expect, it } from 'vitest';
import { fakeClock } from '../../test/support/fake-clock.js';
import { CredentialsError } from '../errors/cli-error.js';
import type { AwsCredentials } from '../output/credentials.js';
import { credentialEndpoint, type EndpointOptions } from './credential-endpoint.js';

const MIN = 60_000;
const START = Date.parse('2026-06-01T12:00:00Z');

function creds(n: number, expiresInMin: number | undefined, now = START): AwsCredentials {
  return {
    accessKeyId: `ASIA${n}`,
    secretAccessKey: `secret${n}`,
    sessionToken: `token${n}`,
    expiration: expiresInMin === undefined ? undefined : new Date(now + expiresInMin * MIN),
  };
}

/** An endpoint whose source hands out credentials 1, 2, 3... each valid for an hour from the (fake) now. */
function setup(initial: AwsCredentials, overrides: Partial<EndpointOptions> = {}) {
  const clock = fakeClock(START);
  const warnings: string[] = [];
  let fetches = 0;
  const endpoint = credentialEndpoint({
    fetch: () => {
      fetches += 1;
      return Promise.resolve(creds(fetches + 1, 60, clock.nowMs()));
    },
    clock,
    initial,
    warn: (line) => warnings.push(line),
    token: 'the-token',
    ...overrides,
  });
  const get = async (...[authorization, path = '/credentials', method = 'GET']: [string?, string?, string?]) => {
    const response = await endpoint.handle({ method, path, authorization });
    return { status: response.status, body: JSON.parse(response.body) as Record<string, string> };
  };
  const getWithToken = (path?: string, method?: string) => get('the-token', path, method);
  return { clock, warnings, get: getWithToken, getAs: get, fetches: () => fetches, endpoint };
}

describe('credential endpoint', () => {
  it('serves the ECS document to a request with the token', async () => {
    const { get, fetches } = setup(creds(1, 60));
    expect(await get()).toEqual({
      status: 200,
      body: { AccessKeyId: 'ASIA1', SecretAccessKey: 'secret1', Token: 'token1', Expiration: '2026-06-01T13:00:00Z' },
    });
    expect(fetches()).toBe(0);
  });

  it.each([
    ['no Authorization header', undefined],
    ['a wrong token', 'the-tokeN'],
    ['a prefix of the token', 'the-'],
    ['an empty one', ''],
  ])('answers 403 to a request with %s, whatever the path', async (_, authorization) => {
    const { getAs } = setup(creds(1, 60));
    expect(await getAs(authorization)).toEqual({ status: 403, body: { Message: 'missing or wrong Authorization token' } });
    expect(await getAs(authorization, '/other')).toEqual({ status: 403, body: { Message: 'missing or wrong Authorization token' } });
  });

  it('404 for another path and 405 for another method, once the token is right', async () => {
    const { get } = setup(creds(1, 60));
    expect((await get('/credentials/x')).status).toBe(404);
    expect((await get('/credentials', 'POST')).status).toBe(405);
  });

  it('makes a random token of 32 bytes when none is given', () => {
    const a = credentialEndpoint({ fetch: () => Promise.reject(new Error('unused')), clock: fakeClock(), initial: creds(1, 60), warn: () => undefined });
    const b = credentialEndpoint({ fetch: () => Promise.reject(new Error('unused')), clock: fakeClock(), initial: creds(1, 60), warn: () => undefined });
    expect(a.authorizationToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.authorizationToken).not.toBe(b.authorizationToken);
  });

  it('within 15 minutes of expiry answers at once with the current credentials and fetches new ones for the next request', async () => {
    const { get, clock, fetches } = setup(creds(1, 60));
    clock.advance(46 * MIN); // 14 minutes left
    expect((await get()).body.AccessKeyId).toBe('ASIA1');
    expect(fetches()).toBe(1);
    const next = await get();
    expect(next.body).toEqual({ AccessKeyId: 'ASIA2', SecretAccessKey: 'secret2', Token: 'token2', Expiration: '2026-06-01T13:46:00Z' });
    expect(fetches()).toBe(1);
  });

  it('within 5 minutes of expiry waits for new credentials; simultaneous requests share one fetch', async () => {
    const { get, clock, fetches } = setup(creds(1, 60));
    clock.advance(56 * MIN);
    const [a, b] = await Promise.all([get(), get()]);
    expect([a.body.AccessKeyId, b.body.AccessKeyId]).toEqual(['ASIA2', 'ASIA2']);
    expect(fetches()).toBe(1);
  });

  it('hours later, always credentials with time left', async () => {
    const { get, clock } = setup(creds(1, 60));
    for (let minute = 0; minute < 6 * 60; minute += 7) {
      const { body } = await get();
      expect(Date.parse(body.Expiration ?? '') - clock.nowMs()).toBeGreaterThan(5 * MIN);
      clock.advance(7 * MIN);
    }
  });

  it('long-lived keys: no token, an expiry an hour ahead, and no fetch', async () => {
    const { get, clock, fetches } = setup({ accessKeyId: 'AKIA1', secretAccessKey: 's1' });
    clock.advance(600 * MIN);
    expect(await get()).toEqual({ status: 200, body: { AccessKeyId: 'AKIA1', SecretAccessKey: 's1', Token: '', Expiration: '2026-06-01T23:00:00Z' } });
    expect(fetches()).toBe(0);
  });

  it('a failed refresh keeps serving credentials that still work, with one warning', async () => {
    let calls = 0;
    const { get, clock, warnings } = setup(creds(1, 60), {
      fetch: () => {
        calls += 1;
        return Promise.reject(new CredentialsError('The SSO session has expired.', { hint: 'awskeys sso login --profile dev' }));
      },
    });
    clock.advance(57 * MIN);
    expect((await get()).body.AccessKeyId).toBe('ASIA1');
    expect((await get()).body.AccessKeyId).toBe('ASIA1');
    expect(calls).toBe(2);
    expect(warnings).toEqual([
      'could not refresh the credentials for the command: The SSO session has expired. (hint: awskeys sso login --profile dev)',
    ]);
  });

  it('a failed refresh of expired credentials is a 500, never the expired ones', async () => {
    const { get, clock } = setup(creds(1, 60), { fetch: () => Promise.reject(new Error('network down')) });
    clock.advance(61 * MIN);
    expect(await get()).toEqual({ status: 500, body: { Message: 'awskeys could not refresh the credentials; see its terminal' } });
  });
});

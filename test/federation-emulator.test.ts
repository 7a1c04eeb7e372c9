import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SIGNIN_TOKEN_TTL_MS, startFederationEmulator, type FederationEmulator } from '../emulators/federation/index.js';

/** The local federation endpoint refuses what AWS's refuses, so the console tests can fail. */

let now = Date.now();
let emulator: FederationEmulator;
beforeEach(async () => {
  emulator = await startFederationEmulator({ now: () => now });
});
afterEach(async () => {
  await emulator.close();
});

const session = JSON.stringify({ sessionId: 'ASIA1', sessionKey: 'k', sessionToken: 't' });
const post = (form: Record<string, string>) =>
  fetch(emulator.federationUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });

describe('getSigninToken', () => {
  it.each([
    [{}, 'Session is missing.'],
    [{ Session: 'nope' }, 'Session is not JSON.'],
    [{ Session: '[]' }, 'Session must be a JSON object.'],
    [{ Session: JSON.stringify({ sessionId: 'a', sessionKey: 'b' }) }, 'Session must have exactly sessionId, sessionKey and sessionToken, not sessionId, sessionKey.'],
    [{ Session: JSON.stringify({ sessionId: 'a', sessionKey: 'b', sessionToken: '' }) }, 'sessionId, sessionKey and sessionToken must be non-empty strings.'],
    [{ Session: session, SessionDuration: '899' }, 'SessionDuration must be from 900 to 43200 seconds.'],
    [{ Session: session, SessionDuration: '43201' }, 'SessionDuration must be from 900 to 43200 seconds.'],
  ])('answers 400 to %j', async (form, message) => {
    const answer = await post({ Action: 'getSigninToken', ...form });
    expect([answer.status, await answer.text()]).toEqual([400, `${message}\n`]);
    expect(emulator.signinTokens).toEqual([]);
  });

  it('issues a token usable for 15 minutes, by GET as well, recording what came in the query', async () => {
    const url = `${emulator.federationUrl}?Action=getSigninToken&Session=${encodeURIComponent(session)}`;
    const { SigninToken } = (await (await fetch(url)).json()) as { SigninToken: string };
    expect(emulator.signinTokens[0]).toMatchObject({ method: 'GET', inQuery: ['Action', 'Session'], token: SigninToken });
    const login = (token: string) =>
      fetch(`${emulator.federationUrl}?Action=login&Destination=${encodeURIComponent('https://console.aws.amazon.com/')}&SigninToken=${token}`, { redirect: 'manual' });
    expect((await login('forged')).status).toBe(400);
    now += SIGNIN_TOKEN_TTL_MS - 1000;
    expect((await login(SigninToken)).status).toBe(302);
    now += 2000;
    expect((await login(SigninToken)).status).toBe(400);
  });
});

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CreateOAuth2TokenCommand, SigninClient, type CreateOAuth2TokenCommandOutput } from '@aws-sdk/nested-clients/signin';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CROSS_DEVICE_CLIENT_ID, SAME_DEVICE_CLIENT_ID, startSigninEmulator, type SigninEmulator } from '../emulators/signin/index.js';
import { cliTimestamp, loginCachePath, writeLoginCache } from '../src/login/login-cache.js';
import { botocoreLoginCredentials } from './support/signin-botocore.js';
import { dpopProof, makeDpopKey, makePkce, type DpopKey } from './support/signin-dpop.js';
import { jsSdkLoginCredentials } from './support/signin-jssdk.js';
import { needs } from './support/optional-tools.js';

const ALICE = 'arn:aws:iam::111122223333:user/alice';

let emulator: SigninEmulator;
afterEach(async () => {
  await emulator.close();
});

/** The SDK's own signin client, pointed at the emulator the standard way, with a DPoP proof per request (as the SDK's login provider adds one). */
function signinClient(key: DpopKey, proof: (htu: string) => string = (htu) => dpopProof(key, htu)): SigninClient {
  const client = new SigninClient({ region: 'us-east-1', endpoint: emulator.url, maxAttempts: 1, credentials: { accessKeyId: '', secretAccessKey: '' } });
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { protocol: string; hostname: string; port?: number; path: string; headers: Record<string, string> };
      request.headers.DPoP = proof(`${request.protocol}//${request.hostname}${request.port ? `:${String(request.port)}` : ''}${request.path}`);
      return next(args);
    },
    { step: 'finalizeRequest', name: 'dpop' },
  );
  return client;
}

async function authorizeSameDevice(challenge: string, state = 'state-1'): Promise<URL> {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: SAME_DEVICE_CLIENT_ID,
    redirect_uri: 'http://127.0.0.1:43210/oauth/callback',
    state,
    code_challenge: challenge,
    code_challenge_method: 'SHA-256',
    scope: 'openid',
  });
  const res = await fetch(`${emulator.url}/v1/authorize?${query.toString()}`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

async function rejection(promise: Promise<unknown>): Promise<{ name: string; error: unknown; status: number | undefined; message: string }> {
  const err = (await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  )) as { name: string; error?: unknown; message: string; $metadata?: { httpStatusCode?: number } };
  return { name: err.name, error: err.error, status: err.$metadata?.httpStatusCode, message: err.message };
}

describe('the Sign-In emulator, driven by the JS SDK signin client (CreateOAuth2TokenCommand)', () => {
  beforeEach(async () => {
    emulator = await startSigninEmulator({ autoApprove: true });
  });

  async function signIn(key: DpopKey): Promise<CreateOAuth2TokenCommandOutput> {
    const pkce = makePkce();
    const callback = await authorizeSameDevice(pkce.challenge);
    return signinClient(key).send(
      new CreateOAuth2TokenCommand({
        tokenInput: {
          clientId: SAME_DEVICE_CLIENT_ID,
          grantType: 'authorization_code',
          code: callback.searchParams.get('code') ?? '',
          codeVerifier: pkce.verifier,
          redirectUri: 'http://127.0.0.1:43210/oauth/callback',
        },
      }),
    );
  }

  it('same device: /v1/authorize redirects to the loopback with a code and the state, and the code with its verifier gives credentials, a refresh token and an id token naming the session', async () => {
    const pkce = makePkce();
    const callback = await authorizeSameDevice(pkce.challenge, 'xyz-state');
    expect(`${callback.origin}${callback.pathname}`).toBe('http://127.0.0.1:43210/oauth/callback');
    expect(callback.searchParams.get('state')).toBe('xyz-state');
    const out = await signinClient(makeDpopKey()).send(
      new CreateOAuth2TokenCommand({
        tokenInput: {
          clientId: SAME_DEVICE_CLIENT_ID,
          grantType: 'authorization_code',
          code: callback.searchParams.get('code') ?? '',
          codeVerifier: pkce.verifier,
          redirectUri: 'http://127.0.0.1:43210/oauth/callback',
        },
      }),
    );
    const token = out.tokenOutput;
    expect(token?.tokenType).toBe('aws_sigv4');
    expect(token?.expiresIn).toBe(900);
    expect(token?.accessToken?.accessKeyId).toBe(emulator.issuedAccessKeyIds[0]);
    expect(token?.refreshToken && emulator.isRefreshTokenActive(token.refreshToken)).toBe(true);
    const claims = JSON.parse(Buffer.from(token?.idToken?.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub: string; aud: string };
    expect(claims).toMatchObject({ sub: ALICE, aud: SAME_DEVICE_CLIENT_ID });
  });

  it('a PKCE method other than SHA-256 (the name the service uses, not S256) goes back to the redirect as invalid_request with the state', async () => {
    const query = new URLSearchParams({
      response_type: 'code', client_id: SAME_DEVICE_CLIENT_ID, redirect_uri: 'http://127.0.0.1:43210/oauth/callback',
      state: 's1', code_challenge: makePkce().challenge, code_challenge_method: 'S256', scope: 'openid',
    });
    const res = await fetch(`${emulator.url}/v1/authorize?${query.toString()}`, { redirect: 'manual' });
    const back = new URL(res.headers.get('location') ?? '');
    expect([back.searchParams.get('error'), back.searchParams.get('state')]).toEqual(['invalid_request', 's1']);
  });

  it('a redirect_uri that is not the loopback callback is refused on a page, never redirected to', async () => {
    const query = new URLSearchParams({
      response_type: 'code', client_id: SAME_DEVICE_CLIENT_ID, redirect_uri: 'https://attacker.example/oauth/callback',
      state: 's1', code_challenge: makePkce().challenge, code_challenge_method: 'SHA-256', scope: 'openid',
    });
    const res = await fetch(`${emulator.url}/v1/authorize?${query.toString()}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('cross device: the sign-in page, then the confirmation page shows base64 of state=...&code=..., which redeems', async () => {
    emulator.setAutoApprove(false);
    const pkce = makePkce();
    const confirmation = `${emulator.url}/v1/sessions/confirmation`;
    const query = new URLSearchParams({
      response_type: 'code', client_id: CROSS_DEVICE_CLIENT_ID, redirect_uri: confirmation,
      state: 'remote-state', code_challenge: pkce.challenge, code_challenge_method: 'SHA-256', scope: 'openid',
    });
    const signInPage = await (await fetch(`${emulator.url}/v1/authorize?${query.toString()}`)).text();
    expect(signInPage).toContain('another device');
    const [requestId] = emulator.pendingAuthorizations;
    const form = new URLSearchParams({ request_id: requestId ?? '', decision: 'allow', login_session: ALICE });
    const approved = await fetch(`${emulator.url}/v1/authorize`, { method: 'POST', body: form, redirect: 'manual' });
    const shown = await (await fetch(approved.headers.get('location') ?? '')).text();
    const pasted = /<pre id="verification-code">([^<]+)<\/pre>/.exec(shown)?.[1] ?? '';
    const params = new URLSearchParams(Buffer.from(pasted, 'base64').toString('utf8'));
    expect(params.get('state')).toBe('remote-state');
    const out = await signinClient(makeDpopKey()).send(
      new CreateOAuth2TokenCommand({
        tokenInput: { clientId: CROSS_DEVICE_CLIENT_ID, grantType: 'authorization_code', code: params.get('code') ?? '', codeVerifier: pkce.verifier, redirectUri: confirmation },
      }),
    );
    expect(out.tokenOutput?.accessToken?.accessKeyId).toMatch(/^ASIA/);
  });

  it('a code redeems once: the second time is AccessDeniedException AUTHCODE_EXPIRED (401); a wrong verifier is ValidationException', async () => {
    const key = makeDpopKey();
    const pkce = makePkce();
    const code = (await authorizeSameDevice(pkce.challenge)).searchParams.get('code') ?? '';
    const input = { clientId: SAME_DEVICE_CLIENT_ID, grantType: 'authorization_code', code, codeVerifier: pkce.verifier, redirectUri: 'http://127.0.0.1:43210/oauth/callback' };
    await signinClient(key).send(new CreateOAuth2TokenCommand({ tokenInput: input }));
    expect(await rejection(signinClient(key).send(new CreateOAuth2TokenCommand({ tokenInput: input })))).toMatchObject({
      name: 'AccessDeniedException', error: 'AUTHCODE_EXPIRED', status: 401,
    });
    const other = makePkce();
    const code2 = (await authorizeSameDevice(other.challenge)).searchParams.get('code') ?? '';
    expect(await rejection(signinClient(key).send(new CreateOAuth2TokenCommand({ tokenInput: { ...input, code: code2, codeVerifier: makePkce().verifier } })))).toMatchObject({
      name: 'ValidationException', error: 'INVALID_REQUEST', status: 400, message: 'codeVerifier does not match the code challenge',
    });
  });

  it('refresh rotates the refresh token; the old one is then TOKEN_EXPIRED, and another DPoP key cannot use the new one', async () => {
    const key = makeDpopKey();
    const first = (await signIn(key)).tokenOutput?.refreshToken ?? '';
    const refresh = (token: string, k = key) =>
      signinClient(k).send(new CreateOAuth2TokenCommand({ tokenInput: { clientId: SAME_DEVICE_CLIENT_ID, grantType: 'refresh_token', refreshToken: token } }));
    const second = (await refresh(first)).tokenOutput?.refreshToken ?? '';
    expect(second).not.toBe(first);
    expect(await rejection(refresh(first))).toMatchObject({ name: 'AccessDeniedException', error: 'TOKEN_EXPIRED', status: 401 });
    expect(await rejection(refresh(second, makeDpopKey()))).toMatchObject({ name: 'AccessDeniedException', error: 'INVALID_REQUEST' });
    expect(emulator.isRefreshTokenActive(second)).toBe(true);
  });

  it.each([
    ['TOKEN_EXPIRED', 401],
    ['USER_CREDENTIALS_CHANGED', 403],
  ] as const)('a session ended with %s answers the refresh AccessDeniedException with that error (%i)', async (reason, status) => {
    const key = makeDpopKey();
    const token = (await signIn(key)).tokenOutput?.refreshToken ?? '';
    emulator.revokeSession({ refreshToken: token }, reason);
    const err = await rejection(signinClient(key).send(new CreateOAuth2TokenCommand({ tokenInput: { clientId: SAME_DEVICE_CLIENT_ID, grantType: 'refresh_token', refreshToken: token } })));
    expect(err).toMatchObject({ name: 'AccessDeniedException', error: reason, status });
  });

  it('denyPermission: INSUFFICIENT_PERMISSIONS (403) naming signin:CreateOAuth2Token', async () => {
    const key = makeDpopKey();
    const token = (await signIn(key)).tokenOutput?.refreshToken ?? '';
    emulator.denyPermission(ALICE);
    const err = await rejection(signinClient(key).send(new CreateOAuth2TokenCommand({ tokenInput: { clientId: SAME_DEVICE_CLIENT_ID, grantType: 'refresh_token', refreshToken: token } })));
    expect(err).toEqual({ name: 'AccessDeniedException', error: 'INSUFFICIENT_PERMISSIONS', status: 403, message: 'User is not authorized to perform signin:CreateOAuth2Token' });
  });

  it.each([
    ['TooManyRequestsError', 429, 'INVALID_REQUEST'],
    ['InternalServerException', 500, 'server_error'],
    ['ValidationException', 400, 'INVALID_REQUEST'],
  ] as const)('injectFault %s: the SDK sees that shape with status %i and error %s', async (errorType, status, error) => {
    const key = makeDpopKey();
    const token = (await signIn(key)).tokenOutput?.refreshToken ?? '';
    emulator.injectFault({ errorType, grant: 'refresh_token' });
    const send = () => signinClient(key).send(new CreateOAuth2TokenCommand({ tokenInput: { clientId: SAME_DEVICE_CLIENT_ID, grantType: 'refresh_token', refreshToken: token } }));
    expect(await rejection(send())).toMatchObject({ name: errorType, status, error });
    expect((await send()).tokenOutput?.refreshToken).toBeTruthy();
  });

  describe('DPoP proofs', () => {
    const refreshWith = async (key: DpopKey, proof: (htu: string) => string) => {
      const token = (await signIn(key)).tokenOutput?.refreshToken ?? '';
      return rejection(signinClient(key, proof).send(new CreateOAuth2TokenCommand({ tokenInput: { clientId: SAME_DEVICE_CLIENT_ID, grantType: 'refresh_token', refreshToken: token } })));
    };
    it('a replayed jti is refused: a proof is good for one request', async () => {
      const key = makeDpopKey();
      const token = (await signIn(key)).tokenOutput?.refreshToken ?? '';
      const sameJti = signinClient(key, (htu) => dpopProof(key, htu, { jti: 'same-jti' }));
      const send = (refreshToken: string) => sameJti.send(new CreateOAuth2TokenCommand({ tokenInput: { clientId: SAME_DEVICE_CLIENT_ID, grantType: 'refresh_token', refreshToken } }));
      const next = (await send(token)).tokenOutput?.refreshToken ?? '';
      expect(await rejection(send(next))).toMatchObject({ name: 'ValidationException', status: 400, message: 'DPoP proof jti has already been used' });
    });
    it('htu of another URL, htm GET, an iat 10 minutes off and a proof signed by another key are each refused', async () => {
      const key = makeDpopKey();
      expect((await refreshWith(key, () => dpopProof(key, `${emulator.url}/v1/other`))).message).toBe('DPoP proof htu does not match the request URL');
      expect((await refreshWith(key, (htu) => dpopProof(key, htu, { htm: 'GET' }))).message).toBe('DPoP proof htm does not match the request method');
      expect((await refreshWith(key, (htu) => dpopProof(key, htu, { iat: Math.floor(Date.now() / 1000) - 600 }))).message).toBe('DPoP proof iat is outside the acceptable window');
      const forged = (htu: string) => {
        const [h, p] = dpopProof(key, htu).split('.');
        const [, , s] = dpopProof(makeDpopKey(), htu).split('.');
        return `${h ?? ''}.${p ?? ''}.${s ?? ''}`;
      };
      expect((await refreshWith(key, forged)).message).toBe('DPoP proof signature does not verify');
    });
    it('a request without a proof is refused', async () => {
      const res = await fetch(`${emulator.url}/v1/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId: SAME_DEVICE_CLIENT_ID, grantType: 'refresh_token', refreshToken: 'x' }) });
      expect([res.status, res.headers.get('x-amzn-errortype'), await res.json()]).toEqual([400, 'ValidationException', { error: 'INVALID_REQUEST', message: 'Missing DPoP proof' }]);
    });
  });
});

/** A HOME with a `login_session` profile, and its cache seeded as a signed-in session whose credentials expired a minute ago. */
describe('renewing an expired login_session cache against the emulator', () => {
  let dir: string;
  let env: Record<string, string>;
  let cachePath: string;
  beforeEach(async () => {
    emulator = await startSigninEmulator();
    dir = await mkdtemp(join(tmpdir(), 'awskeys-signin-'));
    await writeFile(join(dir, 'config'), `[profile dev]\nlogin_session = ${ALICE}\nregion = us-east-1\n`);
    env = { HOME: dir, AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_LOGIN_CACHE_DIRECTORY: join(dir, 'login-cache'), ...emulator.env };
    cachePath = await loginCachePath(join(dir, 'login-cache'), ALICE);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Written by awskeys' login-cache.ts: botocore's exact bytes, 0600. */
  async function seedExpiredCache(): Promise<{ refreshToken: string }> {
    const key = makeDpopKey();
    const seeded = emulator.seedSession({ dpopJwk: key.jwk, credentialsTtlSeconds: -60 });
    await mkdir(dirname(cachePath), { recursive: true });
    await writeLoginCache(cachePath, {
      accessToken: { accessKeyId: seeded.accessKeyId, secretAccessKey: seeded.secretAccessKey, sessionToken: seeded.sessionToken, accountId: seeded.accountId, expiresAt: cliTimestamp(seeded.expiresAt) },
      tokenType: 'aws_sigv4', clientId: seeded.clientId, refreshToken: seeded.refreshToken, idToken: seeded.idToken, dpopKey: key.pem,
    });
    return seeded;
  }
  const readCache = async () => JSON.parse(await readFile(cachePath, 'utf8')) as { refreshToken: string; accessToken: { accessKeyId: string; secretAccessKey: string; sessionToken: string; accountId: string; expiresAt: string } };

  describe('by the JS SDK fromLoginCredentials', () => {
    it('renews with the DPoP key from the cache, writes the new credentials back and rotates the refresh token', async () => {
      const seeded = await seedExpiredCache();
      const result = await jsSdkLoginCredentials('dev', env);
      const cache = await readCache();
      expect(emulator.calls.refresh_token).toBe(1);
      expect(result).toMatchObject({ accessKeyId: emulator.issuedAccessKeyIds.at(-1), accountId: '111122223333' });
      expect(cache.accessToken.accessKeyId).toBe(emulator.issuedAccessKeyIds.at(-1));
      expect(emulator.isRefreshTokenActive(cache.refreshToken)).toBe(true);
      expect(emulator.isRefreshTokenActive(seeded.refreshToken)).toBe(false);
    });

    it('TOKEN_EXPIRED reaches the SDK as its "session has expired" message', async () => {
      await seedExpiredCache();
      emulator.revokeSession({ loginSession: ALICE });
      expect(await jsSdkLoginCredentials('dev', env)).toEqual({ exception: 'CredentialsProviderError', message: 'Your session has expired. Please reauthenticate.' });
    });
  });

  const botocore = needs('botocore', 'cryptography');
  botocore.describe('by botocore LoginProvider (EC from cryptography: Debian awscrt 0.16.8 has no awscrt.crypto.EC)', () => {
    botocore.it('renews, rotates the refresh token and writes the cache back', async () => {
      const seeded = await seedExpiredCache();
      const result = await botocoreLoginCredentials('dev', env);
      const cache = await readCache();
      expect(emulator.calls.refresh_token).toBe(1);
      expect(result).toEqual({ accessKeyId: emulator.issuedAccessKeyIds.at(-1), secretAccessKey: cache.accessToken.secretAccessKey, sessionToken: cache.accessToken.sessionToken });
      expect(cache.accessToken.accountId).toBe('111122223333');
      expect(Date.parse(cache.accessToken.expiresAt) - Date.now()).toBeGreaterThan(850_000);
      expect(emulator.isRefreshTokenActive(seeded.refreshToken)).toBe(false);
      expect(emulator.isRefreshTokenActive(cache.refreshToken)).toBe(true);
    });

    botocore.it.each([
      ['TOKEN_EXPIRED', 'LoginRefreshRequired'],
      ['USER_CREDENTIALS_CHANGED', 'LoginRefreshRequired'],
    ] as const)('a session ended with %s is %s to botocore', async (reason, exception) => {
      await seedExpiredCache();
      emulator.revokeSession({ loginSession: ALICE }, reason);
      expect(await botocoreLoginCredentials('dev', env)).toEqual({ exception, cause: 'AccessDeniedException', code: 'AccessDeniedException', error: reason });
    });

    botocore.it('a user without signin:CreateOAuth2Token is LoginInsufficientPermissions', async () => {
      await seedExpiredCache();
      emulator.denyPermission(ALICE);
      expect(await botocoreLoginCredentials('dev', env)).toEqual({ exception: 'LoginInsufficientPermissions', cause: 'AccessDeniedException', code: 'AccessDeniedException', error: 'INSUFFICIENT_PERMISSIONS' });
    });
  });
});

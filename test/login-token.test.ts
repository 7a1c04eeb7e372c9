import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SAME_DEVICE_CLIENT_ID, startSigninEmulator, type SigninEmulator } from '../emulators/signin/index.js';
import { sdkClients } from '../src/aws-sdk/aws-clients.js';
import { CliError, ExitCode } from '../src/errors/cli-error.js';
import { dpopKeyFromPem, type DpopKey } from '../src/login/dpop.js';
import { createOAuth2Token, type TokenGrant } from '../src/login/token.js';
import { makeDpopKey, makePkce } from './support/signin-dpop.js';

const ALICE = 'arn:aws:iam::111122223333:user/alice';
let emulator: SigninEmulator;

beforeEach(async () => {
  emulator = await startSigninEmulator({ autoApprove: true });
});
afterEach(async () => {
  await emulator.close();
});

/** awskeys' own client factory, pointed at the emulator only through AWS_ENDPOINT_URL_SIGNIN in the injected environment. */
const clients = (env: NodeJS.ProcessEnv = emulator.env) => sdkClients({ env, homeDir: '/nonexistent' });

function seeded(): { key: DpopKey; refreshToken: string } {
  const test = makeDpopKey();
  const { refreshToken } = emulator.seedSession({ dpopJwk: test.jwk });
  return { key: dpopKeyFromPem(test.pem), refreshToken };
}

const refreshGrant = (refreshToken: string): TokenGrant => ({ grantType: 'refresh_token', clientId: SAME_DEVICE_CLIENT_ID, refreshToken });
const call = (key: DpopKey, grant: TokenGrant, env?: NodeJS.ProcessEnv) =>
  createOAuth2Token(clients(env), { region: 'us-east-1', dpopKey: key, grant, profile: 'dev', now: () => new Date() });

async function failure(promise: Promise<unknown>): Promise<{ exitCode: number; message: string; hint: string | undefined }> {
  const err = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  if (!(err instanceof CliError)) throw err;
  return { exitCode: err.exitCode, message: err.message, hint: err.hint };
}

describe('createOAuth2Token (the SDK signin client with a DPoP proof per attempt)', () => {
  it('authorization_code: the code from /v1/authorize with its verifier gives credentials, a refresh token and the id token', async () => {
    const pkce = makePkce();
    const redirectUri = 'http://127.0.0.1:45678/oauth/callback';
    const query = new URLSearchParams({
      response_type: 'code', client_id: SAME_DEVICE_CLIENT_ID, redirect_uri: redirectUri, state: 's',
      code_challenge: pkce.challenge, code_challenge_method: 'SHA-256', scope: 'openid',
    });
    const res = await fetch(`${emulator.url}/v1/authorize?${query.toString()}`, { redirect: 'manual' });
    const code = new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const key = dpopKeyFromPem(makeDpopKey().pem);
    const tokens = await call(key, { grantType: 'authorization_code', clientId: SAME_DEVICE_CLIENT_ID, code, codeVerifier: pkce.verifier, redirectUri });
    expect(tokens).toMatchObject({ accessKeyId: emulator.issuedAccessKeyIds[0], expiresIn: 900, tokenType: 'aws_sigv4' });
    expect(JSON.parse(Buffer.from(tokens.idToken?.split('.')[1] ?? '', 'base64url').toString('utf8'))).toMatchObject({ sub: ALICE });
    // The refresh token is bound to this DPoP key: it renews with it.
    expect((await call(key, refreshGrant(tokens.refreshToken))).accessKeyId).toBe(emulator.issuedAccessKeyIds[1]);
  });

  it('refresh_token: new credentials and a rotated refresh token', async () => {
    const { key, refreshToken } = seeded();
    const tokens = await call(key, refreshGrant(refreshToken));
    expect(tokens.refreshToken).not.toBe(refreshToken);
    expect(emulator.isRefreshTokenActive(tokens.refreshToken)).toBe(true);
    expect(tokens.idToken).toBeUndefined();
  });

  it('one throttled answer is retried by the SDK (its retry middleware runs before the proof is signed), and succeeds', async () => {
    const { key, refreshToken } = seeded();
    emulator.throttleNext(1);
    await call(key, refreshGrant(refreshToken));
    expect(emulator.calls.refresh_token).toBe(2);
  });

  it.each([
    ['TOKEN_EXPIRED', ExitCode.LoginRequired, 'The `aws login` session of profile dev has expired and cannot be renewed.', 'log in again: awskeys login --profile dev'],
    ['USER_CREDENTIALS_CHANGED', ExitCode.LoginCredentialsChanged, "Cannot renew the `aws login` session of profile dev: the user's password changed since the sign-in.", 'log in again with the new password: awskeys login --profile dev'],
    ['INSUFFICIENT_PERMISSIONS', ExitCode.LoginNotPermitted, 'Cannot renew the `aws login` session of profile dev: the user is not allowed signin:CreateOAuth2Token.', 'ask an administrator to allow the signin:CreateOAuth2Token action for this user, then log in again'],
  ] as const)('AccessDeniedException %s -> exit %i', async (error, exitCode, message, hint) => {
    const { key, refreshToken } = seeded();
    emulator.injectFault({ errorType: 'AccessDeniedException', error });
    expect(await failure(call(key, refreshGrant(refreshToken)))).toEqual({ exitCode, message, hint });
  });

  it('AUTHCODE_EXPIRED (a code used twice) -> exit 10', async () => {
    const key = dpopKeyFromPem(makeDpopKey().pem);
    const grant: TokenGrant = { grantType: 'authorization_code', clientId: SAME_DEVICE_CLIENT_ID, code: 'no-such-code', codeVerifier: makePkce().verifier, redirectUri: 'http://127.0.0.1:1/oauth/callback' };
    expect(await failure(call(key, grant))).toEqual({
      exitCode: ExitCode.LoginFailed,
      message: 'The sign-in code for profile dev has expired or was already used.',
      hint: 'sign in again and use the code at once: awskeys login --profile dev',
    });
  });

  it('throttled through every retry -> exit 32', async () => {
    const { key, refreshToken } = seeded();
    emulator.throttleNext(3);
    expect(await failure(call(key, refreshGrant(refreshToken)))).toEqual({
      exitCode: ExitCode.SigninThrottled,
      message: 'Cannot renew the `aws login` session of profile dev: the Sign-In service is throttling requests.',
      hint: 'wait a minute and try again',
    });
    expect(emulator.calls.refresh_token).toBe(3);
  });

  it('InternalServerException -> exit 11 (after the retries); nothing listening -> exit 8', async () => {
    const { key, refreshToken } = seeded();
    emulator.injectFault({ errorType: 'InternalServerException', times: 3 });
    expect((await failure(call(key, refreshGrant(refreshToken)))).exitCode).toBe(ExitCode.AwsService);
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as AddressInfo;
        probe.close(() => resolve(p));
      });
    });
    expect((await failure(call(key, refreshGrant(refreshToken), { AWS_ENDPOINT_URL_SIGNIN: `http://127.0.0.1:${String(port)}` }))).exitCode).toBe(ExitCode.Network);
  });
});

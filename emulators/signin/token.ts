import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { LoginSessionRecord, SigninState } from './state.js';
import { accessKeyId, randomToken } from './state.js';
import { CROSS_DEVICE_CLIENT_ID, SAME_DEVICE_CLIENT_ID, type Grant, type SigninClientId } from './types.js';
import { accessDenied, base64url, invalidRequest } from './wire.js';

export interface TokenSettings {
  baseUrl: string;
  credentialsTtlSeconds: number;
  sessionMaxSeconds: number;
  refreshReuseWindowSeconds: number;
  /** Signs id tokens; clients only decode them, as the AWS CLI does. */
  idTokenKey: KeyObject;
}

export function idTokenKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}

/** The request body: the model's CreateOAuth2TokenRequestBody, the `tokenInput` payload. */
export interface TokenInput {
  clientId: SigninClientId;
  grantType: Grant;
  code?: string | undefined;
  codeVerifier?: string | undefined;
  redirectUri?: string | undefined;
  refreshToken?: string | undefined;
}

/** The grant named in a body, before validation: what the per-grant counters and faults key on. */
export function peekGrant(doc: unknown): Grant | undefined {
  const grant = (doc as { grantType?: unknown } | null)?.grantType;
  return grant === 'authorization_code' || grant === 'refresh_token' ? grant : undefined;
}

/** The model's constraints on CreateOAuth2TokenRequestBody, anchored as a service applies them. */
export function validateTokenInput(doc: unknown): TokenInput {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalidRequest('Request body must be a JSON object');
  const body = doc as Record<string, unknown>;
  const str = (name: string, min: number, max: number, pattern?: RegExp): string | undefined => {
    const value = body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value.length < min || value.length > max || (pattern && !pattern.test(value))) {
      throw invalidRequest(`Value at '${name}' failed to satisfy constraint`);
    }
    return value;
  };
  const clientId = str('clientId', 1, 2048, /^arn:aws:signin:::devtools\/(cross-device|same-device)$/);
  const grantType = str('grantType', 1, 64, /^(authorization_code|refresh_token)$/);
  if (clientId === undefined) throw invalidRequest("Value at 'clientId' must not be null");
  if (grantType === undefined) throw invalidRequest("Value at 'grantType' must not be null");
  const input: TokenInput = {
    clientId: clientId as SigninClientId,
    grantType: grantType as Grant,
    code: str('code', 1, 512),
    codeVerifier: str('codeVerifier', 43, 128, /^[A-Za-z0-9\-._~]+$/),
    redirectUri: str('redirectUri', 1, 2048),
    refreshToken: str('refreshToken', 1, 2048),
  };
  if (input.grantType === 'authorization_code') {
    if (!input.code) throw invalidRequest('code is required for grant_type=authorization_code');
    if (!input.codeVerifier) throw invalidRequest('codeVerifier is required for grant_type=authorization_code');
    if (!input.redirectUri) throw invalidRequest('redirectUri is required for grant_type=authorization_code');
  } else if (!input.refreshToken) {
    throw invalidRequest('refreshToken is required for grant_type=refresh_token');
  }
  return input;
}

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** grant_type=authorization_code: the code once, with its verifier, redirect and client. */
export function redeemCode(state: SigninState, settings: TokenSettings, input: TokenInput, jkt: string): object {
  const code = state.codes.get(input.code ?? '');
  if (!code || code.used || code.expiresAtMs <= state.now()) {
    if (code) code.used = true;
    throw accessDenied('AUTHCODE_EXPIRED', 'The authorization code has expired or was already used');
  }
  // Single use from its first presentation: a failed attempt (an interceptor without the verifier) burns it too.
  code.used = true;
  if (code.clientId !== input.clientId) throw invalidRequest('clientId does not match the authorization request');
  if (code.redirectUri !== input.redirectUri) throw invalidRequest('redirectUri does not match the authorization request');
  if (pkceChallenge(input.codeVerifier ?? '') !== code.codeChallenge) throw invalidRequest('codeVerifier does not match the code challenge');
  checkPermission(state, code.loginSession);
  const session = state.newSession(code.loginSession, input.clientId);
  return {
    ...credentials(state, settings.credentialsTtlSeconds),
    refreshToken: state.newRefreshToken(session.id, jkt, input.clientId),
    idToken: idToken(settings, session, state.now()),
  };
}

/** grant_type=refresh_token: rotation, bound to the DPoP key the token was issued to. */
export function refresh(state: SigninState, settings: TokenSettings, input: TokenInput, jkt: string): object {
  const token = input.refreshToken ?? '';
  const record = state.refreshTokens.get(token);
  if (!record) throw accessDenied('TOKEN_EXPIRED', 'The refresh token is invalid or has expired');
  if (record.jkt !== jkt) throw accessDenied('INVALID_REQUEST', 'The DPoP proof is not signed by the key the refresh token is bound to');
  if (record.clientId !== input.clientId) throw invalidRequest('clientId does not match the refresh token');
  const session = state.sessions.get(record.sessionId);
  if (!session) throw accessDenied('TOKEN_EXPIRED', 'The refresh token is invalid or has expired');
  if (session.ended) {
    throw accessDenied(
      session.ended,
      session.ended === 'TOKEN_EXPIRED' ? 'The session has expired; sign in again' : 'The user credentials have changed; sign in again',
    );
  }
  if (state.now() - session.startedAtMs >= settings.sessionMaxSeconds * 1000) {
    throw accessDenied('TOKEN_EXPIRED', 'The session has reached its maximum duration; sign in again');
  }
  if (record.rotatedAtMs !== undefined) {
    const withinReuse = state.now() - record.rotatedAtMs < settings.refreshReuseWindowSeconds * 1000;
    if (withinReuse && record.rotatedResult) return record.rotatedResult;
    throw accessDenied('TOKEN_EXPIRED', 'The refresh token has already been used');
  }
  checkPermission(state, session.loginSession);
  const result = {
    ...credentials(state, settings.credentialsTtlSeconds),
    refreshToken: state.newRefreshToken(session.id, jkt, session.clientId),
  };
  record.rotatedAtMs = state.now();
  record.rotatedResult = result;
  return result;
}

function checkPermission(state: SigninState, loginSession: string): void {
  if (state.deniedPermission.has(loginSession)) {
    throw accessDenied('INSUFFICIENT_PERMISSIONS', 'User is not authorized to perform signin:CreateOAuth2Token');
  }
}

export function credentials(
  state: SigninState,
  ttlSeconds: number,
): { accessToken: { accessKeyId: string; secretAccessKey: string; sessionToken: string }; tokenType: 'aws_sigv4'; expiresIn: number } {
  const keyId = accessKeyId();
  state.issuedAccessKeyIds.push(keyId);
  return {
    accessToken: {
      accessKeyId: keyId,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `IQoJb3JpZ2luX2Vj${randomToken(180)}`,
    },
    tokenType: 'aws_sigv4',
    expiresIn: ttlSeconds,
  };
}

/** An OpenID id token whose `sub` is the login-session ARN (what `aws login` reads from it). */
export function idToken(settings: TokenSettings, session: LoginSessionRecord, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000);
  const header = base64url(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid: 'signin-emulator' }));
  const payload = base64url(
    JSON.stringify({
      iss: `${settings.baseUrl}`,
      sub: session.loginSession,
      aud: session.clientId,
      iat,
      auth_time: Math.floor(session.startedAtMs / 1000),
      exp: iat + settings.sessionMaxSeconds,
    }),
  );
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), { key: settings.idTokenKey, dsaEncoding: 'ieee-p1363' });
  return `${header}.${payload}.${base64url(signature)}`;
}

export const CLIENT_IDS: readonly SigninClientId[] = [SAME_DEVICE_CLIENT_ID, CROSS_DEVICE_CLIENT_ID];

/** arn:aws:iam::111122223333:user/alice -> 111122223333 (the CLI's ArnParser takes field 4). */
export function accountIdOf(loginSession: string): string {
  return loginSession.split(':')[4] ?? '';
}

import { createHash } from 'node:crypto';
import type { ClientRecord, EmulatorState } from './state.js';
import { newUserCode, randomToken } from './state.js';
import { oidcError } from './wire.js';

export interface OidcSettings {
  baseUrl: string;
  accessTokenTtlSeconds: number;
  deviceCodeTtlSeconds: number;
  interval: number;
  issueRefreshTokens: boolean;
  rotateRefreshTokens: boolean;
  clientSecretTtlSeconds: number;
  autoApproveAfterPolls: number | undefined;
}

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** What RegisterClient accepts in grantTypes. */
const GRANT_TYPES = [
  'authorization_code',
  'refresh_token',
  DEVICE_GRANT,
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
  'urn:ietf:params:oauth:grant-type:token-exchange',
];
const SCOPE_PATTERN = /^[a-z0-9_-]+:[A-Za-z0-9_:*.-]+$/;

/** POST /client/register */
export function registerClient(state: EmulatorState, s: OidcSettings, body: Record<string, unknown>): object {
  const clientName = requiredString(body, 'clientName');
  const clientType = requiredString(body, 'clientType');
  if (clientType !== 'public') throw oidcError('InvalidClientMetadataException', 'Invalid client type provided');
  const scopes = optionalStringList(body, 'scopes');
  const badScope = scopes?.find((scope) => !SCOPE_PATTERN.test(scope));
  if (badScope !== undefined) throw oidcError('InvalidScopeException', `Invalid scope provided: ${badScope}`);
  const grantTypes = optionalStringList(body, 'grantTypes');
  const badGrant = grantTypes?.find((g) => !GRANT_TYPES.includes(g));
  if (badGrant !== undefined) throw oidcError('UnsupportedGrantTypeException', `Unsupported grant type: ${badGrant}`);
  const redirectUris = optionalStringList(body, 'redirectUris');
  const issuerUrl = typeof body.issuerUrl === 'string' && body.issuerUrl !== '' ? body.issuerUrl : undefined;
  if (grantTypes?.includes('authorization_code')) {
    // The authorization-code grant needs somewhere to send the browser back to, on this machine.
    if (!redirectUris || redirectUris.length === 0) {
      throw oidcError('InvalidRedirectUriException', 'redirectUris is required for the authorization_code grant');
    }
    const bad = redirectUris.find((uri) => !isLoopbackRedirect(uri));
    if (bad !== undefined) throw oidcError('InvalidRedirectUriException', `Invalid redirect URI provided: ${bad}`);
    if (issuerUrl === undefined) {
      throw oidcError('InvalidClientMetadataException', 'issuerUrl is required for the authorization_code grant');
    }
  }
  const client = createClient(state, s, clientName, scopes, { grantTypes, redirectUris, issuerUrl });
  return {
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    clientIdIssuedAt: Math.floor(client.issuedAtMs / 1000),
    clientSecretExpiresAt: Math.floor(client.expiresAtMs / 1000),
  };
}

export function createClient(
  state: EmulatorState,
  s: OidcSettings,
  clientName: string,
  scopes: string[] | undefined,
  metadata: Pick<ClientRecord, 'grantTypes' | 'redirectUris' | 'issuerUrl'> = {
    grantTypes: undefined,
    redirectUris: undefined,
    issuerUrl: undefined,
  },
): ClientRecord {
  const issuedAtMs = state.now();
  const client: ClientRecord = {
    clientId: randomToken(22),
    // The real secret is a JWT-like blob; its length is what matters to cache files.
    clientSecret: `eyJraWQiOiJrZXktMSIsImFsZyI6IkhTMzg0In0.${randomToken(200)}`,
    clientName,
    scopes: scopes && scopes.length > 0 ? scopes : undefined,
    ...metadata,
    issuedAtMs,
    expiresAtMs: issuedAtMs + s.clientSecretTtlSeconds * 1000,
  };
  state.clients.set(client.clientId, client);
  return client;
}

/** POST /device_authorization */
export function startDeviceAuthorization(
  state: EmulatorState,
  s: OidcSettings,
  body: Record<string, unknown>,
): object {
  // Missing fields are reported before the client is checked, as validation runs first.
  const startUrl = requiredString(body, 'startUrl');
  const client = authenticateClient(state, body);
  if (client.grantTypes !== undefined && !client.grantTypes.includes(DEVICE_GRANT)) {
    throw oidcError('UnauthorizedClientException', 'Client is not authorized for the device code grant');
  }
  if (!/^https?:\/\/[^\s/]+/.test(startUrl)) throw oidcError('InvalidRequestException', 'Invalid start URL provided');
  const userCode = newUserCode();
  const device = {
    deviceCode: randomToken(86),
    userCode,
    clientId: client.clientId,
    startUrl,
    expiresAtMs: state.now() + s.deviceCodeTtlSeconds * 1000,
    intervalSeconds: s.interval,
    lastPollMs: undefined,
    polls: 0,
    status: 'pending' as const,
  };
  state.devices.set(device.deviceCode, device);
  state.userCodes.push(userCode);
  return {
    deviceCode: device.deviceCode,
    userCode,
    verificationUri: `${s.baseUrl}/device`,
    verificationUriComplete: `${s.baseUrl}/device?user_code=${userCode}`,
    expiresIn: s.deviceCodeTtlSeconds,
    interval: s.interval,
  };
}

/** POST /token */
export function createToken(state: EmulatorState, s: OidcSettings, body: Record<string, unknown>): object {
  const grantType = requiredString(body, 'grantType');
  const client = authenticateClient(state, body);
  if (grantType === DEVICE_GRANT) return redeemDeviceCode(state, s, client, requiredString(body, 'deviceCode'));
  if (grantType === 'refresh_token') return redeemRefreshToken(state, s, client, requiredString(body, 'refreshToken'));
  if (grantType === 'authorization_code') return redeemAuthorizationCode(state, s, client, body);
  throw oidcError('UnsupportedGrantTypeException', `Unsupported grant type: ${grantType}`);
}

function redeemDeviceCode(state: EmulatorState, s: OidcSettings, client: ClientRecord, deviceCode: string): object {
  const device = state.devices.get(deviceCode);
  if (device?.clientId !== client.clientId || device.status === 'redeemed') {
    throw oidcError('InvalidGrantException', 'Invalid device code provided');
  }
  const now = state.now();
  if (now >= device.expiresAtMs) throw oidcError('ExpiredTokenException', 'Device code has expired');
  if (device.lastPollMs !== undefined && now - device.lastPollMs < device.intervalSeconds * 1000) {
    device.lastPollMs = now;
    device.intervalSeconds += 5;
    throw oidcError('SlowDownException', 'Client is polling too fast');
  }
  device.lastPollMs = now;
  if (device.status === 'pending' && s.autoApproveAfterPolls !== undefined && device.polls >= s.autoApproveAfterPolls) {
    device.status = 'approved';
  }
  device.polls += 1;
  if (device.status === 'denied') throw oidcError('AccessDeniedException', 'Access denied by the user');
  if (device.status === 'pending') throw oidcError('AuthorizationPendingException', 'Authorization is still pending');
  device.status = 'redeemed';
  const session = state.newSession(client.clientId, device.startUrl);
  return tokenResponse(state, s, client, session.sessionId);
}

/**
 * The authorization-code grant (RFC 6749 §4.1.3 with PKCE, RFC 7636 §4.6): the code must be this
 * client's, unused and unexpired; redirectUri must be exactly the one /authorize was given (port
 * included); SHA-256 of codeVerifier must be the challenge.
 */
function redeemAuthorizationCode(state: EmulatorState, s: OidcSettings, client: ClientRecord, body: Record<string, unknown>): object {
  const code = requiredString(body, 'code');
  const redirectUri = requiredString(body, 'redirectUri');
  const codeVerifier = requiredString(body, 'codeVerifier');
  const request = [...state.authorizationRequests.values()].find((r) => r.code === code);
  if (request?.clientId !== client.clientId || request.status !== 'approved') {
    throw oidcError('InvalidGrantException', 'Invalid authorization code provided');
  }
  if (state.now() >= request.codeExpiresAtMs) throw oidcError('ExpiredTokenException', 'Authorization code has expired');
  if (redirectUri !== request.redirectUri) throw oidcError('InvalidGrantException', 'Redirect URI does not match the authorization request');
  if (createHash('sha256').update(codeVerifier, 'ascii').digest('base64url') !== request.codeChallenge) {
    throw oidcError('InvalidGrantException', 'Code verifier does not match the code challenge');
  }
  request.status = 'redeemed';
  const session = state.newSession(client.clientId, client.issuerUrl ?? '');
  return tokenResponse(state, s, client, session.sessionId);
}

/** http://127.0.0.1[:port]/path or http://localhost[:port]/path (RFC 8252 §7.3). */
export function isLoopbackRedirect(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]');
  } catch {
    return false;
  }
}

function redeemRefreshToken(state: EmulatorState, s: OidcSettings, client: ClientRecord, refreshToken: string): object {
  const record = state.refreshTokens.get(refreshToken);
  const session = record ? state.sessions.get(record.sessionId) : undefined;
  if (!record || record.retired || record.clientId !== client.clientId || !session || session.ended) {
    throw oidcError('InvalidGrantException', 'Invalid refresh token provided');
  }
  const access = state.newAccessToken(session.sessionId, s.accessTokenTtlSeconds);
  if (!s.rotateRefreshTokens) {
    return { accessToken: access.token, tokenType: 'Bearer', expiresIn: s.accessTokenTtlSeconds, refreshToken };
  }
  record.retired = true;
  const next = state.newRefreshToken(session.sessionId, client.clientId);
  return { accessToken: access.token, tokenType: 'Bearer', expiresIn: s.accessTokenTtlSeconds, refreshToken: next.token };
}

export function tokenResponse(state: EmulatorState, s: OidcSettings, client: ClientRecord, sessionId: string): object {
  const access = state.newAccessToken(sessionId, s.accessTokenTtlSeconds);
  // Only registrations with scopes (sso-session style) get refresh tokens, as with the service.
  const refresh =
    s.issueRefreshTokens && client.scopes !== undefined ? state.newRefreshToken(sessionId, client.clientId) : undefined;
  return {
    accessToken: access.token,
    tokenType: 'Bearer',
    expiresIn: s.accessTokenTtlSeconds,
    ...(refresh ? { refreshToken: refresh.token } : {}),
  };
}

function authenticateClient(state: EmulatorState, body: Record<string, unknown>): ClientRecord {
  const clientId = requiredString(body, 'clientId');
  const clientSecret = requiredString(body, 'clientSecret');
  const client = state.clients.get(clientId);
  if (client?.clientSecret !== clientSecret) throw oidcError('InvalidClientException', 'Invalid client provided');
  if (client.expiresAtMs <= state.now()) throw oidcError('InvalidClientException', 'Client credentials have expired');
  return client;
}

function requiredString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') {
    throw oidcError('InvalidRequestException', `Missing required parameter: ${field}`);
  }
  return value;
}

function optionalStringList(body: Record<string, unknown>, field: string): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw oidcError('InvalidRequestException', `Invalid parameter: ${field} must be a list of strings`);
  }
  return value as string[];
}

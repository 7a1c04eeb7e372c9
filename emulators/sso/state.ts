import { randomBytes } from 'node:crypto';
import type { EmulatorAccount } from './types.js';

/** A registered SSO-OIDC client (RegisterClient). */
export interface ClientRecord {
  clientId: string;
  clientSecret: string;
  clientName: string;
  scopes: string[] | undefined;
  /** As registered; undefined for a device-flow style registration (no grantTypes sent). */
  grantTypes: string[] | undefined;
  redirectUris: string[] | undefined;
  issuerUrl: string | undefined;
  issuedAtMs: number;
  expiresAtMs: number;
}

/** One /authorize request: waiting for the user's decision, then a code to redeem once. */
export interface AuthorizationRequest {
  requestId: string;
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  codeChallenge: string;
  scopes: string[];
  status: 'pending' | 'approved' | 'denied' | 'redeemed';
  /** Set when approved. */
  code: string | undefined;
  codeExpiresAtMs: number;
}

/** One StartDeviceAuthorization: a device code waiting for the user. */
export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  clientId: string;
  startUrl: string;
  expiresAtMs: number;
  /** Seconds; grows by 5 each time the client polls too fast (RFC 8628 §3.5). */
  intervalSeconds: number;
  lastPollMs: number | undefined;
  /** Polls answered so far (slow-down answers excluded). */
  polls: number;
  status: 'pending' | 'approved' | 'denied' | 'redeemed';
}

/** A portal sign-in session: what Logout ends, shared by the access and refresh tokens it issued. */
export interface SessionRecord {
  sessionId: string;
  clientId: string;
  startUrl: string;
  ended: boolean;
}

export interface AccessTokenRecord {
  token: string;
  sessionId: string;
  expiresAtMs: number;
}

export interface RefreshTokenRecord {
  token: string;
  sessionId: string;
  clientId: string;
  retired: boolean;
}

/** Everything one emulator instance remembers; created per instance, never shared. */
export class EmulatorState {
  readonly clients = new Map<string, ClientRecord>();
  readonly devices = new Map<string, DeviceAuthorization>();
  readonly userCodes: string[] = [];
  readonly sessions = new Map<string, SessionRecord>();
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  /** By request id; `authorizations` keeps them in order for tests. */
  readonly authorizationRequests = new Map<string, AuthorizationRequest>();
  accounts: EmulatorAccount[];

  constructor(
    accounts: EmulatorAccount[],
    readonly now: () => number,
  ) {
    this.accounts = accounts;
  }

  deviceByUserCode(userCode: string): DeviceAuthorization | undefined {
    const wanted = userCode.trim().toUpperCase();
    for (const device of this.devices.values()) if (device.userCode === wanted) return device;
    return undefined;
  }

  newSession(clientId: string, startUrl: string): SessionRecord {
    const session = { sessionId: randomToken(12), clientId, startUrl, ended: false };
    this.sessions.set(session.sessionId, session);
    return session;
  }

  newAccessToken(sessionId: string, ttlSeconds: number): AccessTokenRecord {
    const record = { token: `aoa${randomToken(96)}`, sessionId, expiresAtMs: this.now() + ttlSeconds * 1000 };
    this.accessTokens.set(record.token, record);
    return record;
  }

  newRefreshToken(sessionId: string, clientId: string): RefreshTokenRecord {
    const record = { token: `aor${randomToken(96)}`, sessionId, clientId, retired: false };
    this.refreshTokens.set(record.token, record);
    return record;
  }

  /** The live session behind an access token, or undefined when the token is unknown, expired or logged out. */
  validAccessToken(token: string | undefined): AccessTokenRecord | undefined {
    if (!token) return undefined;
    const record = this.accessTokens.get(token);
    if (!record || record.expiresAtMs <= this.now()) return undefined;
    return this.sessions.get(record.sessionId)?.ended === false ? record : undefined;
  }
}

/** URL-safe random text of roughly `length` characters. */
export function randomToken(length: number): string {
  return randomBytes(Math.ceil((length * 3) / 4))
    .toString('base64url')
    .slice(0, length);
}

const USER_CODE_LETTERS = 'BCDFGHJKLMNPQRSTVWXZ';

/** ABCD-EFGH style, consonants only like the real service (no accidental words). */
export function newUserCode(): string {
  const bytes = randomBytes(8);
  const letters = [...bytes].map((b) => USER_CODE_LETTERS[b % USER_CODE_LETTERS.length] ?? 'X').join('');
  return `${letters.slice(0, 4)}-${letters.slice(4)}`;
}

import { randomBytes, randomUUID } from 'node:crypto';
import type { Grant, SigninClientId } from './types.js';

/** One console sign-in: what every refresh token of it renews, until it ends. */
export interface LoginSessionRecord {
  id: string;
  loginSession: string;
  clientId: SigninClientId;
  startedAtMs: number;
  /** Set when the session was ended: the error its next refresh answers. */
  ended?: 'TOKEN_EXPIRED' | 'USER_CREDENTIALS_CHANGED';
}

/** A /v1/authorize request waiting on the sign-in page. */
export interface AuthorizationRequest {
  id: string;
  clientId: SigninClientId;
  redirectUri: string;
  state: string;
  codeChallenge: string;
}

export interface AuthCodeRecord {
  clientId: SigninClientId;
  redirectUri: string;
  codeChallenge: string;
  loginSession: string;
  expiresAtMs: number;
  used: boolean;
}

export interface RefreshTokenRecord {
  sessionId: string;
  /** The thumbprint (cnf.jkt) of the DPoP key it was issued to. */
  jkt: string;
  clientId: SigninClientId;
  /** Set on rotation: when, and the answer it got (for the optional reuse window). */
  rotatedAtMs?: number;
  rotatedResult?: object;
}

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function accessKeyId(): string {
  const raw = randomBytes(16);
  return `ASIA${[...raw].map((b) => ALPHANUM[b % 32] ?? 'A').join('')}`;
}

export class SigninState {
  readonly sessions = new Map<string, LoginSessionRecord>();
  readonly requests = new Map<string, AuthorizationRequest>();
  readonly codes = new Map<string, AuthCodeRecord>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly deniedPermission = new Set<string>();
  readonly issuedAccessKeyIds: string[] = [];
  private readonly jtis = new Map<string, number>();
  offsetMs = 0;

  constructor(
    readonly users: readonly string[],
    private readonly clock: () => number,
  ) {}

  now = (): number => this.clock() + this.offsetMs;

  newRequest(request: Omit<AuthorizationRequest, 'id'>): AuthorizationRequest {
    const record = { ...request, id: randomUUID() };
    this.requests.set(record.id, record);
    return record;
  }

  newCode(record: Omit<AuthCodeRecord, 'used'>): string {
    const code = randomToken(24);
    this.codes.set(code, { ...record, used: false });
    return code;
  }

  newSession(loginSession: string, clientId: SigninClientId): LoginSessionRecord {
    const session = { id: randomUUID(), loginSession, clientId, startedAtMs: this.now() };
    this.sessions.set(session.id, session);
    return session;
  }

  newRefreshToken(sessionId: string, jkt: string, clientId: SigninClientId): string {
    const token = `rt.${randomToken(48)}`;
    this.refreshTokens.set(token, { sessionId, jkt, clientId });
    return token;
  }

  /** False when the jti was seen before; forgets the ones past their window as it goes. */
  rememberJti = (jti: string, untilMs: number): boolean => {
    const now = this.now();
    for (const [seen, until] of this.jtis) if (until < now) this.jtis.delete(seen);
    if (this.jtis.has(jti)) return false;
    this.jtis.set(jti, untilMs);
    return true;
  };
}

export type { Grant };

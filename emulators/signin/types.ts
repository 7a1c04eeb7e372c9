/** The two public CLI clients the Sign-In service knows (the model's ClientId pattern). */
export const SAME_DEVICE_CLIENT_ID = 'arn:aws:signin:::devtools/same-device';
export const CROSS_DEVICE_CLIENT_ID = 'arn:aws:signin:::devtools/cross-device';
export type SigninClientId = typeof SAME_DEVICE_CLIENT_ID | typeof CROSS_DEVICE_CLIENT_ID;

/** The model's OAuth2ErrorCode enum, the `error` member of every modeled error. */
export const OAUTH2_ERROR_CODES = [
  'TOKEN_EXPIRED',
  'USER_CREDENTIALS_CHANGED',
  'INSUFFICIENT_PERMISSIONS',
  'AUTHCODE_EXPIRED',
  'server_error',
  'INVALID_REQUEST',
] as const;
export type OAuth2ErrorCode = (typeof OAUTH2_ERROR_CODES)[number];

/** The model's four error shapes of CreateOAuth2Token. */
export type SigninErrorType = 'AccessDeniedException' | 'ValidationException' | 'TooManyRequestsError' | 'InternalServerException';

export type Grant = 'authorization_code' | 'refresh_token';

export interface SigninEmulatorOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /**
   * The identities that can sign in (the login-session ARN the id token's `sub` carries). The
   * sign-in page offers each; the first is the default. Default: arn:aws:iam::111122223333:user/alice.
   */
  users?: readonly string[];
  /**
   * /v1/authorize redirects back with a code at once (a browser already signed in to the console),
   * as the first user. Default false: a sign-in page with Allow and Deny.
   */
  autoApprove?: boolean;
  /** expiresIn of the credentials CreateOAuth2Token returns. Default 900 (the model's maximum). */
  credentialsTtlSeconds?: number;
  /** Lifetime of an authorization code. Default 300. */
  authCodeTtlSeconds?: number;
  /** How long a login session can be renewed, from its sign-in. Default 12 hours. */
  sessionMaxSeconds?: number;
  /** How far a DPoP proof's `iat` may be from the emulator's clock, either way. Default 300. */
  dpopIatWindowSeconds?: number;
  /**
   * The model documents the refresh grant as "idempotent within token validity window". With a
   * window > 0 a rotated-away refresh token presented again within that many seconds of its
   * rotation gets the same answer as the first time; 0 (the default) refuses it (strict rotation).
   */
  refreshReuseWindowSeconds?: number;
  /** The emulator's clock in epoch milliseconds. Default Date.now. advanceClock() moves it on. */
  now?: () => number;
}

/** A canned error answered instead of the next CreateOAuth2Token calls. */
export interface SigninFault {
  errorType: SigninErrorType;
  /** The `error` member; default INVALID_REQUEST (server_error for InternalServerException). */
  error?: OAuth2ErrorCode;
  /** Default: the status the model gives the shape (AccessDenied: 401 or 403 by `error`). */
  status?: number;
  message?: string;
  /** How many calls fail this way; default 1. Infinity for all. */
  times?: number;
  /** Let this many calls through first. */
  afterCalls?: number;
  /** Only calls of this grant; default both. */
  grant?: Grant;
}

/** Everything a CLI-format cache file needs, minted without a browser. */
export interface SeededSession {
  loginSession: string;
  accountId: string;
  clientId: SigninClientId;
  refreshToken: string;
  idToken: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** When the seeded credentials expire (seedSession's credentialsTtlSeconds, may be in the past). */
  expiresAt: Date;
}

export interface SeedSessionOptions {
  /** The DPoP public key the refresh token is bound to (a JWK with kty EC, crv P-256, x, y). */
  dpopJwk: JsonWebKeyLike;
  /** Default the first user. */
  loginSession?: string;
  /** Default same-device. */
  clientId?: SigninClientId;
  /** Default the emulator's; negative values mint already expired credentials. */
  credentialsTtlSeconds?: number;
}

export interface JsonWebKeyLike {
  kty?: string;
  crv?: string;
  x?: string;
  y?: string;
}

export interface SigninCalls {
  /** GET /v1/authorize requests. */
  authorize: number;
  /** CreateOAuth2Token calls per grant (faults and refusals included). */
  authorization_code: number;
  refresh_token: number;
  /** CreateOAuth2Token calls whose grant was neither (or unparsable). */
  other: number;
}

export interface SigninEmulator {
  /** http://127.0.0.1:PORT, for AWS_ENDPOINT_URL_SIGNIN. */
  readonly url: string;
  /** The env line that points botocore, the AWS CLI and the JS SDK at this emulator. */
  readonly env: { AWS_ENDPOINT_URL_SIGNIN: string };
  readonly calls: SigninCalls;
  resetCalls(): void;
  close(): Promise<void>;
  setAutoApprove(on: boolean): void;
  setCredentialsTtl(seconds: number): void;
  /** Moves the emulator's clock on (codes, sessions and DPoP iat are judged on it). */
  advanceClock(seconds: number): void;
  /** Mints a signed-in session and a refresh token bound to the given DPoP key. */
  seedSession(options: SeedSessionOptions): SeededSession;
  /**
   * Ends every session of a user (or one, by its refresh token): its next refresh answers
   * AccessDeniedException with TOKEN_EXPIRED (signed out, expired) or USER_CREDENTIALS_CHANGED
   * (password changed).
   */
  revokeSession(who: { loginSession?: string; refreshToken?: string }, reason?: 'TOKEN_EXPIRED' | 'USER_CREDENTIALS_CHANGED'): void;
  /** The user loses (or regains) signin:CreateOAuth2Token: INSUFFICIENT_PERMISSIONS on both grants. */
  denyPermission(loginSession: string, denied?: boolean): void;
  injectFault(fault: SigninFault): void;
  /** Shorthand: the next `times` token calls answer 429 TooManyRequestsError. */
  throttleNext(times?: number): void;
  clearFaults(): void;
  /** Whether a refresh token would be accepted now (not rotated away, not revoked). */
  isRefreshTokenActive(refreshToken: string): boolean;
  /** Access key ids issued so far, oldest first. */
  readonly issuedAccessKeyIds: readonly string[];
  /** Authorization requests waiting on the sign-in page (their ids, for approve/deny). */
  readonly pendingAuthorizations: readonly string[];
  /** Decides a pending authorization as the page's buttons do; returns the redirect URL. */
  approve(requestId: string, loginSession?: string): string;
  deny(requestId: string): string;
}

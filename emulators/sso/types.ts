import type { RateLimit } from './rate-limit.js';

/** One AWS account as IAM Identity Center lists it, with the permission sets assigned to the user. */
export interface EmulatorAccount {
  accountId: string;
  accountName: string;
  emailAddress: string;
  roles: string[];
}

export interface SsoEmulatorOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  accounts?: EmulatorAccount[];
  /**
   * Device codes are approved automatically once they have been polled this many times: 0 means
   * the first CreateToken succeeds (a pre-authorised client), 1 means one AuthorizationPending
   * then success. Undefined: only approve() (or the /device page) approves.
   */
  autoApproveAfterPolls?: number | undefined;
  /**
   * /authorize redirects back with a code at once, as for a browser already signed in that
   * allowed this client before. Default false: a consent page with Allow and Deny.
   */
  autoApproveAuthorization?: boolean;
  /** Lifetime of access tokens (CreateToken expiresIn). Default 8 hours. */
  accessTokenTtlSeconds?: number;
  /** Lifetime of device codes (StartDeviceAuthorization expiresIn). Default 600. */
  deviceCodeTtlSeconds?: number;
  /** Polling interval announced by StartDeviceAuthorization, in seconds. Default 1. */
  interval?: number;
  /**
   * Issue refresh tokens to clients registered with scopes (sso-session style), as the service
   * does. Default true. Legacy registrations without scopes never get one.
   */
  issueRefreshTokens?: boolean;
  /** A refresh_token grant returns a new refresh token and retires the old one. Default true. */
  rotateRefreshTokens?: boolean;
  /** Lifetime of GetRoleCredentials credentials. Default 1 hour. */
  roleCredentialTtlSeconds?: number;
  /** Lifetime of a client registration (clientSecretExpiresAt). Default 90 days. */
  clientSecretTtlSeconds?: number;
  /**
   * The emulator's clock in epoch milliseconds. Tests that drive the client with a fake clock hand
   * the same clock in, so intervals and expiries agree on both sides. Default Date.now.
   */
  now?: () => number;
  /**
   * Throttle the portal operations together (a token bucket on the emulator's clock), answering
   * 429 TooManyRequestsException in the real service's shape. Default: no throttle.
   */
  rateLimit?: RateLimit | undefined;
}

export const OPERATIONS = [
  'RegisterClient',
  'StartDeviceAuthorization',
  'CreateToken',
  'ListAccounts',
  'ListAccountRoles',
  'GetRoleCredentials',
  'Logout',
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** A canned error answered instead of the operation's normal result. */
export interface Fault {
  status: 400 | 401 | 403 | 404 | 429 | 500;
  /** The error code, e.g. "TooManyRequestsException" or "SlowDownException". */
  errorType: string;
  /** How many calls fail this way; default 1. Use Infinity for every call. */
  times?: number;
  /** Let this many calls of the operation through first (e.g. 1: the second CreateToken fails). */
  afterCalls?: number;
  /** Overrides the default body ({"error","error_description"} for OIDC, {"message"} for the portal). */
  body?: object;
}

/** A token minted without the device flow, with everything a cache file needs. */
export interface IssuedToken {
  accessToken: string;
  refreshToken?: string | undefined;
  expiresAt: Date;
  clientId: string;
  clientSecret: string;
  registrationExpiresAt: Date;
}

export interface IssueTokenOptions {
  startUrl?: string;
  /** Default: the emulator's accessTokenTtlSeconds. Negative values mint an already expired token. */
  ttlSeconds?: number;
  /** Default true (a session-style registration). */
  withRefreshToken?: boolean;
}

export interface SsoEmulator {
  /** http://127.0.0.1:PORT, for AWS_ENDPOINT_URL_SSO and AWS_ENDPOINT_URL_SSO_OIDC. */
  readonly url: string;
  /** The env lines that point the SDKs (JS and botocore) at this emulator. */
  readonly env: { AWS_ENDPOINT_URL_SSO: string; AWS_ENDPOINT_URL_SSO_OIDC: string };
  close(): Promise<void>;
  /** Calls per operation since start or the last resetCalls(), faults included. */
  readonly calls: Record<Operation, number>;
  /** Calls refused by the rate limit since start or the last resetCalls() (counted in calls too). */
  readonly throttled: number;
  resetCalls(): void;
  /** Turns the portal throttle on (a fresh, full bucket) or off (undefined). */
  setRateLimit(limit: RateLimit | undefined): void;
  approve(userCode: string): void;
  deny(userCode: string): void;
  /** The user codes handed out so far, oldest first. */
  readonly userCodes: readonly string[];
  /** Expires one access token now (portal calls with it answer 401); without one, the newest. */
  expireAccessToken(token?: string): void;
  expireAllAccessTokens(): void;
  injectFault(operation: Operation, fault: Fault): void;
  clearFaults(): void;
  /** Delays every response by `ms` (real time). */
  setLatency(ms: number): void;
  issueToken(options?: IssueTokenOptions): IssuedToken;
  /** Replaces the account list with `n` generated accounts and returns it. */
  generateAccounts(n: number): EmulatorAccount[];
  setAccounts(accounts: EmulatorAccount[]): void;
  /** Whether an access token is currently accepted by the portal. */
  isAccessTokenValid(token: string): boolean;
}

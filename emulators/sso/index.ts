import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { DEFAULT_ACCOUNTS, generateAccounts } from './accounts.js';
import { handleAuthorize, type AuthorizeSettings } from './authorize.js';
import { devicePage } from './device-page.js';
import type { OidcSettings } from './oidc.js';
import { createClient, createToken, registerClient, startDeviceAuthorization, tokenResponse } from './oidc.js';
import { authenticate, BEARER_HEADER, getRoleCredentials, listAccountRoles, listAccounts, logout } from './portal.js';
import type { AccessTokenRecord } from './state.js';
import { EmulatorState } from './state.js';
import type { EmulatorAccount, Fault, IssuedToken, Operation, SsoEmulator, SsoEmulatorOptions } from './types.js';
import { OPERATIONS } from './types.js';
import { TokenBucket, type RateLimit } from './rate-limit.js';
import { oidcError, parseJsonObject, portalError, readBody, sendError, sendJson, snakeErrorCode, WireError } from './wire.js';

export type { EmulatorAccount, Fault, IssuedToken, IssueTokenOptions, Operation, SsoEmulator, SsoEmulatorOptions } from './types.js';
export { OPERATIONS } from './types.js';
export { DEFAULT_ACCOUNTS, generateAccounts, hostileAccounts } from './accounts.js';
export type { RateLimit } from './rate-limit.js';

interface Route {
  operation: Operation;
  dialect: 'oidc' | 'portal';
  method: 'GET' | 'POST';
}

/** The methods and paths of the real services (protocol-reference §1.1 and §2). */
const ROUTES: Record<string, Route> = {
  '/client/register': { operation: 'RegisterClient', dialect: 'oidc', method: 'POST' },
  '/device_authorization': { operation: 'StartDeviceAuthorization', dialect: 'oidc', method: 'POST' },
  '/token': { operation: 'CreateToken', dialect: 'oidc', method: 'POST' },
  '/assignment/accounts': { operation: 'ListAccounts', dialect: 'portal', method: 'GET' },
  '/assignment/roles': { operation: 'ListAccountRoles', dialect: 'portal', method: 'GET' },
  '/federation/credentials': { operation: 'GetRoleCredentials', dialect: 'portal', method: 'GET' },
  '/logout': { operation: 'Logout', dialect: 'portal', method: 'POST' },
};

interface ActiveFault {
  fault: Fault;
  skip: number;
  remaining: number;
}

/**
 * A local IAM Identity Center: the SSO-OIDC device flow and the SSO portal on one loopback port,
 * speaking the services' wire format so the real SDK clients (JS v3, botocore) work against it
 * through AWS_ENDPOINT_URL_SSO / AWS_ENDPOINT_URL_SSO_OIDC.
 */
export async function startSsoEmulator(options: SsoEmulatorOptions = {}): Promise<SsoEmulator> {
  const state = new EmulatorState([...(options.accounts ?? DEFAULT_ACCOUNTS)], options.now ?? Date.now);
  const calls = Object.fromEntries(OPERATIONS.map((op) => [op, 0])) as Record<Operation, number>;
  const faults = new Map<Operation, ActiveFault[]>();
  let latencyMs = 0;
  let rateLimit = options.rateLimit;
  let bucket = rateLimit ? new TokenBucket(rateLimit, state.now) : undefined;
  let throttled = 0;
  const roleCredentialTtlSeconds = options.roleCredentialTtlSeconds ?? 3600;
  const settings: OidcSettings = {
    baseUrl: '',
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 8 * 3600,
    deviceCodeTtlSeconds: options.deviceCodeTtlSeconds ?? 600,
    interval: options.interval ?? 1,
    issueRefreshTokens: options.issueRefreshTokens ?? true,
    rotateRefreshTokens: options.rotateRefreshTokens ?? true,
    clientSecretTtlSeconds: options.clientSecretTtlSeconds ?? 90 * 24 * 3600,
    autoApproveAfterPolls: options.autoApproveAfterPolls,
  };

  const authorizeSettings: AuthorizeSettings = { autoApproveAuthorization: options.autoApproveAuthorization ?? false };

  const takeFault = (operation: Operation): Fault | undefined => {
    const queue = faults.get(operation);
    const active = queue?.[0];
    if (!queue || !active) return undefined;
    if (active.skip > 0) {
      active.skip -= 1;
      return undefined;
    }
    active.remaining -= 1;
    if (active.remaining <= 0) queue.shift();
    return active.fault;
  };

  const oidcHandlers: Partial<Record<Operation, (body: Record<string, unknown>, url: URL) => object>> = {
    RegisterClient: (body) => registerClient(state, settings, body),
    StartDeviceAuthorization: (body) => startDeviceAuthorization(state, settings, body),
    CreateToken: (body, url) => {
      if (url.searchParams.has('aws_iam')) throw oidcError('InvalidRequestException', 'CreateTokenWithIAM is not emulated');
      return createToken(state, settings, body);
    },
  };
  const portalHandlers: Partial<Record<Operation, (token: AccessTokenRecord, query: URLSearchParams) => object>> = {
    ListAccounts: (_token, query) => listAccounts(state, query),
    ListAccountRoles: (_token, query) => listAccountRoles(state, query),
    GetRoleCredentials: (_token, query) => getRoleCredentials(state, query, roleCredentialTtlSeconds),
    Logout: (token) => logout(state, token),
  };

  const handleOperation = async (route: Route, req: IncomingMessage, url: URL): Promise<object> => {
    const bodyText = await readBody(req);
    const oidc = oidcHandlers[route.operation];
    if (oidc) return oidc(parseJsonObject(bodyText), url);
    const header = req.headers[BEARER_HEADER];
    const token = authenticate(state, Array.isArray(header) ? header[0] : header);
    const portal = portalHandlers[route.operation];
    if (!portal) throw new Error(`no handler for ${route.operation}`);
    return portal(token, url.searchParams);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (latencyMs > 0) await delay(latencyMs);
    if (url.pathname === '/authorize') {
      handleAuthorize(state, authorizeSettings, req, res, url, await readBody(req));
      return;
    }
    if (url.pathname === '/device' || url.pathname.startsWith('/_emulator/')) {
      await handleAdmin(req, res, url);
      return;
    }
    const route = ROUTES[url.pathname];
    if (!route || route.method !== req.method) {
      sendError(res, portalError(404, 'UnknownOperationException', 'Unknown operation'), 'portal');
      return;
    }
    calls[route.operation] += 1;
    // The throttle is collective across the portal's operations, and answers before anything else.
    if (route.dialect === 'portal' && bucket && !bucket.take()) {
      throttled += 1;
      const retryAfter: Record<string, string> = rateLimit?.retryAfterHeader
        ? { 'Retry-After': String(bucket.retryAfterSeconds()) }
        : {};
      sendError(res, portalError(429, 'TooManyRequestsException', 'Rate exceeded'), 'portal', retryAfter);
      return;
    }
    try {
      const fault = takeFault(route.operation);
      if (fault) throw faultError(fault, route.dialect);
      const result = await handleOperation(route, req, url);
      sendJson(res, 200, result);
    } catch (err) {
      if (err instanceof WireError) {
        sendError(res, err, route.dialect);
        return;
      }
      sendError(res, oidcError('InternalServerException', String(err)), route.dialect);
    }
  };

  /** The verification page and a small JSON admin API for driving the emulator from another process. */
  const handleAdmin = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const body = await readBody(req);
    if (url.pathname === '/device') {
      if (req.method === 'POST') {
        const form = new URLSearchParams(body);
        decide(form.get('user_code') ?? '', form.get('decision') === 'allow' ? 'approved' : 'denied');
      }
      const userCode = url.searchParams.get('user_code') ?? new URLSearchParams(body).get('user_code') ?? '';
      const page = devicePage(userCode, state.deviceByUserCode(userCode));
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(page);
      return;
    }
    const action = url.pathname.slice('/_emulator/'.length);
    const doc = body ? (JSON.parse(body) as { userCode?: string }) : {};
    if (req.method === 'POST' && (action === 'approve' || action === 'deny')) {
      decide(doc.userCode ?? url.searchParams.get('user_code') ?? '', action === 'approve' ? 'approved' : 'denied');
      sendJson(res, 200, {});
    } else if (req.method === 'GET' && action === 'calls') {
      sendJson(res, 200, calls);
    } else {
      sendJson(res, 404, { message: 'unknown admin action' });
    }
  };

  const decide = (userCode: string, status: 'approved' | 'denied'): void => {
    const device = state.deviceByUserCode(userCode);
    if (!device) throw new Error(`SSO emulator: no device authorization with user code ${userCode}`);
    if (device.status === 'pending') device.status = status;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { message: String(err) });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  settings.baseUrl = baseUrl;

  return {
    url: baseUrl,
    env: { AWS_ENDPOINT_URL_SSO: baseUrl, AWS_ENDPOINT_URL_SSO_OIDC: baseUrl },
    calls,
    get userCodes() {
      return [...state.userCodes];
    },
    // Idempotent, so a test can restart the emulator with other options and still close in afterEach.
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    get throttled() {
      return throttled;
    },
    resetCalls() {
      for (const op of OPERATIONS) calls[op] = 0;
      throttled = 0;
    },
    setRateLimit(limit: RateLimit | undefined) {
      rateLimit = limit;
      bucket = limit ? new TokenBucket(limit, state.now) : undefined;
    },
    approve: (userCode) => decide(userCode, 'approved'),
    deny: (userCode) => decide(userCode, 'denied'),
    expireAccessToken(token) {
      const records = [...state.accessTokens.values()];
      const record = token === undefined ? records.at(-1) : state.accessTokens.get(token);
      if (!record) throw new Error('SSO emulator: no such access token');
      record.expiresAtMs = state.now() - 1;
    },
    expireAllAccessTokens() {
      for (const record of state.accessTokens.values()) record.expiresAtMs = state.now() - 1;
    },
    injectFault(operation, fault) {
      const queue = faults.get(operation) ?? [];
      queue.push({ fault, skip: fault.afterCalls ?? 0, remaining: fault.times ?? 1 });
      faults.set(operation, queue);
    },
    clearFaults: () => faults.clear(),
    setLatency(ms) {
      latencyMs = ms;
    },
    issueToken(issue = {}): IssuedToken {
      const withRefresh = issue.withRefreshToken ?? true;
      const client = createClient(state, settings, 'emulator-seed', withRefresh ? ['sso:account:access'] : undefined);
      const session = state.newSession(client.clientId, issue.startUrl ?? `${baseUrl}/start`);
      const ttl = issue.ttlSeconds ?? settings.accessTokenTtlSeconds;
      const minted = tokenResponse(state, { ...settings, accessTokenTtlSeconds: ttl }, client, session.sessionId) as {
        accessToken: string;
        refreshToken?: string;
      };
      return {
        accessToken: minted.accessToken,
        refreshToken: withRefresh ? minted.refreshToken : undefined,
        expiresAt: new Date(state.now() + ttl * 1000),
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        registrationExpiresAt: new Date(client.expiresAtMs),
      };
    },
    generateAccounts(n) {
      state.accounts = generateAccounts(n);
      return state.accounts;
    },
    setAccounts(accounts: EmulatorAccount[]) {
      state.accounts = [...accounts];
    },
    isAccessTokenValid: (token) => state.validAccessToken(token) !== undefined,
  };
}

function faultError(fault: Fault, dialect: 'oidc' | 'portal'): WireError {
  const body =
    fault.body ??
    (dialect === 'oidc'
      ? { error: snakeErrorCode(fault.errorType), error_description: `Injected ${fault.errorType}` }
      : { message: `Injected ${fault.errorType}` });
  return new WireError(fault.status, fault.errorType, body);
}

import type { AccessTokenRecord, EmulatorState } from './state.js';
import { randomToken } from './state.js';
import { portalError } from './wire.js';

export const BEARER_HEADER = 'x-amz-sso_bearer_token';
const DEFAULT_PAGE_SIZE = 20;

/** Every portal operation needs a live access token in x-amz-sso_bearer_token. */
export function authenticate(state: EmulatorState, token: string | undefined): AccessTokenRecord {
  const record = state.validAccessToken(token);
  if (!record) throw portalError(401, 'UnauthorizedException', 'Session token not found or invalid');
  return record;
}

/** GET /assignment/accounts */
export function listAccounts(state: EmulatorState, query: URLSearchParams): object {
  const { items, nextToken } = page(
    state.accounts.map(({ accountId, accountName, emailAddress }) => ({ accountId, accountName, emailAddress })),
    query,
    'accounts',
  );
  return { accountList: items, ...(nextToken ? { nextToken } : {}) };
}

/** GET /assignment/roles?account_id= */
export function listAccountRoles(state: EmulatorState, query: URLSearchParams): object {
  const accountId = requiredParam(query, 'account_id');
  const account = state.accounts.find((a) => a.accountId === accountId);
  if (!account) throw portalError(404, 'ResourceNotFoundException', 'The specified account was not found');
  const { items, nextToken } = page(
    account.roles.map((roleName) => ({ roleName, accountId })),
    query,
    `roles:${accountId}`,
  );
  return { roleList: items, ...(nextToken ? { nextToken } : {}) };
}

/** GET /federation/credentials?role_name=&account_id= */
export function getRoleCredentials(state: EmulatorState, query: URLSearchParams, ttlSeconds: number): object {
  const roleName = requiredParam(query, 'role_name');
  const accountId = requiredParam(query, 'account_id');
  const account = state.accounts.find((a) => a.accountId === accountId);
  // What the service answers for a role the user is not assigned to, whatever the reason.
  if (!account?.roles.includes(roleName)) throw portalError(403, 'ForbiddenException', 'No access');
  return {
    roleCredentials: {
      accessKeyId: `ASIA${randomToken(16).toUpperCase().replace(/[^A-Z0-9]/g, 'Q')}`,
      secretAccessKey: randomToken(40),
      sessionToken: `IQoJb3JpZ2luX2VjE${randomToken(300)}`,
      // Epoch milliseconds, unlike clientSecretExpiresAt (seconds).
      expiration: state.now() + ttlSeconds * 1000,
    },
  };
}

/** POST /logout: ends the sign-in session, so its access and refresh tokens stop working. */
export function logout(state: EmulatorState, token: AccessTokenRecord): object {
  const session = state.sessions.get(token.sessionId);
  if (session) session.ended = true;
  return {};
}

function requiredParam(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (!value) throw portalError(400, 'InvalidRequestException', `Missing required parameter: ${name}`);
  return value;
}

/** next_token / max_result paging; the token is opaque to clients and bound to one listing. */
function page<T>(all: T[], query: URLSearchParams, listing: string): { items: T[]; nextToken?: string } {
  const maxRaw = query.get('max_result');
  let size = DEFAULT_PAGE_SIZE;
  if (maxRaw !== null) {
    size = Number(maxRaw);
    if (!Number.isInteger(size) || size < 1 || size > 100) {
      throw portalError(400, 'InvalidRequestException', 'max_result must be between 1 and 100');
    }
  }
  const offset = decodeToken(query.get('next_token'), listing);
  const items = all.slice(offset, offset + size);
  const next = offset + size;
  return next < all.length ? { items, nextToken: encodeToken(next, listing) } : { items };
}

function encodeToken(offset: number, listing: string): string {
  return Buffer.from(JSON.stringify({ listing, offset }), 'utf8').toString('base64url');
}

function decodeToken(token: string | null, listing: string): number {
  if (token === null || token === '') return 0;
  try {
    const doc = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { listing?: unknown; offset?: unknown };
    if (doc.listing === listing && typeof doc.offset === 'number' && doc.offset >= 0) return doc.offset;
  } catch {
    // fall through
  }
  throw portalError(400, 'InvalidRequestException', 'Invalid next token');
}

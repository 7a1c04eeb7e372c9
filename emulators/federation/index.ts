import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local AWS federation endpoint (signin.aws.amazon.com/federation) for the console sign-in:
 * `Action=getSigninToken` (GET query or POST form) checks the Session JSON as AWS documents it
 * and answers {"SigninToken": ...}; `Action=login` redirects to Destination when the token is one
 * it issued in the last 15 minutes. Everything it was sent is recorded for tests to inspect.
 */

/** The three keys AWS's Session JSON has, all strings. */
export interface FederationSession {
  sessionId: string;
  sessionKey: string;
  sessionToken: string;
}

export interface SigninTokenRequest {
  method: string;
  /** Whether any parameter came in the URL's query (where proxies and logs keep it). */
  inQuery: string[];
  session: FederationSession;
  sessionDuration: number | undefined;
  token: string;
}

export interface LoginRequest {
  issuer: string | undefined;
  destination: string;
  token: string;
}

export interface FederationEmulator {
  /** http://127.0.0.1:PORT */
  url: string;
  /** http://127.0.0.1:PORT/federation: what AWSKEYS_FEDERATION_URL points at. */
  federationUrl: string;
  signinTokens: SigninTokenRequest[];
  logins: LoginRequest[];
  /** Answers from now on to getSigninToken with this HTTP status (AWS answers 400 for credentials it refuses). */
  refuseWith: number | undefined;
  close(): Promise<void>;
}

/** How long a sign-in token may be used, as AWS documents. */
export const SIGNIN_TOKEN_TTL_MS = 15 * 60 * 1000;

export async function startFederationEmulator(options: { now?: () => number } = {}): Promise<FederationEmulator> {
  const now = options.now ?? Date.now;
  const issued = new Map<string, number>();
  const emulator: FederationEmulator = {
    url: '',
    federationUrl: '',
    signinTokens: [],
    logins: [],
    refuseWith: undefined,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const getSigninToken = (req: IncomingMessage, params: URLSearchParams, inQuery: string[], res: ServerResponse): void => {
    if (emulator.refuseWith !== undefined) return text(res, emulator.refuseWith, 'Unable to verify the credentials.');
    const session = parseSession(params.get('Session'));
    if (typeof session === 'string') return text(res, 400, session);
    const rawDuration = params.get('SessionDuration');
    let sessionDuration: number | undefined;
    if (rawDuration !== null) {
      sessionDuration = /^\d+$/.test(rawDuration) ? Number(rawDuration) : Number.NaN;
      if (!(sessionDuration >= 900 && sessionDuration <= 43_200)) return text(res, 400, 'SessionDuration must be from 900 to 43200 seconds.');
    }
    const token = randomBytes(48).toString('base64url');
    issued.set(token, now());
    emulator.signinTokens.push({ method: req.method ?? '', inQuery, session, sessionDuration, token });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ SigninToken: token }));
  };

  const login = (params: URLSearchParams, res: ServerResponse): void => {
    const token = params.get('SigninToken') ?? '';
    const at = issued.get(token);
    if (at === undefined || now() - at > SIGNIN_TOKEN_TTL_MS) return text(res, 400, 'The sign-in token is not valid or has expired.');
    const destination = params.get('Destination') ?? '';
    if (!isWebUrl(destination)) return text(res, 400, 'Destination must be an http(s) URL.');
    emulator.logins.push({ issuer: params.get('Issuer') ?? undefined, destination, token });
    res.writeHead(302, { location: destination });
    res.end();
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/federation') return text(res, 404, 'Not found.');
      if (req.method !== 'GET' && req.method !== 'POST') return text(res, 405, 'GET or POST.');
      const params = new URLSearchParams(url.search);
      const inQuery = [...params.keys()];
      if (req.method === 'POST') {
        if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return text(res, 400, 'A form body is expected.');
        for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) params.set(k, v);
      }
      const action = params.get('Action');
      if (action === 'getSigninToken') return getSigninToken(req, params, inQuery, res);
      if (action === 'login') return login(params, res);
      text(res, 400, 'Action must be getSigninToken or login.');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  emulator.url = `http://127.0.0.1:${port}`;
  emulator.federationUrl = `${emulator.url}/federation`;
  return emulator;
}

/** The Session JSON, or what is wrong with it. */
export function parseSession(raw: string | null): FederationSession | string {
  if (raw === null) return 'Session is missing.';
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch {
    return 'Session is not JSON.';
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'Session must be a JSON object.';
  const keys = Object.keys(doc).sort();
  if (keys.join(',') !== 'sessionId,sessionKey,sessionToken') return `Session must have exactly sessionId, sessionKey and sessionToken, not ${keys.join(', ') || 'nothing'}.`;
  const { sessionId, sessionKey, sessionToken } = doc as Record<string, unknown>;
  if (!isFilled(sessionId) || !isFilled(sessionKey) || !isFilled(sessionToken)) return 'sessionId, sessionKey and sessionToken must be non-empty strings.';
  return { sessionId, sessionKey, sessionToken };
}

function isFilled(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function isWebUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(`${body}\n`);
}

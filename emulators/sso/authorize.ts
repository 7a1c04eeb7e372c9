import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthorizationRequest, EmulatorState } from './state.js';
import { randomToken } from './state.js';

/** How long an authorization code may wait before CreateToken. */
const CODE_TTL_MS = 5 * 60 * 1000;

export interface AuthorizeSettings {
  /**
   * Approve /authorize at once and redirect, as a browser already signed in to IAM Identity
   * Center does after the user's first "Allow" (the case that needs the listener up before the
   * browser opens). Otherwise a consent page with Allow and Deny.
   */
  autoApproveAuthorization: boolean;
}

/**
 * The browser side of the authorization-code grant: GET /authorize (RFC 6749 §4.1.1 with PKCE,
 * RFC 7636 §4.3), and the POST of its consent page. Requests that cannot be trusted with a
 * redirect (unknown client, unregistered redirect URI) get an error page and no redirect;
 * other errors go back to the client as `error` / `error_description` with the state.
 */
export function handleAuthorize(
  state: EmulatorState,
  settings: AuthorizeSettings,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: string,
): void {
  if (req.method === 'POST') {
    const form = new URLSearchParams(body);
    const request = state.authorizationRequests.get(form.get('request_id') ?? '');
    if (request?.status !== 'pending') {
      page(res, 400, 'This sign-in request is unknown or already answered.');
      return;
    }
    decide(state, request, form.get('decision') === 'allow');
    redirectBack(res, request);
    return;
  }
  if (req.method !== 'GET') {
    page(res, 405, 'Method not allowed');
    return;
  }
  const q = url.searchParams;
  const client = state.clients.get(q.get('client_id') ?? '');
  if (!client) {
    page(res, 400, 'Invalid client_id.');
    return;
  }
  const redirectUri = q.get('redirect_uri') ?? '';
  if (!client.redirectUris?.some((registered) => sameRedirect(registered, redirectUri))) {
    page(res, 400, 'The redirect_uri is not registered for this client.');
    return;
  }
  const fail = (error: string, description: string): void => {
    const target = new URL(redirectUri);
    target.searchParams.set('error', error);
    target.searchParams.set('error_description', description);
    const st = q.get('state');
    if (st !== null) target.searchParams.set('state', st);
    res.writeHead(302, { Location: target.toString() });
    res.end();
  };
  if (!client.grantTypes?.includes('authorization_code')) {
    fail('unauthorized_client', 'Client is not registered for the authorization_code grant');
    return;
  }
  if (q.get('response_type') !== 'code') {
    fail('unsupported_response_type', 'response_type must be code');
    return;
  }
  const challenge = q.get('code_challenge') ?? '';
  if (q.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(challenge)) {
    fail('invalid_request', 'PKCE is required: code_challenge_method=S256 and a code_challenge');
    return;
  }
  const scopeText = q.get('scopes') ?? q.get('scope');
  const request: AuthorizationRequest = {
    requestId: randomToken(16),
    clientId: client.clientId,
    redirectUri,
    state: q.get('state') ?? undefined,
    codeChallenge: challenge,
    scopes: scopeText ? scopeText.split(' ').filter(Boolean) : (client.scopes ?? []),
    status: 'pending',
    code: undefined,
    codeExpiresAtMs: 0,
  };
  state.authorizationRequests.set(request.requestId, request);
  if (settings.autoApproveAuthorization) {
    decide(state, request, true);
    redirectBack(res, request);
    return;
  }
  page(
    res,
    200,
    `Allow ${escapeHtml(client.clientName)} to access your AWS accounts?`,
    `<form method="post" action="/authorize"><input type="hidden" name="request_id" value="${request.requestId}">` +
      '<button name="decision" value="allow">Allow</button> <button name="decision" value="deny">Deny</button></form>',
  );
}

function decide(state: EmulatorState, request: AuthorizationRequest, allow: boolean): void {
  if (allow) {
    request.status = 'approved';
    request.code = randomToken(64);
    request.codeExpiresAtMs = state.now() + CODE_TTL_MS;
  } else {
    request.status = 'denied';
  }
}

function redirectBack(res: ServerResponse, request: AuthorizationRequest): void {
  const target = new URL(request.redirectUri);
  if (request.status === 'approved' && request.code !== undefined) {
    target.searchParams.set('code', request.code);
  } else {
    target.searchParams.set('error', 'access_denied');
    target.searchParams.set('error_description', 'The user denied the request');
  }
  if (request.state !== undefined) target.searchParams.set('state', request.state);
  res.writeHead(302, { Location: target.toString() });
  res.end();
}

/** A loopback redirect matches its registration whatever the port (RFC 8252 §7.3); all else exactly. */
function sameRedirect(registered: string, given: string): boolean {
  try {
    const a = new URL(registered);
    const b = new URL(given);
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(a.hostname);
    return (
      a.protocol === b.protocol &&
      a.hostname === b.hostname &&
      a.pathname === b.pathname &&
      (loopback || a.port === b.port) &&
      b.search === '' &&
      b.hash === ''
    );
  } catch {
    return false;
  }
}

function page(res: ServerResponse, status: number, title: string, html = ''): void {
  const text = `<!doctype html>\n<html><head><meta charset="utf-8"><title>SSO emulator: authorize</title></head>\n<body><h1>${
    status === 200 ? title : escapeHtml(title)
  }</h1>${html}</body></html>\n`;
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(text);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

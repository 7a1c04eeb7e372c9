import type { AuthorizationRequest, SigninState } from './state.js';
import { CROSS_DEVICE_CLIENT_ID, SAME_DEVICE_CLIENT_ID } from './types.js';
import { escapeHtml } from './wire.js';

/** The loopback redirect the AWS CLI's AuthCodeFetcher listens on (same-device). */
const LOOPBACK_REDIRECT = /^http:\/\/127\.0\.0\.1:([0-9]{1,5})\/oauth\/callback$/;
/** base64url of a SHA-256 digest without padding: what `code_challenge[:-1]` leaves. */
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export interface AuthorizeSettings {
  baseUrl: string;
  authCodeTtlSeconds: number;
  autoApprove: boolean;
}

/** What GET /v1/authorize answers: a page (the sign-in page, or an error the browser shows) or a redirect. */
export type AuthorizeOutcome = { page: string; status: number } | { redirect: string };

export const confirmationUri = (baseUrl: string): string => `${baseUrl}/v1/sessions/confirmation`;

/**
 * GET /v1/authorize. As in OAuth (RFC 6749 4.1.2.1), a bad client or redirect URI is shown in the
 * browser and never redirected to; every other problem goes back to the redirect URI as an error.
 */
export function authorize(state: SigninState, settings: AuthorizeSettings, query: URLSearchParams): AuthorizeOutcome {
  const clientId = query.get('client_id') ?? '';
  const redirectUri = query.get('redirect_uri') ?? '';
  if (clientId !== SAME_DEVICE_CLIENT_ID && clientId !== CROSS_DEVICE_CLIENT_ID) {
    return { status: 400, page: errorPage('Unknown client_id.') };
  }
  const redirectOk =
    clientId === SAME_DEVICE_CLIENT_ID
      ? validPort(LOOPBACK_REDIRECT.exec(redirectUri)?.[1])
      : redirectUri === confirmationUri(settings.baseUrl);
  if (!redirectOk) return { status: 400, page: errorPage('The redirect_uri is not allowed for this client.') };

  const stateParam = query.get('state') ?? '';
  const fail = (description: string): AuthorizeOutcome => ({
    redirect: withQuery(redirectUri, { error: 'invalid_request', error_description: description, ...(stateParam ? { state: stateParam } : {}) }),
  });
  if (query.get('response_type') !== 'code') return fail('response_type must be code');
  if (query.get('code_challenge_method') !== 'SHA-256') return fail('code_challenge_method must be SHA-256');
  const codeChallenge = query.get('code_challenge') ?? '';
  if (!CHALLENGE.test(codeChallenge)) return fail('code_challenge must be a base64url SHA-256 digest');
  if (!(query.get('scope') ?? '').split(' ').includes('openid')) return fail('scope must include openid');
  if (!stateParam) return fail('state is required');

  const request = state.newRequest({ clientId: clientId, redirectUri, state: stateParam, codeChallenge });
  if (settings.autoApprove) return { redirect: decide(state, settings, request.id, 'allow', state.users[0]) };
  return { status: 200, page: signInPage(request, state.users) };
}

/** The sign-in page's decision (its form posts here): the redirect back to the client. */
export function decide(
  state: SigninState,
  settings: AuthorizeSettings,
  requestId: string,
  decision: 'allow' | 'deny',
  loginSession: string | undefined,
): string {
  const request = state.requests.get(requestId);
  if (!request) throw new Error(`Sign-In emulator: no pending authorization ${requestId}`);
  state.requests.delete(requestId);
  if (decision === 'deny') {
    return withQuery(request.redirectUri, { error: 'access_denied', error_description: 'The user denied the request', state: request.state });
  }
  const user = loginSession ?? state.users[0] ?? '';
  if (!state.users.includes(user)) throw new Error(`Sign-In emulator: unknown user ${user}`);
  const code = state.newCode({
    clientId: request.clientId,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    loginSession: user,
    expiresAtMs: state.now() + settings.authCodeTtlSeconds * 1000,
  });
  return withQuery(request.redirectUri, { code, state: request.state });
}

/**
 * The text the cross-device page shows and the AWS CLI's parse_verification_code reads back:
 * base64 of the query string `state=...&code=...`.
 */
export function verificationCode(stateParam: string, code: string): string {
  return Buffer.from(new URLSearchParams({ state: stateParam, code }).toString(), 'utf8').toString('base64');
}

/** GET /v1/sessions/confirmation: where the cross-device flow lands, showing the code to paste. */
export function confirmationPage(query: URLSearchParams): { status: number; page: string } {
  const error = query.get('error');
  if (error) return { status: 200, page: errorPage(`Sign-in failed: ${error} ${query.get('error_description') ?? ''}`.trim()) };
  const code = query.get('code');
  const stateParam = query.get('state');
  if (!code || !stateParam) return { status: 400, page: errorPage('Missing code or state.') };
  const text = verificationCode(stateParam, code);
  return {
    status: 200,
    page: page(
      'Authorization code',
      `<p>Copy this code and paste it into the terminal where you ran the command:</p>\n<pre id="verification-code">${escapeHtml(text)}</pre>`,
    ),
  };
}

function signInPage(request: AuthorizationRequest, users: readonly string[]): string {
  const choices = users
    .map(
      (user, i) =>
        `<label><input type="radio" name="login_session" value="${escapeHtml(user)}"${i === 0 ? ' checked' : ''}> ${escapeHtml(user)}</label><br>`,
    )
    .join('\n');
  const device = request.clientId === CROSS_DEVICE_CLIENT_ID ? 'another device' : 'this device';
  return page(
    'Sign in to AWS',
    `<p>Allow the AWS command line on ${device} to use your console session?</p>
<form method="post" action="/v1/authorize">
<input type="hidden" name="request_id" value="${escapeHtml(request.id)}">
${choices}
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}

function errorPage(message: string): string {
  return page('Sign-in error', `<p id="error">${escapeHtml(message)}</p>`);
}

function page(title: string, body: string): string {
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body><h1>${escapeHtml(title)}</h1>\n${body}\n</body></html>\n`;
}

function validPort(port: string | undefined): boolean {
  const n = Number(port);
  return port !== undefined && Number.isInteger(n) && n >= 1 && n <= 65535;
}

function withQuery(uri: string, params: Record<string, string>): string {
  return `${uri}${uri.includes('?') ? '&' : '?'}${new URLSearchParams(params).toString()}`;
}

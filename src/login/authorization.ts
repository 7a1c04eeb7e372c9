import { Buffer } from 'node:buffer';

/** The AWS CLI's two Sign-In clients (awscli/customizations/login/utils.py CLIENT_ID). */
export const SAME_DEVICE_CLIENT = 'arn:aws:signin:::devtools/same-device';
export const CROSS_DEVICE_CLIENT = 'arn:aws:signin:::devtools/cross-device';

export interface AuthorizationRequest {
  /** The Sign-In endpoint, scheme://host[:port] (aws-sdk/endpoint-probe.ts). */
  base: string;
  clientId: string;
  state: string;
  /** base64url SHA-256 of the verifier, no padding (sso/auth-code-flow.ts codeChallenge). */
  codeChallenge: string;
  redirectUri: string;
}

/**
 * `{base}/v1/authorize?...` with the AWS CLI's parameters in its order (`_get_authorization_uri`):
 * response_type, client_id, state, the method named `SHA-256` (not RFC 7636's S256: the service's
 * own name), scope openid, redirect_uri, and the challenge appended unencoded at the end.
 */
export function authorizationUrl(request: AuthorizationRequest): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: request.clientId,
    state: request.state,
    code_challenge_method: 'SHA-256',
    scope: 'openid',
    redirect_uri: request.redirectUri,
  });
  return `${request.base}/v1/authorize?${query.toString()}&code_challenge=${request.codeChallenge}`;
}

/** Where the cross-device flow lands: the page that shows the code to paste back. */
export const confirmationUri = (base: string): string => `${base}/v1/sessions/confirmation`;

/**
 * The text the cross-device page shows, read as the AWS CLI reads it (parse_verification_code):
 * base64 of `state=...&code=...`. Surrounding blanks (a paste's newline) are ignored; anything
 * else that is not such a text is an error message for the prompt, which asks again.
 */
export function parseVerificationCode(text: string): { state: string; code: string } | { problem: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { problem: 'Paste the code the browser shows after the sign-in.' };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) return { problem: 'That is not the code the browser shows (it is base64 text, one line).' };
  const params = new URLSearchParams(Buffer.from(trimmed, 'base64').toString('utf8'));
  const state = params.get('state');
  const code = params.get('code');
  if (!state || !code) return { problem: 'That code has no sign-in in it; copy the whole code the browser shows.' };
  return { state, code };
}

/** The login-session ARN: the `sub` of the id token CreateOAuth2Token returns for a code. */
export function loginSessionOf(idToken: string | undefined): string | undefined {
  const payload = idToken?.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const sub = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown }).sub;
    return typeof sub === 'string' && sub.startsWith('arn:') ? sub : undefined;
  } catch {
    return undefined;
  }
}

/** The account of an ARN (arn:partition:service:region:ACCOUNT:resource). */
export function accountOfArn(arn: string): string {
  return arn.split(':')[4] ?? '';
}

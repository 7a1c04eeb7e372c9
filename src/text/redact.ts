/**
 * What may be shown of a message we did not write ourselves: a service's error message, or an
 * unexpected error's. Such text can carry secrets: some services' SignatureDoesNotMatch messages
 * include the canonical request (and with it x-amz-security-token), and a JSON SyntaxError quotes
 * the response body it choked on (GetRoleCredentials and CreateToken bodies hold credentials). No
 * imports: this is part of the lean entry bundle.
 */

/** Longest detail shown; a service's explanation fits, a quoted request or body does not. */
export const MAX_DETAIL = 300;

/** Where a service's explanation ends and its dump of the request begins. */
const DUMP_START = /The Canonical String|The String-to-Sign|\r?\n[ \t]*\r?\n/i;

/**
 * A credential's name, then `:` or `=` (perhaps quoted or spaced, as in JSON, headers, query
 * strings and ini files), then its value. Key ids (AKIA..., ASIA...) are not secret and stay.
 */
const NAMED_SECRET =
  /(x-amz-security-token|aws_secret_access_key|aws_session_token|secret_?access_?key|session_?token|access_?token|refresh_?token|client_?secret)(["']?\s*[:=]\s*["']?)[^\s"',;&}\]]+/gi;

const BEARER = /\b(Bearer\s+)[^\s"',;]+/gi;

/** A JWT (client secrets are JWT-like blobs): header.payload[.signature]. */
const JWT = /\beyJ[\w-]{8,}\.[\w-]+(?:\.[\w-]*)?/g;

/**
 * Token-shaped text whatever its label or none: 32 or more base64/base64url characters with
 * upper case, lower case and a digit, as secret keys (40), session tokens, SSO access and refresh
 * tokens and client secrets are. Hex digests, UUIDs, ARNs (broken up by colons) and key ids
 * (20 characters) stay.
 */
const TOKEN_SHAPED = /[A-Za-z0-9+/_=-]{32,}/g;

function redactTokenShaped(text: string): string {
  return text.replace(TOKEN_SHAPED, (run) => {
    // A file path (absolute, or with both / and -, which no base64 flavour has together) stays.
    if (run.startsWith('/') || (run.includes('/') && run.includes('-'))) return run;
    return /[A-Z]/.test(run) && /[a-z]/.test(run) && /\d/.test(run) ? '***' : run;
  });
}

/** `text` cut before any request dump, on one line, with credential values as `***`, at most MAX_DETAIL long. */
export function safeDetail(text: string): string {
  const trimmed = text.trimStart();
  const cut = DUMP_START.exec(trimmed);
  const head = cut ? trimmed.slice(0, cut.index) : trimmed;
  const line = head
    .replace(/\s+/g, ' ')
    .trim()
    .replace(NAMED_SECRET, '$1$2***')
    .replace(BEARER, '$1***')
    .replace(JWT, '***');
  const redacted = redactTokenShaped(line);
  return redacted.length > MAX_DETAIL ? `${redacted.slice(0, MAX_DETAIL - 1)}…` : redacted;
}

/**
 * The safe detail of a thrown value. A SyntaxError is almost always JSON.parse on a response, and
 * its message quotes the body: only say what happened.
 */
export function safeErrorDetail(err: unknown, text?: string): string {
  const e = (err ?? {}) as { name?: unknown; message?: unknown };
  if (e.name === 'SyntaxError') return 'invalid JSON in a response';
  return safeDetail(text ?? (typeof e.message === 'string' ? e.message : String(err)));
}

/**
 * The one timestamp form awskeys writes: ISO-8601 UTC to the second, `2026-01-02T03:04:05Z`. It is
 * what the AWS CLI writes in its caches and what credential_process, AWS_CREDENTIAL_EXPIRATION
 * and the container credential endpoint carry; both SDKs parse it, and aws-vault writes it too.
 */
export function formatTimestamp(date: Date): string {
  const year = date.getUTCFullYear();
  // toISOString's own form for what this does not write (years past 9999 or before 0) and its
  // RangeError for an invalid date.
  if (!(year >= 0 && year <= 9999)) return `${date.toISOString().slice(0, -5)}Z`;
  // From the UTC fields, not toISOString: in node, toISOString sets up the local time zone first
  // (reads /etc/localtime through ICU) on every env with an expiration (docs/env.md, "Speed");
  // the UTC getters do not.
  return `${pad(year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}Z`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * Parses every form seen in the caches in the wild: `...Z` (CLI), `...sssZ` (JS SDK write-back),
 * `+00:00` (other tools) and the old CLI's `...UTC` suffix, which Node cannot parse as is.
 * undefined for anything else.
 */
export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  // endsWith, not replace(/\s*UTC$/): no regular expression to compile on a cache hit (docs/env.md, "Speed").
  const trimmed = value.trim();
  const normalised = trimmed.endsWith('UTC') ? `${trimmed.slice(0, -3).trimEnd()}Z` : trimmed;
  const date = new Date(normalised);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

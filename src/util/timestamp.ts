/**
 * The one timestamp form awskeys writes: ISO-8601 UTC to the second, `2026-01-02T03:04:05Z`. It is
 * what the AWS CLI writes in its caches and what credential_process, AWS_CREDENTIAL_EXPIRATION
 * and the container credential endpoint carry; both SDKs parse it, and aws-vault writes it too.
 */
export function formatTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * Parses every form seen in the caches in the wild: `...Z` (CLI), `...sssZ` (JS SDK write-back),
 * `+00:00` (other tools) and the old CLI's `...UTC` suffix, which Node cannot parse as is.
 * undefined for anything else.
 */
export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const normalised = value.trim().replace(/\s*UTC$/, 'Z');
  const date = new Date(normalised);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

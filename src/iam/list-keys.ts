import type { IAMClient } from '@aws-sdk/client-iam';
import type { Clock } from '../app/clock.js';
import { parseDayCount } from '../util/day-count.js';
import { ageInDays, listAccessKeys, resolveUserName, withLastUse, type AccessKeyInfo } from './access-keys.js';
import { days } from './key-report.js';

export interface ListKeysContext {
  iam: IAMClient;
  clock: Clock;
  /** Aborted on Ctrl-C: the calls in flight stop (InterruptedError). */
  signal: AbortSignal;
}

export interface KeyListing {
  userName: string;
  keys: AccessKeyInfo[];
  /** The moment ages are computed against. */
  now: Date;
  /** One line per key older than the maximum age, for stderr. */
  warnings: string[];
}

export const DEFAULT_MAX_AGE_DAYS = 90;

/** `--max-age DAYS`: a whole number of days, 1 or more. */
export function parseMaxAge(text: string): number {
  return parseDayCount('--max-age', text, DEFAULT_MAX_AGE_DAYS);
}

/** A user's keys, oldest first, with last use and a warning for each key past `maxAgeDays`. */
export async function listKeys(
  ctx: ListKeysContext,
  options: { user?: string | undefined; maxAgeDays?: number | undefined },
): Promise<KeyListing> {
  const maxAge = options.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS;
  const userName = await resolveUserName(ctx.iam, options.user, ctx.signal);
  const keys = await withLastUse(ctx.iam, await listAccessKeys(ctx.iam, userName, ctx.signal), ctx.signal);
  const now = ctx.clock.now();
  const warnings = keys
    .filter((k) => ageInDays(k.createdAt, now) > maxAge)
    .map(
      (k) =>
        `access key ${k.accessKeyId} of IAM user "${userName}" is ${days(ageInDays(k.createdAt, now))} old (more than ${days(maxAge)}); rotate it.`,
    );
  return { userName, keys, now, warnings };
}

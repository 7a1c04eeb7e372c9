import { UsageError } from '../errors/cli-error.js';

/**
 * A `--<flag> DAYS` value: a whole number of days, 1 or more (`--max-age`, `--max-unused`), so
 * every day-count option refuses the same inputs with the same wording.
 */
export function parseDayCount(flag: string, text: string, example: number): number {
  const days = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(days) || days < 1) {
    throw new UsageError(`${flag} must be a whole number of days, 1 or more (not "${text}").`, { hint: `for example: ${flag} ${example}` });
  }
  return days;
}

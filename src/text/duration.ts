import { UsageError } from '../errors/cli-error.js';

/** The lengths a --duration flag accepts, and how its error names them. */
export interface DurationBounds {
  minSeconds: number;
  maxSeconds: number;
  /** "15 minutes to 12 hours" */
  range: string;
}

/** A --duration value (`3600`, `90m`, `1h`, `45s`) in seconds, within `bounds`; else a usage error (exit 2). */
export function parseDuration(value: string, bounds: DurationBounds): number {
  const match = /^(\d{1,6})([smh]?)$/.exec(value.trim());
  const seconds = match ? Number(match[1]) * ({ '': 1, s: 1, m: 60, h: 3600 } as const)[match[2] as '' | 's' | 'm' | 'h'] : Number.NaN;
  if (!(seconds >= bounds.minSeconds && seconds <= bounds.maxSeconds)) {
    throw new UsageError(`--duration ${JSON.stringify(value)} is not from ${bounds.range}.`, { hint: 'e.g. --duration 1h, 90m or 3600' });
  }
  return seconds;
}

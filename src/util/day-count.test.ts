import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors/cli-error.js';
import { parseDayCount } from './day-count.js';

describe('parseDayCount', () => {
  it.each([['1', 1], ['45', 45], ['090', 90], ['36500', 36500]])('%s is %i days', (text, days) => {
    expect(parseDayCount('--max-unused', text, 45)).toBe(days);
  });

  it.each(['0', '-1', '1.5', '1e2', ' 4', '', 'soon', '99999999999999999999'])('"%s" is a usage error naming the flag', (text) => {
    const err = (() => {
      try {
        parseDayCount('--max-unused', text, 45);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect(err).toMatchObject({
      message: `--max-unused must be a whole number of days, 1 or more (not "${text}").`,
      hint: 'for example: --max-unused 45',
    });
  });
});

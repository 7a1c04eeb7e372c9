import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTimestamp, parseTimestamp } from './timestamp.js';

describe('parseTimestamp', () => {
  it.each([
    ['2026-01-01T12:00:00Z', '2026-01-01T12:00:00.000Z'],
    ['2026-11-29T01:33:29.325Z', '2026-11-29T01:33:29.325Z'],
    ['2026-01-01T12:00:00+00:00', '2026-01-01T12:00:00.000Z'],
    ['2021-12-07T01:19:12UTC', '2021-12-07T01:19:12.000Z'],
  ])('reads %s', (text, iso) => {
    expect(parseTimestamp(text)?.toISOString()).toBe(iso);
  });

  it.each([
    ['2021-12-07T01:19:12 UTC', '2021-12-07T01:19:12.000Z'],
    ['2021-12-07T01:19:12\t\u00a0UTC', '2021-12-07T01:19:12.000Z'],
    ['  2021-12-07T01:19:12UTC\n', '2021-12-07T01:19:12.000Z'],
  ])('reads the old CLI form %j, whitespace before UTC and all', (text, iso) => {
    expect(parseTimestamp(text)?.toISOString()).toBe(iso);
  });

  it.each([[''], ['tomorrow'], [42], [undefined], ['UTC'], ['2021-12-07T01:19:12UTCZ']])('rejects %j', (value) => {
    expect(parseTimestamp(value)).toBeUndefined();
  });
});

describe('formatTimestamp', () => {
  it.each([
    ['2026-01-01T12:00:00.789Z', '2026-01-01T12:00:00Z'],
    ['2026-06-01T13:00:00.000Z', '2026-06-01T13:00:00Z'],
    ['2026-06-01T13:00:00.999Z', '2026-06-01T13:00:00Z'],
  ])('writes %s as %s, without fractional seconds', (iso, expected) => {
    expect(formatTimestamp(new Date(iso))).toBe(expected);
  });

  it('is toISOString to the second for every date it may meet (years 0 to 9999)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }), (date) => {
        expect(formatTimestamp(date)).toBe(`${date.toISOString().slice(0, 19)}Z`);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['+010000-01-01T00:00:00.000Z', '+010000-01-01T00:00:00Z'],
    ['-000001-12-31T23:59:59.000Z', '-000001-12-31T23:59:59Z'],
  ])('writes a year outside 0-9999 as toISOString does (%s)', (iso, expected) => {
    expect(formatTimestamp(new Date(iso))).toBe(expected);
  });

  it('refuses an invalid date as toISOString does', () => {
    expect(() => formatTimestamp(new Date(Number.NaN))).toThrow(RangeError);
  });
});

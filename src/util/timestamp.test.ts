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

  it.each([[''], ['tomorrow'], [42], [undefined]])('rejects %j', (value) => {
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
});

import { describe, expect, it } from 'vitest';
import { isCi } from './is-ci.js';

describe('isCi', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['  ', false],
    ['false', false],
    ['FALSE', false],
    ['False', false],
    ['0', false],
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['woodpecker', true],
  ])('CI=%j is %s', (value, expected) => {
    expect(isCi(value === undefined ? {} : { CI: value })).toBe(expected);
  });
});

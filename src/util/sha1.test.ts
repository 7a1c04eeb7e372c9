import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha1HexUtf8 } from './sha1.js';

const reference = (text: string) => createHash('sha1').update(text, 'utf8').digest('hex');

describe('sha1HexUtf8', () => {
  it.each([
    ['', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['my-sso', '0ad374308c5a4e22f723adf10145eafad7c4031c'],
  ])('hashes %j to the published digest', (text, digest) => {
    expect(sha1HexUtf8(text)).toBe(digest);
  });

  it('agrees with node:crypto on every length around the block boundaries', () => {
    for (let n = 0; n < 200; n++) {
      const text = 'x'.repeat(n);
      expect(sha1HexUtf8(text)).toBe(reference(text));
    }
  });

  it('agrees with node:crypto on arbitrary text, non-ASCII and astral characters included', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => sha1HexUtf8(text) === reference(text)), {
      numRuns: 2000,
    });
  });
});

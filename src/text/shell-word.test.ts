import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellWord } from './shell-word.js';

describe('shellWord', () => {
  it.each([
    ['dev', 'dev'],
    ['acme.prod', 'acme.prod'],
    ['dev@corp', 'dev@corp'],
    ['https://acme.awsapps.com/start', 'https://acme.awsapps.com/start'],
    ['my prof', `'my prof'`],
    ["it's", `'it'\\''s'`],
    ['a$b', `'a$b'`],
    ['https://x.example/start?a=1&b=2', `'https://x.example/start?a=1&b=2'`],
    ['', `''`],
  ])('%j -> %s', (word, quoted) => {
    expect(shellWord(word)).toBe(quoted);
  });

  it('gives back the exact word when sh reads it', () => {
    for (const word of ['my prof', "it's", 'a$b `x` "y"', '*', 'tab\there', '']) {
      expect(execFileSync('sh', ['-c', `printf %s ${shellWord(word)}`], { encoding: 'utf8' })).toBe(word);
    }
  });

  it("leaves exactly the words of /^[\\w@%+=:,./-]+$/ unquoted (the rule it had as a regular expression)", () => {
    const word = fc.string({ unit: fc.constantFrom(...'aZ09_@%+=:,./-', ' ', "'", '$', '\u00e9', '\u0130', '\n', '*') });
    fc.assert(
      fc.property(word, (w) => {
        const plain = /^[\w@%+=:,./-]+$/.test(w);
        expect(shellWord(w)).toBe(plain ? w : `'${w.replace(/'/g, `'\\''`)}'`);
      }),
    );
  });
});

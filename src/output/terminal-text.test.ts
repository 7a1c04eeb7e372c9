import { describe, expect, it } from 'vitest';
import { MAX_RUN, terminalSafe } from './terminal-text.js';

describe('terminalSafe', () => {
  it.each([
    ['a newline and a colour escape', 'evil\n\x1b[31mred', 'evil\\n\\x1b[31mred'],
    ['a carriage return that would overwrite the line', 'dev\rawskeys: ok', 'dev\\rawskeys: ok'],
    ['a tab', 'a\tb', 'a\\tb'],
    ['a bell and DEL', 'x\x07y\x7f', 'x\\x07y\\x7f'],
    ['the one-byte CSI (C1 control)', 'x\u009b31m', 'x\\x9b31m'],
    ['a terminal title (OSC) sequence', '\x1b]0;pwned\x07', '\\x1b]0;pwned\\x07'],
    ['a right-to-left override', 'abc\u202Egpj.exe', 'abc\\u202egpj.exe'],
    ['a zero-width space and a line separator', 'a\u200Bb\u2028c', 'a\\u200bb\\u2028c'],
  ])('shows %s as visible escapes on one line', (_what, text, shown) => {
    expect(terminalSafe(text)).toBe(shown);
  });

  it('leaves ordinary text, punctuation and non-ASCII letters alone', () => {
    const text = 'No IAM user "jörg+ops=1,x@corp.example" (profile dev.prod_2). é ü 日本';
    expect(terminalSafe(text)).toBe(text);
  });

  it(`keeps a run of ${MAX_RUN} non-space characters whole and cuts a longer one in the middle with an ellipsis`, () => {
    const exact = 'a'.repeat(MAX_RUN);
    expect(terminalSafe(`profile ${exact} missing`)).toBe(`profile ${exact} missing`);
    const long = `${'h'.repeat(200)}${'t'.repeat(100)}`;
    const shown = terminalSafe(`profile ${long} missing`);
    expect(shown).toBe(`profile ${'h'.repeat(80)}…${'t'.repeat(39)} missing`);
    expect([...shown.split(' ')[1]!].length).toBe(MAX_RUN);
  });

  it('cuts after escaping, so a long run of control characters is bounded too', () => {
    const shown = terminalSafe('\x1b'.repeat(100), 20);
    expect(shown).toBe('\\x1b\\x1b\\x1b\\…1b\\x1b');
    expect([...shown].length).toBe(20);
  });

  it('never splits a character outside the Basic Multilingual Plane', () => {
    expect(terminalSafe('😀'.repeat(10), 7)).toBe('😀😀😀😀…😀😀');
  });
});

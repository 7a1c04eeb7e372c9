/**
 * A word for a POSIX shell, quoted only when it needs it, so a command we suggest (a hint, a "Try:"
 * line) can be pasted as is: `dev` stays `dev`, `my prof` becomes `'my prof'`, and a single quote
 * inside is closed, escaped and reopened (`it's` -> `'it'\''s'`).
 */
export function shellWord(word: string): string {
  return isPlainWord(word) ? word : shSingleQuote(word);
}

/**
 * Any text as one POSIX shell word in single quotes, each `'` closed, escaped and reopened. split
 * and join, not a regular expression V8 would compile on every shell start (docs/env.md, "Speed").
 */
export function shSingleQuote(value: string): string {
  return `'${value.split("'").join(`'\\''`)}'`;
}

/**
 * /^[\w@%+=:,./-]+$/ as a loop: the lean route builds hints on a cache hit too, and V8 compiles a
 * regular expression twice in each process (docs/env.md, "Speed").
 */
function isPlainWord(word: string): boolean {
  if (word === '') return false;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    const alnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!alnum && !PLAIN_PUNCTUATION.includes(word.charAt(i))) return false;
  }
  return true;
}

const PLAIN_PUNCTUATION = '_@%+=:,./-';

/**
 * A word for a POSIX shell, quoted only when it needs it, so a command we suggest (a hint, a "Try:"
 * line) can be pasted as is: `dev` stays `dev`, `my prof` becomes `'my prof'`, and a single quote
 * inside is closed, escaped and reopened (`it's` -> `'it'\''s'`).
 */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Text that may quote what a user typed or a file holds (a profile name, a user name, a path), made
 * safe to print on a terminal as ONE line: a name read from a hostile config file or pasted from a
 * web page must not start a new line (a forged `awskeys:` line), move the cursor, recolour or
 * retitle the terminal, or flip the text's direction. Control characters are shown as visible
 * escapes (`\n`, `\x1b`, `\u202e`), so the reader sees what is really there; a run of text with no
 * space longer than MAX_RUN is cut in the middle with an ellipsis, which keeps a path's file name
 * and a name's start readable. No imports: part of the lean entry bundle.
 */

/**
 * The longest run of non-space characters shown whole. Long enough for every path awskeys names
 * under a normal home (the longest, a CLI cache file, is about 70 characters plus the home
 * directory), short enough that a pasted blob cannot fill the screen.
 */
export const MAX_RUN = 120;

/** C0 and C1 controls, DEL, and the Unicode format characters that reorder or hide text. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Every unsafe character as a visible escape, then every over-long run cut (see above). */
export function terminalSafe(text: string, maxRun = MAX_RUN): string {
  const visible = text.replace(UNSAFE, escapeChar);
  return visible.replace(/\S+/g, (run) => cutRun(run, maxRun));
}

function escapeChar(ch: string): string {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `run` itself, or its start and end around `…`, maxRun characters in all (code points, not halves of one). */
function cutRun(run: string, maxRun: number): string {
  const chars = [...run];
  if (chars.length <= maxRun) return run;
  const tail = Math.floor((maxRun - 1) / 3);
  const head = maxRun - 1 - tail;
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

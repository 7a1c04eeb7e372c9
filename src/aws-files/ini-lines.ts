/**
 * The one line classifier behind both the reader (ini-parse.ts) and the text editor (ini-edit.ts),
 * so what we edit is exactly what we read. The rules are botocore's (configparser.RawConfigParser,
 * Python 3, as botocore.configloader uses it; see docs/aws-files.md):
 * - a line ends at LF, CRLF or a lone CR (Python's universal newlines);
 * - a line whose first non-space character is '#' or ';' is a comment; there are no inline comments
 *   (`key = v # note` has the value `v # note`);
 * - a line indented deeper than the current option's line continues its value; after `key =` such
 *   lines are `sub = value` pairs (botocore's nested values); an indented `[x]` there is value text;
 * - a header is `[` ... the LAST `]` of the stripped line, its name not trimmed (`[ dev ]` is " dev ");
 * - an option splits at its first '=' or ':'; key names are case-insensitive.
 */

export type LineToken =
  | { kind: 'blank' }
  | { kind: 'comment' }
  | { kind: 'header'; name: string }
  /**
   * key: as written; name: lowercased (configparser's optionxform), what keys are compared by.
   * valueStart/valueEnd: where the value sits in the line text, so it can be replaced in place.
   */
  | { kind: 'key'; key: string; name: string; value: string; valueStart: number; valueEnd: number }
  /** parent: index of the `key =` line that owns this one. */
  | { kind: 'subkey'; parent: number; key: string; value: string }
  /** A further line of the parent key's value (botocore joins them with newlines). */
  | { kind: 'continuation'; parent: number; value: string }
  | { kind: 'invalid'; problem: string; hint: string };

export interface IniLine {
  /** The line without its ending. */
  text: string;
  /** '\n', '\r\n', a lone '\r', or '' for a last line without a newline. */
  eol: string;
  token: LineToken;
}

export interface ScannedIni {
  bom: boolean;
  lines: IniLine[];
}

const BOM = '\uFEFF';

export function scanIni(input: string): ScannedIni {
  const bom = input.startsWith(BOM);
  const text = bom ? input.slice(1) : input;
  const lines: IniLine[] = [];
  const state: ScanState = { inSection: false, owner: -1, ownerIndent: 0, ownerOpensSubkeys: false };
  // Most files have no CR at all: their lines end at the next LF, which indexOf finds natively.
  const findEnd = text.includes('\r') ? lineEnd : nextLf;
  let start = 0;
  while (start < text.length) {
    const end = findEnd(text, start);
    const lineText = text.slice(start, end);
    const eol = end === text.length ? '' : text.startsWith('\r\n', end) ? '\r\n' : text.charAt(end);
    start = end + eol.length;
    const token = classifyLine(lineText, state);
    if (token.kind === 'header') {
      state.inSection = true;
      state.owner = -1;
    } else if (token.kind === 'key') {
      state.owner = lines.length;
      state.ownerIndent = indentOf(lineText);
      state.ownerOpensSubkeys = token.value === '';
    }
    lines.push({ text: lineText, eol, token });
  }
  return { bom, lines };
}

/**
 * Where the line starting at `start` ends in a text without CR. Not a loop over the characters:
 * at every shell start such a loop ran hot enough for V8 to compile it with Maglev on Node >= 22,
 * a background compile that touched 30-odd pages (docs/env.md, "Speed").
 */
function nextLf(text: string, start: number): number {
  const end = text.indexOf('\n', start);
  return end === -1 ? text.length : end;
}

/** Where the line starting at `start` ends: its LF or CR, or the end of the text. */
function lineEnd(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return text.length;
}

/** configparser's state between lines: whether a section is open, and the option lines may continue. */
export interface ScanState {
  inSection: boolean;
  /** Index of the current option line, -1 after a header (a section cannot start with a continuation). */
  owner: number;
  /** Indentation of the owner's line: deeper lines continue its value. */
  ownerIndent: number;
  ownerOpensSubkeys: boolean;
}

/** The state of a line in the body of a section, right after its header. */
export const IN_SECTION: Readonly<ScanState> = { inSection: true, owner: -1, ownerIndent: 0, ownerOpensSubkeys: false };

/** Leading whitespace (configparser: the position of the first \\S). */
export function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

const HEADER_HINT = 'a section header looks like [profile NAME], alone on its line; fix or remove that line';

/**
 * Problems never quote the line: on a malformed line we cannot tell a key from a value, and the
 * value may be a secret (`aws_secret_access_key: ...`). The line number is enough to find it.
 */
export function classifyLine(line: string, state: Readonly<ScanState>): LineToken {
  const content = line.trim();
  if (content === '') return { kind: 'blank' };
  const first = content.charCodeAt(0);
  if (first === 35 || first === 59) return { kind: 'comment' };

  const indent = indentOf(line);
  if (state.owner !== -1 && indent > state.ownerIndent) {
    if (!state.ownerOpensSubkeys) return { kind: 'continuation', parent: state.owner, value: content };
    // botocore's _parse_nested splits each line at its first '='.
    const eq = content.indexOf('=');
    const colon = /^[^\s:=]+\s*:/.test(eq === -1 ? content : content.slice(0, eq));
    if (eq <= 0 || colon) {
      return {
        kind: 'invalid',
        problem: `expected an indented 'name = value' under a 'key =' line${colon ? ", found ':' instead of '='" : ''}`,
        hint: "indented lines after 'key =' must each be 'name = value'",
      };
    }
    return { kind: 'subkey', parent: state.owner, key: content.slice(0, eq).trim(), value: content.slice(eq + 1).trim() };
  }

  if (first === 91) {
    // configparser: \[(?P<header>.+)\] matched at the start, greedy: up to the LAST ']'.
    const close = content.lastIndexOf(']');
    const rest = content.slice(close + 1);
    if (close >= 2 && (rest === '' || /^\s+[#;]/.test(rest))) return { kind: 'header', name: content.slice(1, close) };
    return {
      kind: 'invalid',
      problem:
        close === 1
          ? 'empty section header'
          : close > 1
            ? "text after the ']' of a section header"
            : "section header has no closing ']'",
      hint: HEADER_HINT,
    };
  }

  const eq = firstSeparator(content);
  // botocore splits at the first ':' or '=', the JS SDK at the first '=': refuse what they read apart.
  const colon = eq > 0 && content.charAt(eq) === ':';
  if (eq <= 0 || colon) {
    return {
      kind: 'invalid',
      problem:
        eq === 0
          ? `'${content.charAt(0)}' without a key name before it`
          : `expected 'key = value', a [section] header or a comment${colon ? ", found ':' instead of '='" : ''}`,
      hint: colon
        ? "write 'key = value': the AWS SDK for JavaScript skips a 'key: value' line"
        : "each line must be '[section]', 'key = value', a comment starting with # or ;, or blank",
    };
  }
  if (!state.inSection) {
    return {
      kind: 'invalid',
      problem: "a 'key = value' line comes before any [section] header",
      hint: 'put the line under a [profile NAME] (config) or [NAME] (credentials) header',
    };
  }
  const key = content.slice(0, eq).trimEnd();
  const value = content.slice(eq + 1).trim();
  // Offsets in the original line: the value ends where the stripped line ends.
  const valueEnd = indent + content.length;
  return { kind: 'key', key, name: key.toLowerCase(), value, valueStart: valueEnd - value.length, valueEnd };
}

/**
 * The index of the first '=' or ':', or -1. Not `search(/[=:]/)`: this runs on every line of the
 * AWS files at every shell start, and V8 compiles a regular expression twice in each process, to
 * bytecode and then to machine code (docs/env.md, "Speed"); nor a loop, which ran hot enough to be
 * compiled again (see nextLf).
 */
function firstSeparator(content: string): number {
  const eq = content.indexOf('=');
  const colon = content.indexOf(':');
  return eq === -1 ? colon : colon === -1 ? eq : Math.min(eq, colon);
}

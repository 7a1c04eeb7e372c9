/**
 * The one line classifier behind both the reader (ini-parse.ts) and the text editor (ini-edit.ts),
 * so what we edit is exactly what we read. Rules follow the SDKs (protocol-reference.md §4.2):
 * '#' and ';' start a comment at the start of a line or after whitespace; `key =` with an empty
 * value opens indented `sub = value` lines; an indented line after a key with a value continues it.
 */

export type LineToken =
  | { kind: 'blank' }
  | { kind: 'comment' }
  | { kind: 'header'; name: string }
  /** valueStart/valueEnd: where the value sits in the line text, so it can be replaced in place. */
  | { kind: 'key'; key: string; value: string; valueStart: number; valueEnd: number }
  /** parent: index of the `key =` line that owns this one. */
  | { kind: 'subkey'; parent: number; key: string; value: string }
  | { kind: 'continuation'; parent: number }
  | { kind: 'invalid'; problem: string; hint: string };

export interface IniLine {
  /** The line without its ending. */
  text: string;
  /** '\n', '\r\n', or '' for a last line without a newline. */
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
  let inSection = false;
  // The key line that indented lines belong to, and whether it opened sub-keys (empty value).
  let owner = -1;
  let ownerOpensSubkeys = false;
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    const cr = nl !== -1 && end > start && text.charCodeAt(end - 1) === 13;
    const lineText = text.slice(start, cr ? end - 1 : end);
    const eol = nl === -1 ? '' : cr ? '\r\n' : '\n';
    start = nl === -1 ? text.length : nl + 1;

    const token = classifyLine(lineText, inSection, owner, ownerOpensSubkeys);
    if (token.kind === 'header') {
      inSection = true;
      owner = -1;
    } else if (token.kind === 'key') {
      owner = lines.length;
      ownerOpensSubkeys = token.value === '';
    }
    lines.push({ text: lineText, eol, token });
  }
  return { bom, lines };
}

/** The JS SDK's comment rule: `(^|\s)[;#]` to the end of the line is a comment. */
export function stripInlineComment(line: string): string {
  const at = line.search(COMMENT);
  return at === -1 ? line : line.slice(0, at);
}

const COMMENT = /(^|\s)[;#]/;
const SPACE = /\s/;
/** A key name followed by ':', botocore's (configparser's) other separator. */
const COLON_KEY = /^[^\s:=[\]]+\s*:/;

/**
 * Problems never quote the line: on a malformed line we cannot tell a key from a value, and the
 * value may be a secret (`aws_secret_access_key: ...`). The line number is enough to find it.
 */
function colonInstead(content: string, eq: number): string {
  if (eq === 0) return '';
  return COLON_KEY.test(eq === -1 ? content : content.slice(0, eq)) ? ", found ':' instead of '='" : '';
}

export function classifyLine(line: string, inSection: boolean, owner: number, ownerOpensSubkeys: boolean): LineToken {
  const trimmedStart = line.trimStart();
  if (trimmedStart === '') return { kind: 'blank' };
  const first = trimmedStart.charCodeAt(0);
  if (first === 35 || first === 59) return { kind: 'comment' };
  const content = stripInlineComment(line).trim();

  if (content.startsWith('[')) {
    const name = content.endsWith(']') ? content.slice(1, -1).trim() : '';
    if (name !== '') return { kind: 'header', name };
    return {
      kind: 'invalid',
      problem: content.endsWith(']')
        ? 'empty section header'
        : content.includes(']')
          ? "text after the ']' of a section header"
          : "section header has no closing ']'",
      hint: 'a section header looks like [profile NAME], alone on its line; fix or remove that line',
    };
  }

  const indented = trimmedStart.length !== line.length;
  if (indented && owner !== -1) {
    if (!ownerOpensSubkeys) return { kind: 'continuation', parent: owner };
    const eq = content.indexOf('=');
    const colon = colonInstead(content, eq);
    if (eq <= 0 || colon !== '') {
      return {
        kind: 'invalid',
        problem: `expected an indented 'name = value' under a 'key =' line${colon}`,
        hint: "indented lines after 'key =' must each be 'name = value'",
      };
    }
    return { kind: 'subkey', parent: owner, key: content.slice(0, eq).trim(), value: content.slice(eq + 1).trim() };
  }

  const eq = content.indexOf('=');
  // botocore splits at the first ':' or '=', the JS SDK at the first '=': refuse what they read apart.
  const colon = colonInstead(content, eq);
  if (eq <= 0 || colon !== '') {
    return {
      kind: 'invalid',
      problem:
        eq === 0
          ? `'=' without a key name before it`
          : `expected 'key = value', a [section] header or a comment${colon}`,
      hint:
        colon === ''
          ? "each line must be '[section]', 'key = value', a comment starting with # or ;, or blank"
          : "write 'key = value': the AWS SDK for JavaScript skips a 'key: value' line",
    };
  }
  if (!inSection) {
    return {
      kind: 'invalid',
      problem: "a 'key = value' line comes before any [section] header",
      hint: 'put the line under a [profile NAME] (config) or [NAME] (credentials) header',
    };
  }
  // Offsets in the original line: stripping the comment keeps the prefix, so positions carry over.
  const lead = line.length - trimmedStart.length;
  let valueStart = lead + eq + 1;
  while (valueStart < line.length && SPACE.test(line.charAt(valueStart))) valueStart++;
  const value = content.slice(eq + 1).trim();
  return {
    kind: 'key',
    key: content.slice(0, eq).trim(),
    value,
    valueStart,
    valueEnd: valueStart + value.length,
  };
}

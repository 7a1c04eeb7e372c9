import { UsageError } from '../errors.js';
import type { IniLine } from './ini-lines.js';
import { scanIni } from './ini-lines.js';
import { assertValidSectionName } from './sections.js';

/**
 * Pure text editing of the AWS files, in the manner of the AWS CLI's ConfigFileWriter: lines we do
 * not own stay byte for byte (comments, blank lines, order, other sections, unknown keys, indented
 * sub-keys, CRLF, a BOM, a missing final newline). See docs/aws-files.md.
 */
export type SectionUpdate = Record<string, string | null>;

/**
 * Sets, replaces (null: removes) keys in one section. A replaced value is swapped in place, so the
 * key's spacing and an inline comment survive. New keys go after the section's last key line; a
 * missing section is appended at the end after a blank line. With duplicate headers the last one is
 * edited (it is the one whose values win in the JS SDK), and a removed key is removed from every
 * copy so an older value cannot resurface.
 */
export function editSection(text: string, section: string, update: SectionUpdate): string {
  assertValidSectionName(section, 'section name');
  const entries = Object.entries(update);
  for (const [key, value] of entries) {
    assertValidKey(key);
    if (value !== null) assertValidValue(key, value);
  }
  const { bom, lines } = scanIni(text);
  const eol = lineEnding(lines);
  const ranges = sectionRanges(lines, section);
  const out: (string | undefined)[] = lines.map((l) => l.text + l.eol);
  const drop = (i: number): void => {
    out[i] = undefined;
    for (let j = i + 1; j < lines.length; j++) {
      const t = lines[j]?.token;
      if ((t?.kind === 'subkey' || t?.kind === 'continuation') && t.parent === i) out[j] = undefined;
      if (t?.kind === 'header') break;
    }
  };

  for (const [key, value] of entries) {
    if (value !== null) continue;
    for (const [from, to] of ranges) {
      for (let i = from + 1; i < to; i++) {
        const t = lines[i]?.token;
        if (t?.kind === 'key' && t.key === key) drop(i);
      }
    }
  }

  const target = ranges.at(-1);
  const added: string[] = [];
  for (const [key, value] of entries) {
    if (value === null) continue;
    const at = target ? lastKeyLine(lines, target, key) : -1;
    const line = lines[at];
    if (line?.token.kind !== 'key') {
      added.push(`${key} = ${value}`.trimEnd());
    } else if (line.token.value !== value) {
      drop(at);
      out[at] = replaceValue(line, value);
    }
  }

  let result: string;
  if (added.length === 0) {
    result = out.join('');
  } else if (target) {
    const anchor = lastContentLine(lines, target);
    if (lines[anchor]?.eol === '' && out[anchor] !== undefined) out[anchor] += eol;
    const block = added.map((l) => l + eol).join('');
    // Goes after the anchor even when the anchor itself was dropped: positions, not content.
    result = out.slice(0, anchor + 1).join('') + block + out.slice(anchor + 1).join('');
  } else {
    let base = out.join('');
    const last = lines.at(-1);
    if (last) {
      if (last.eol === '') base += eol;
      if (last.token.kind !== 'blank') base += eol;
    }
    result = base + [`[${section}]`, ...added].map((l) => l + eol).join('');
  }
  return (bom ? '\uFEFF' : '') + keepFinalNewlineStyle(lines, result, eol);
}

/** Removes every section with that header (duplicates included), and the blank lines after it. */
export function removeSection(text: string, section: string): string {
  assertValidSectionName(section, 'section name');
  const { bom, lines } = scanIni(text);
  const eol = lineEnding(lines);
  const ranges = sectionRanges(lines, section);
  if (ranges.length === 0) return text;
  const keep = lines.map(() => true);
  for (const range of ranges) {
    // Comments after the last key usually describe the next section: they stay.
    let end = lastContentLine(lines, range);
    while (end + 1 < range[1] && lines[end + 1]?.token.kind === 'blank') end++;
    for (let i = range[0]; i <= end; i++) keep[i] = false;
  }
  // Removing the last section must not leave the blank line that separated it.
  if (!keep.at(-1)) {
    for (let i = lines.length - 1; i >= 0 && (!keep[i] || lines[i]?.token.kind === 'blank'); i--) keep[i] = false;
  }
  const result = lines
    .filter((_, i) => keep[i])
    .map((l) => l.text + l.eol)
    .join('');
  return (bom ? '\uFEFF' : '') + keepFinalNewlineStyle(lines, result, eol);
}

type Range = readonly [from: number, to: number];

/** [header index, next header index or end) for each header named `section`, in file order. */
function sectionRanges(lines: IniLine[], section: string): Range[] {
  const ranges: Range[] = [];
  let open = -1;
  for (let i = 0; i <= lines.length; i++) {
    const t = lines[i]?.token;
    if (i === lines.length || t?.kind === 'header') {
      if (open !== -1) ranges.push([open, i]);
      open = t?.kind === 'header' && t.name === section ? i : -1;
    }
  }
  return ranges;
}

function lastKeyLine(lines: IniLine[], [from, to]: Range, key: string): number {
  for (let i = to - 1; i > from; i--) {
    const t = lines[i]?.token;
    if (t?.kind === 'key' && t.key === key) return i;
  }
  return -1;
}

/** The last line of a section that is not blank or a comment; the header when there is none. */
function lastContentLine(lines: IniLine[], [from, to]: Range): number {
  for (let i = to - 1; i > from; i--) {
    const kind = lines[i]?.token.kind;
    if (kind !== 'blank' && kind !== 'comment') return i;
  }
  return from;
}

function replaceValue(line: IniLine, value: string): string {
  const token = line.token;
  if (token.kind !== 'key') return line.text + line.eol;
  const before = line.text.slice(0, token.valueStart);
  let after = line.text.slice(token.valueEnd);
  // `key = # note` holds an empty value; a new value needs a space before the comment.
  if (value !== '' && /^[#;]/.test(after)) after = ` ${after}`;
  const text = before + value + after;
  return (value === '' && after.trim() === '' ? text.trimEnd() : text) + line.eol;
}

/** The file's own line ending (its first one), LF for a file that has none yet. */
function lineEnding(lines: IniLine[]): string {
  return lines.find((l) => l.eol !== '')?.eol ?? '\n';
}

/** A file that did not end with a newline still does not (we never add bytes the user left out). */
function keepFinalNewlineStyle(lines: IniLine[], result: string, eol: string): string {
  const last = lines.at(-1);
  if (last?.eol === '' && result.endsWith(eol)) return result.slice(0, -eol.length);
  return result;
}

function assertValidKey(key: string): void {
  let problem: string | undefined;
  if (key === '') problem = 'it is empty';
  else if (/[\r\n=]/.test(key)) problem = "it contains '=' or a line break";
  else if (key.trim() !== key) problem = 'it starts or ends with whitespace';
  else if (/^[[#;]/.test(key) || /\s[#;]/.test(key)) problem = "it would be read as a comment or a section header";
  if (problem !== undefined) throw new UsageError(`Invalid key name ${JSON.stringify(key)}: ${problem}.`);
}

function assertValidValue(key: string, value: string): void {
  // Messages name the key only: values may be secrets.
  let problem: string | undefined;
  if (/[\r\n]/.test(value)) problem = 'contains a line break';
  else if (value.trim() !== value) problem = 'starts or ends with whitespace, which every SDK strips';
  else if (/^[#;]/.test(value) || /\s[#;]/.test(value)) {
    problem = "has '#' or ';' at its start or after a space, where the JS SDK cuts it as a comment";
  }
  if (problem !== undefined) {
    throw new UsageError(`The value for ${key} ${problem}; it cannot be written to an AWS file.`);
  }
}

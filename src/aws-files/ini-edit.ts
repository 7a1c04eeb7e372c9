import { FileError, UsageError } from '../errors/cli-error.js';
import { classifyLine, IN_SECTION, indentOf } from './ini-lines.js';
import type { ModelLine, ModelToken } from './ini-model.js';
import { IniModel } from './ini-model.js';
import { assertValidSectionName } from './sections.js';

/**
 * Pure text editing of the AWS files, in the manner of the AWS CLI's ConfigFileWriter: lines we do
 * not own stay byte for byte (comments, blank lines, order, other sections, unknown keys, indented
 * sub-keys, CRLF, a BOM, a missing final newline). See docs/aws-files.md.
 */
export type SectionUpdate = Record<string, string | null>;

/** One change in editSections: set/replace/remove keys of a section, or remove the section. */
export type SectionEdit = { section: string; update: SectionUpdate } | { section: string; remove: true };

/**
 * Sets, replaces (null: removes) keys in one section. A replaced value is swapped in place, so the
 * key's spacing and an inline comment survive. New keys go after the section's last key line; a
 * missing section is appended at the end after a blank line. With duplicate headers the last one is
 * edited (it is the one whose values win in the JS SDK), and a removed key is removed from every
 * copy so an older value cannot resurface.
 */
export function editSection(text: string, section: string, update: SectionUpdate): string {
  return editSections(text, [{ section, update }]);
}

/** Removes every section with that header (duplicates included), and the blank lines after it. */
export function removeSection(text: string, section: string): string {
  return editSections(text, [{ section, remove: true }]);
}

/**
 * Many edits in one pass: the same result as applying editSection/removeSection one after the
 * other, but the file is scanned once and each edit costs only the size of its own section (3,000
 * new profiles: milliseconds, where one editSection per profile rescans the file 3,000 times).
 * Everything is validated before anything is changed.
 */
export function editSections(text: string, edits: readonly SectionEdit[]): string {
  for (const edit of edits) {
    assertValidSectionName(edit.section, 'section name');
    if ('update' in edit) {
      for (const [key, value] of Object.entries(edit.update)) {
        assertValidKey(key);
        if (value !== null) assertValidValue(key, value);
      }
    }
  }
  if (edits.length === 0) return text;
  const doc = new IniModel(text);
  for (const edit of edits) {
    if ('update' in edit) applyUpdate(doc, edit.section, edit.update);
    else applyRemove(doc, edit.section);
  }
  return doc.toString();
}

function applyUpdate(doc: IniModel, section: string, update: SectionUpdate): void {
  // A key removed from a section would come back from [DEFAULT] (configparser adds its keys to every
  // section): write it as an explicit empty value instead. botocore reads `aws_session_token =` as
  // no token (docs/decisions.md).
  const headers = doc.sections(section);
  const willExist = headers.length > 0 || Object.values(update).some((v) => v !== null);
  const defaults = willExist ? defaultKeys(doc) : new Set<string>();
  const entries = Object.entries(update).map(([key, value]): [string, string | null] =>
    value === null && defaults.has(key.toLowerCase()) ? [key, ''] : [key, value],
  );
  const target = headers.at(-1);
  const noFinalNewline = doc.tail?.eol === '';
  const eol = doc.eol;

  // Where new keys go and which lines are replaced are decided on the section as it is now, before
  // removals: a new key lands where the removed last key was.
  const added: string[] = [];
  const replaced: [ModelLine, string][] = [];
  for (const [key, value] of entries) {
    if (value === null) continue;
    const line = target ? lastKeyLine(doc, target, key) : undefined;
    if (line?.token.kind !== 'key') added.push(`${key} = ${value}`.trimEnd());
    // A value with continuation or sub-key lines is more than its first line: replaced whole.
    else if (line.token.value !== value || ownsLines(line)) replaced.push([line, value]);
  }
  if (added.length > 0) {
    if (target) {
      let at = lastContentLine(doc, target);
      assertNextHeaderNotIndented(doc, at);
      if (at.eol === '') at.eol = eol;
      for (const text of added) at = doc.insertAfter(at, text, eol, keyToken(text));
    } else {
      const last = doc.tail;
      if (last) {
        if (last.eol === '') last.eol = eol;
        if (last.token.kind !== 'blank') doc.append('', eol, { kind: 'blank' });
      }
      doc.append(`[${section}]`, eol, { kind: 'header', name: section });
      for (const text of added) doc.append(text, eol, keyToken(text));
    }
  }

  for (const [key, value] of entries) {
    if (value !== null) continue;
    for (const header of headers) {
      for (const line of doc.body(header)) if (isKey(line, key)) drop(doc, line);
    }
  }
  for (const [line, value] of replaced) {
    dropOwned(doc, line);
    line.text = replaceValue(line, value);
    line.token = keyToken(line.text);
  }
  keepFinalNewlineStyle(doc, noFinalNewline);
}

function applyRemove(doc: IniModel, section: string): void {
  const headers = [...doc.sections(section)];
  if (headers.length === 0) return;
  const oldTail = doc.tail;
  const noFinalNewline = oldTail?.eol === '';
  let removedTail = false;
  for (const header of headers) {
    // Comments after the last key usually describe the next section: they stay.
    let end = lastContentLine(doc, header);
    while (end.next?.token.kind === 'blank') end = end.next;
    assertRemovalKeepsNextHeader(doc, header, end);
    for (let line: ModelLine | undefined = header; line; ) {
      const next: ModelLine | undefined = line.next;
      if (line === oldTail) removedTail = true;
      doc.remove(line);
      if (line === end) break;
      line = next;
    }
  }
  // Removing the last section must not leave the blank line that separated it.
  if (removedTail) while (doc.tail?.token.kind === 'blank') doc.remove(doc.tail);
  keepFinalNewlineStyle(doc, noFinalNewline);
}

/**
 * Removing lines between a key and an indented header would make botocore read that header as a
 * further line of the key's value (and lose its section). Refused.
 */
function assertRemovalKeepsNextHeader(doc: IniModel, first: ModelLine, last: ModelLine): void {
  const next = skipNotes(last.next, 'next');
  if (next?.token.kind !== 'header') return;
  const before = skipNotes(first.prev, 'prev');
  const t = before?.token;
  const owner = t?.kind === 'key' ? before : t?.kind === 'subkey' || t?.kind === 'continuation' ? t.parent : undefined;
  if (owner && indentOf(next.text) > indentOf(owner.text)) {
    throw new FileError(`line ${doc.lineNumber(next)}: the [section] header is indented, so botocore would read it as part of the key before the removed section.`, {
      hint: 'remove the spaces before that header and run again',
    });
  }
}

function skipNotes(from: ModelLine | undefined, way: 'next' | 'prev'): ModelLine | undefined {
  let line = from;
  while (line && (line.token.kind === 'blank' || line.token.kind === 'comment')) line = line[way];
  return line;
}

/** The (lowercased) key names of every [DEFAULT] section. */
function defaultKeys(doc: IniModel): Set<string> {
  const keys = new Set<string>();
  for (const header of doc.sections('DEFAULT')) {
    for (const line of doc.body(header)) if (line.token.kind === 'key') keys.add(line.token.name);
  }
  return keys;
}

/** A key line and its own sub-key or continuation lines. */
function drop(doc: IniModel, line: ModelLine): void {
  dropOwned(doc, line);
  doc.remove(line);
}

function dropOwned(doc: IniModel, owner: ModelLine): void {
  for (let line = owner.next; line && line.token.kind !== 'header'; ) {
    const next = line.next;
    const t = line.token;
    if ((t.kind === 'subkey' || t.kind === 'continuation') && t.parent === owner) doc.remove(line);
    line = next;
  }
}

function ownsLines(owner: ModelLine): boolean {
  let line = owner.next;
  while (line && (line.token.kind === 'blank' || line.token.kind === 'comment')) line = line.next;
  const t = line?.token;
  return (t?.kind === 'subkey' || t?.kind === 'continuation') && t.parent === owner;
}

/** Key names compare as botocore compares them: lowercased (`AWS_SESSION_TOKEN` is aws_session_token). */
function isKey(line: ModelLine, key: string): boolean {
  return line.token.kind === 'key' && line.token.name === key.toLowerCase();
}

function lastKeyLine(doc: IniModel, header: ModelLine, key: string): ModelLine | undefined {
  let found: ModelLine | undefined;
  for (const line of doc.body(header)) if (isKey(line, key)) found = line;
  return found;
}

/** The last line of a section that is not blank or a comment; the header when there is none. */
function lastContentLine(doc: IniModel, header: ModelLine): ModelLine {
  let found = header;
  for (const line of doc.body(header)) if (line.token.kind !== 'blank' && line.token.kind !== 'comment') found = line;
  return found;
}

/** The token scanIni gives a key line we wrote (`key = value`, or a value replaced in place). */
function keyToken(text: string): ModelToken {
  const token = classifyLine(text, IN_SECTION);
  // assertValidKey/assertValidValue make this unreachable; a line that reads differently is our bug.
  if (token.kind !== 'key') throw new Error('Internal error: an edited line does not read back as a key.');
  return token;
}

/**
 * The whole value is replaced, to the end of the line: botocore has no inline comments, so in
 * `key = Old # 2024` the value is `Old # 2024`, and keeping ` # 2024` would glue it to the new one.
 */
function replaceValue(line: ModelLine, value: string): string {
  const token = line.token;
  if (token.kind !== 'key') return line.text;
  const before = line.text.slice(0, token.valueStart);
  if (value === '') return before.trimEnd();
  return before + (token.value === '' && /[=:]$/.test(before) ? ' ' : '') + value + line.text.slice(token.valueEnd);
}

/**
 * A key line we add after `at` is not indented; an indented header after it would then be read by
 * botocore as a further line of that key's value, and its section would vanish. Refused.
 */
function assertNextHeaderNotIndented(doc: IniModel, at: ModelLine): void {
  let line = at.next;
  while (line && (line.token.kind === 'blank' || line.token.kind === 'comment')) line = line.next;
  if (line?.token.kind !== 'header' || indentOf(line.text) === 0) return;
  throw new FileError(`line ${doc.lineNumber(line)}: the [section] header is indented, so botocore would read it as part of a key added before it.`, {
    hint: 'remove the spaces before that header and run again',
  });
}

/** A file that did not end with a newline still does not (we never add bytes the user left out). */
function keepFinalNewlineStyle(doc: IniModel, noFinalNewline: boolean): void {
  if (!noFinalNewline || !doc.tail) return;
  doc.tail.eol = '';
  // An empty last line without an ending is no line at all (the text just ends after the one before).
  if (doc.tail.text === '') doc.remove(doc.tail);
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
  // '#' and ';' are allowed: botocore has no inline comments, so `k = a ; b` is the value `a ; b`
  // (what restoring a value read from the file needs). Values from AWS never contain them.
  if (problem !== undefined) {
    throw new UsageError(`The value for ${key} ${problem}; it cannot be written to an AWS file.`);
  }
}

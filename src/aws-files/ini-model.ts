import type { LineToken } from './ini-lines.js';
import { scanIni } from './ini-lines.js';

/**
 * A scanned file as a doubly linked list of lines, with an index of its headers by name, so that
 * many section edits cost one scan plus the size of the sections they touch (editSections), not
 * one scan of the whole file per edit. Joining the lines gives the text back byte for byte.
 */
export type ModelToken =
  | Exclude<LineToken, { kind: 'subkey' } | { kind: 'continuation' }>
  | { kind: 'subkey'; parent: ModelLine; key: string; value: string }
  | { kind: 'continuation'; parent: ModelLine };

export interface ModelLine {
  text: string;
  eol: string;
  token: ModelToken;
  prev: ModelLine | undefined;
  next: ModelLine | undefined;
}

export class IniModel {
  head: ModelLine | undefined;
  tail: ModelLine | undefined;
  readonly bom: boolean;
  /** Header lines by section name, in file order. */
  private readonly headers = new Map<string, ModelLine[]>();

  constructor(text: string) {
    const { bom, lines } = scanIni(text);
    this.bom = bom;
    const made: ModelLine[] = [];
    for (const line of lines) {
      const t = line.token;
      const parent = t.kind === 'subkey' || t.kind === 'continuation' ? made[t.parent] : undefined;
      // scanIni's parent index always points at an earlier key line.
      const token: ModelToken = parent && (t.kind === 'subkey' || t.kind === 'continuation') ? { ...t, parent } : (t as ModelToken);
      made.push(this.append(line.text, line.eol, token));
    }
  }

  /** The file's own line ending (its first one, as it is now), LF for a file that has none yet. */
  get eol(): string {
    for (let line = this.head; line; line = line.next) if (line.eol !== '') return line.eol;
    return '\n';
  }

  /** The header lines named `section`, in file order (empty when there is none). */
  sections(section: string): readonly ModelLine[] {
    return this.headers.get(section) ?? [];
  }

  /** The lines after a header, up to the next header. */
  *body(header: ModelLine): Generator<ModelLine> {
    for (let line = header.next; line && line.token.kind !== 'header'; ) {
      const next = line.next;
      yield line;
      line = next;
    }
  }

  append(text: string, eol: string, token: ModelToken): ModelLine {
    return this.insertAfter(this.tail, text, eol, token);
  }

  /** Inserts after `at` (at the start when undefined). */
  insertAfter(at: ModelLine | undefined, text: string, eol: string, token: ModelToken): ModelLine {
    const next = at ? at.next : this.head;
    const line: ModelLine = { text, eol, token, prev: at, next };
    if (at) at.next = line;
    else this.head = line;
    if (next) next.prev = line;
    else this.tail = line;
    if (token.kind === 'header') this.indexHeader(line, token.name);
    return line;
  }

  remove(line: ModelLine): void {
    if (line.prev) line.prev.next = line.next;
    else this.head = line.next;
    if (line.next) line.next.prev = line.prev;
    else this.tail = line.prev;
    if (line.token.kind === 'header') {
      const list = this.headers.get(line.token.name)?.filter((h) => h !== line) ?? [];
      if (list.length === 0) this.headers.delete(line.token.name);
      else this.headers.set(line.token.name, list);
    }
  }

  /** 1-based, for messages (a walk from the start: only on the way to an error). */
  lineNumber(target: ModelLine): number {
    let n = 1;
    for (let line = this.head; line && line !== target; line = line.next) n++;
    return n;
  }

  toString(): string {
    const parts: string[] = this.bom ? ['\uFEFF'] : [];
    for (let line = this.head; line; line = line.next) parts.push(line.text, line.eol);
    return parts.join('');
  }

  private indexHeader(line: ModelLine, name: string): void {
    const list = this.headers.get(name);
    if (!list) {
      this.headers.set(name, [line]);
      return;
    }
    // Headers are only ever added at the end or while loading, so file order is push order.
    list.push(line);
  }
}

import { FileError } from '../errors.js';
import { scanIni } from './ini-lines.js';

/**
 * Our own reader for the AWS files. Not `ini`: it re-nests dotted section names, so
 * `[profile acme.prod]` would not come back as itself. Kept free of heavy imports: it runs on every
 * `awskeys env`.
 */
export interface IniSection {
  /** The text inside [ ], trimmed. */
  name: string;
  /** 1-based line of the header. */
  line: number;
  /** Sub-keys (indented lines after `key =`) are stored as 'key.sub', as the JS SDK does. */
  values: Record<string, string>;
}

export interface IniDocument {
  sections: IniSection[];
}

/**
 * Throws FileError "<path> line N: <what is wrong>" for a line that is not a header, comment,
 * blank, `key = value`, or an indented continuation/sub-key (`key: value` included); for a key
 * before any section; for an unterminated header. The message never quotes the line: it may hold a
 * secret. Duplicate sections are returned as they appear (see profiles.ts for merging);
 * a repeated key keeps its last value.
 */
export function parseIni(text: string, filePath: string): IniDocument {
  const { lines } = scanIni(text);
  const sections: IniSection[] = [];
  let current: IniSection | undefined;
  for (const [i, { token }] of lines.entries()) {
    switch (token.kind) {
      case 'header':
        current = { name: token.name, line: i + 1, values: {} };
        sections.push(current);
        break;
      case 'key':
        if (current) setValue(current.values, token.key, token.value);
        break;
      case 'subkey': {
        const parent = lines[token.parent]?.token;
        if (current && parent?.kind === 'key') setValue(current.values, `${parent.key}.${token.key}`, token.value);
        break;
      }
      case 'invalid':
        throw new FileError(`${filePath} line ${i + 1}: ${token.problem}.`, { hint: token.hint });
      case 'blank':
      case 'comment':
      case 'continuation':
        break;
    }
  }
  return { sections };
}

/** Defines rather than assigns, so a key named `__proto__` is an own key, not a new prototype. */
export function setValue(values: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(values, key, { value, enumerable: true, writable: true, configurable: true });
}

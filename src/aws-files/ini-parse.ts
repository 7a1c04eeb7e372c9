import { FileError } from '../errors/cli-error.js';
import { scanIni } from './ini-lines.js';

/**
 * Our own reader for the AWS files. Not `ini`: it re-nests dotted section names, so
 * `[profile acme.prod]` would not come back as itself. Kept free of heavy imports: it runs on every
 * `awskeys env`.
 */
export interface IniSection {
  /** The text between '[' and the last ']', as botocore reads it (not trimmed: `[ dev ]` is " dev "). */
  name: string;
  /** 1-based line of the header. */
  line: number;
  /**
   * As botocore reads them: keys lowercased, a value with its continuation lines joined by '\n',
   * and the [DEFAULT] section's keys added where the section has none of its own. Sub-keys
   * (indented lines after `key =`) are stored as 'key.sub', as the JS SDK does.
   */
  values: Record<string, string>;
}

export interface IniDocument {
  sections: IniSection[];
  /**
   * The keys of [DEFAULT] (configparser's defaults section; not a profile), already in every
   * section's values. Absent when the file has none.
   */
  defaults?: Record<string, string>;
}

/**
 * Throws FileError "<path> line N: <what is wrong>" for a line that is not a header, comment,
 * blank, `key = value`, or an indented continuation/sub-key (`key: value` included); for a key
 * before any section; for an unterminated header; and, as botocore does, for a repeated section or
 * a key repeated in a section (in any case). The message never quotes a malformed line: it may hold
 * a secret.
 */
export function parseIni(text: string, filePath: string): IniDocument {
  const { lines } = scanIni(text);
  const sections: IniSection[] = [];
  const defaults: IniSection = { name: 'DEFAULT', line: 0, values: {} };
  const seenSections = new Map<string, number>();
  // Key -> line, per section; [DEFAULT] may repeat, but not its keys.
  const seenKeys = new Map<IniSection, Map<string, number>>();
  let current: IniSection | undefined;
  // The value lines of the current key, joined when the next key, header or the end comes.
  let open: { section: IniSection; key: string; parts: string[] } | undefined;
  const close = (): void => {
    if (open && open.parts.length > 1) setValue(open.section.values, open.key, open.parts.join('\n').trimEnd());
    open = undefined;
  };
  const fail = (i: number, problem: string, hint: string): never => {
    throw new FileError(`${filePath} line ${i + 1}: ${problem}.`, { hint });
  };
  for (const [i, { token }] of lines.entries()) {
    switch (token.kind) {
      case 'header': {
        close();
        if (token.name === 'DEFAULT') {
          current = defaults;
          break;
        }
        const first = seenSections.get(token.name);
        if (first !== undefined) {
          fail(i, `the section [${token.name}] repeats the one on line ${first}`, 'botocore and the AWS CLI refuse a file with a repeated section: merge the two into one');
        }
        seenSections.set(token.name, i + 1);
        current = { name: token.name, line: i + 1, values: {} };
        sections.push(current);
        break;
      }
      case 'key': {
        close();
        if (!current) break;
        const keys = seenKeys.get(current) ?? new Map<string, number>();
        seenKeys.set(current, keys);
        const first = keys.get(token.name);
        if (first !== undefined) {
          fail(i, `the key ${token.name} repeats the one on line ${first} in [${current.name}]`, 'botocore and the AWS CLI refuse a file with a repeated key (in any case): keep one of the two lines');
        }
        keys.set(token.name, i + 1);
        setValue(current.values, token.name, token.value);
        open = { section: current, key: token.name, parts: [token.value] };
        break;
      }
      case 'subkey': {
        const parent = lines[token.parent]?.token;
        if (current && parent?.kind === 'key') setValue(current.values, `${parent.name}.${token.key}`, token.value);
        open = undefined;
        break;
      }
      case 'continuation':
        open?.parts.push(token.value);
        break;
      case 'blank':
        // configparser keeps blank lines inside a value that continues after them.
        open?.parts.push('');
        break;
      case 'invalid':
        fail(i, token.problem, token.hint);
        break;
      case 'comment':
        break;
    }
  }
  close();
  for (const section of sections) addDefaults(section.values, defaults.values);
  return Object.keys(defaults.values).length === 0 ? { sections } : { sections, defaults: defaults.values };
}

/** configparser's defaults: a section's own key (and its sub-keys) wins over the same [DEFAULT] key. */
function addDefaults(values: Record<string, string>, defaults: Record<string, string>): void {
  const own = new Set(Object.keys(values).map((k) => k.split('.')[0]));
  for (const [key, value] of Object.entries(defaults)) {
    if (!own.has(key.split('.')[0])) setValue(values, key, value);
  }
}

/** Defines rather than assigns, so a key named `__proto__` is an own key, not a new prototype. */
export function setValue(values: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(values, key, { value, enumerable: true, writable: true, configurable: true });
}

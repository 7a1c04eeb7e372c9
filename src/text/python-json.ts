/**
 * Python's json.dumps(value, sort_keys=True) for the flat values botocore and the AWS CLI hash into
 * cache file names (strings, numbers, booleans, null, lists, objects), with its ASCII escaping.
 * `compact` gives separators=(",", ":"); otherwise Python's defaults ", " and ": ". `sortKeys: false`
 * keeps the object's own key order (json.dumps without sort_keys, as botocore's JSONFileCache writes).
 */
export function pythonJsonDumps(value: unknown, options: { compact?: boolean; sortKeys?: boolean } = {}): string {
  const [item, pair] = options.compact ? [',', ':'] : [', ', ': '];
  const dump = (v: unknown): string => {
    if (v === null || v === undefined) return 'null';
    // ensure_ascii: every character outside ASCII (and DEL) as \uXXXX, astral ones as surrogate pairs.
    if (typeof v === 'string') return asciiEscaped(JSON.stringify(v));
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (Array.isArray(v)) return `[${v.map(dump).join(item)}]`;
    const entries = Object.entries(v as Record<string, unknown>);
    if (options.sortKeys !== false) entries.sort(([a], [b]) => byCodePoint(a, b));
    return `{${entries.map(([k, e]) => `${dump(k)}${pair}${dump(e)}`).join(item)}}`;
  };
  return dump(value);
}

/**
 * Every UTF-16 unit from DEL up as \uXXXX. A loop, not `replace(/[\u007f-\uffff]/g, ...)`: cache
 * hits hash such a dump, and V8 compiles a regular expression twice in each process (docs/env.md,
 * "Speed").
 */
function asciiEscaped(json: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c < 0x7f) continue;
    out += `${json.slice(from, i)}\\u${c.toString(16).padStart(4, '0')}`;
    from = i + 1;
  }
  return from === 0 ? json : out + json.slice(from);
}

/**
 * Python orders str by code point; JavaScript's < by UTF-16 unit, which puts U+10000 and up (two
 * units from 0xD800) before U+E000-U+FFFF.
 */
function byCodePoint(a: string, b: string): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

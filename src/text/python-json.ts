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
    if (typeof v === 'string') return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (Array.isArray(v)) return `[${v.map(dump).join(item)}]`;
    const entries = Object.entries(v as Record<string, unknown>);
    if (options.sortKeys !== false) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, e]) => `${dump(k)}${pair}${dump(e)}`).join(item)}}`;
  };
  return dump(value);
}

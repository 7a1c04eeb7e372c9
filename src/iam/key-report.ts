import { ageInDays, type AccessKeyInfo } from './access-keys.js';

/**
 * How keys are shown: the list-keys table and JSON, and the one-line description used when the
 * two-key quota is full. Pure functions of the keys and "now", tested with exact strings.
 */

export function renderKeyTable(keys: readonly AccessKeyInfo[], now: Date): string {
  const rows = keys.map((k) => [k.accessKeyId, k.status, isoDate(k.createdAt), days(ageInDays(k.createdAt, now)), lastUse(k)]);
  const header = ['ACCESS KEY ID', 'STATUS', 'CREATED', 'AGE', 'LAST USED'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [header, ...rows].map((r) => `${line(r)}\n`).join('');
}

export interface AccessKeyJson {
  accessKeyId: string;
  userName: string;
  status: string;
  createDate: string;
  ageDays: number;
  lastUsed: { date: string; service: string; region: string } | null;
}

export function keysToJson(keys: readonly AccessKeyInfo[], now: Date): AccessKeyJson[] {
  return keys.map((k) => ({
    accessKeyId: k.accessKeyId,
    userName: k.userName,
    status: k.status,
    createDate: k.createdAt.toISOString(),
    ageDays: ageInDays(k.createdAt, now),
    lastUsed: k.lastUsed
      ? { date: k.lastUsed.at.toISOString(), service: k.lastUsed.service, region: k.lastUsed.region }
      : null,
  }));
}

/** "AKIA...  Inactive  created 2024-01-02 (120 days ago)  last used 2024-05-01 (sts, us-east-1)" */
export function describeKey(key: AccessKeyInfo, now: Date): string {
  const created = `created ${isoDate(key.createdAt)} (${ago(key.createdAt, now)})`;
  const used = key.lastUsed
    ? `last used ${isoDate(key.lastUsed.at)} (${ago(key.lastUsed.at, now)}, ${key.lastUsed.service}, ${key.lastUsed.region})`
    : 'never used';
  return `${key.accessKeyId}  ${key.status.padEnd(8)}  ${created}  ${used}`;
}

function lastUse(k: AccessKeyInfo): string {
  return k.lastUsed ? `${isoDate(k.lastUsed.at)} ${k.lastUsed.service} ${k.lastUsed.region}` : 'never';
}

/** "today", "1 day ago", "12 days ago". */
export function ago(when: Date, now: Date): string {
  const n = ageInDays(when, now);
  return n === 0 ? 'today' : `${days(n)} ago`;
}

export function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

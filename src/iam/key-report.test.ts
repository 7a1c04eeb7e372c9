import { describe, expect, it } from 'vitest';
import type { AccessKeyInfo } from './access-keys.js';
import { ago, describeKey, keysToJson, renderKeyTable } from './key-report.js';

const now = new Date('2025-06-30T12:00:00Z');
const oldKey: AccessKeyInfo = {
  accessKeyId: 'AKIAOLDOLDOLDOLDOLD1',
  userName: 'alice',
  status: 'Inactive',
  createdAt: new Date('2025-01-01T08:00:00Z'),
  lastUsed: { at: new Date('2025-06-29T23:59:00Z'), service: 'sts', region: 'us-east-1' },
};
const newKey: AccessKeyInfo = {
  accessKeyId: 'AKIANEWNEWNEWNEWNEW2',
  userName: 'alice',
  status: 'Active',
  createdAt: new Date('2025-06-29T12:00:00Z'),
  lastUsed: undefined,
};

describe('renderKeyTable (list-keys on stdout)', () => {
  it('aligns id, status, created date, age in days and last use (or "never")', () => {
    expect(renderKeyTable([oldKey, newKey], now)).toBe(
      [
        'ACCESS KEY ID         STATUS    CREATED     AGE       LAST USED',
        'AKIAOLDOLDOLDOLDOLD1  Inactive  2025-01-01  180 days  2025-06-29 sts us-east-1',
        'AKIANEWNEWNEWNEWNEW2  Active    2025-06-29  1 day     never',
        '',
      ].join('\n'),
    );
  });
});

describe('keysToJson (list-keys --json)', () => {
  it('gives ISO dates, the age in days, and null for a key never used', () => {
    expect(keysToJson([oldKey, newKey], now)).toEqual([
      {
        accessKeyId: 'AKIAOLDOLDOLDOLDOLD1',
        userName: 'alice',
        status: 'Inactive',
        createDate: '2025-01-01T08:00:00.000Z',
        ageDays: 180,
        lastUsed: { date: '2025-06-29T23:59:00.000Z', service: 'sts', region: 'us-east-1' },
      },
      {
        accessKeyId: 'AKIANEWNEWNEWNEWNEW2',
        userName: 'alice',
        status: 'Active',
        createDate: '2025-06-29T12:00:00.000Z',
        ageDays: 1,
        lastUsed: null,
      },
    ]);
  });
});

describe('describeKey (the quota explanation on stderr)', () => {
  it.each([
    [oldKey, 'AKIAOLDOLDOLDOLDOLD1  Inactive  created 2025-01-01 (180 days ago)  last used 2025-06-29 (today, sts, us-east-1)'],
    [newKey, 'AKIANEWNEWNEWNEWNEW2  Active    created 2025-06-29 (1 day ago)  never used'],
  ])('%#: %s', (key, line) => {
    expect(describeKey(key, now)).toBe(line);
  });
});

describe('ago', () => {
  it.each([
    ['2025-06-30T00:00:00Z', 'today'],
    ['2025-06-29T11:59:59Z', '1 day ago'],
    ['2025-06-01T12:00:00Z', '29 days ago'],
  ])('%s is %s', (when, text) => {
    expect(ago(new Date(when), now)).toBe(text);
  });
});

import { describe, expect, it } from 'vitest';
import type { KeyLastUse } from '../iam/access-keys.js';
import { entryAttention, unusedDays } from './attention.js';
import type { AuditEntry } from './audit.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const DAY = 86_400_000;
const LIMITS = { maxAgeDays: 90, maxUnusedDays: 45 };
const ID = 'AKIAPPPPPPPPPPPPPPPP';
const DEACTIVATE = `deactivate it if nothing needs it: awskeys iam deactivate-key --user u --access-key-id ${ID}`;

function daysAgo(n: number): Date {
  return new Date(NOW.getTime() - n * DAY);
}

/** A static key that IAM described: created `age` days ago, last used `used` days ago (undefined: never). */
function key(options: { status?: string; age: number; used?: number | undefined; name?: string; user?: string }): Extract<AuditEntry, { kind: 'static' }> {
  const lastUsed: KeyLastUse | undefined = options.used === undefined ? undefined : { at: daysAgo(options.used), service: 's3', region: 'eu-west-1' };
  return {
    name: options.name ?? 'p',
    files: ['credentials'],
    kind: 'static',
    accessKeyId: ID,
    facts: { iam: 'ok', userName: options.user ?? 'u', status: options.status ?? 'Active', createdAt: daysAgo(options.age), lastUsed, lastUseIncludesAudit: false },
  };
}

const codes = (e: AuditEntry) => entryAttention(e, NOW, LIMITS).map((a) => a.code);

describe('entryAttention: key age (--max-age)', () => {
  it('an Active key up to the maximum age is fine; one day more is not', () => {
    expect(entryAttention(key({ age: 90, used: 1 }), NOW, LIMITS)).toEqual([]);
    expect(entryAttention(key({ age: 91, used: 1 }), NOW, LIMITS)).toEqual([
      { code: 'key-old', detail: `access key ${ID} is 91 days old (more than 90 days); rotate it: awskeys iam rotate --profile p` },
    ]);
  });

  it('the rotate hint quotes a profile name the shell would split', () => {
    expect(entryAttention(key({ age: 91, used: 1, name: "it's mine" }), NOW, LIMITS)[0]?.detail).toBe(
      `access key ${ID} is 91 days old (more than 90 days); rotate it: awskeys iam rotate --profile 'it'\\''s mine'`,
    );
  });
});

describe('entryAttention: unused keys (--max-unused, CIS 1.12: 45 days or more)', () => {
  it('a key last used 44 days ago is fine; 45 days is unused', () => {
    expect(entryAttention(key({ age: 60, used: 44 }), NOW, LIMITS)).toEqual([]);
    expect(entryAttention(key({ age: 60, used: 45 }), NOW, LIMITS)).toEqual([
      { code: 'key-unused', detail: `access key ${ID} was last used 45 days ago, on 2025-04-17 (--max-unused 45); ${DEACTIVATE}` },
    ]);
  });

  it('a key never used counts from its creation: 44 days is fine, 45 is not', () => {
    expect(entryAttention(key({ age: 44 }), NOW, LIMITS)).toEqual([]);
    expect(entryAttention(key({ age: 45 }), NOW, LIMITS)).toEqual([
      { code: 'key-never-used', detail: `access key ${ID} was never used in the 45 days since its creation (--max-unused 45); ${DEACTIVATE}` },
    ]);
  });

  it('follows --max-unused', () => {
    expect(codes(key({ age: 60, used: 10 }))).toEqual([]);
    expect(entryAttention(key({ age: 60, used: 10 }), NOW, { ...LIMITS, maxUnusedDays: 10 })).toEqual([
      { code: 'key-unused', detail: `access key ${ID} was last used 10 days ago, on 2025-05-22 (--max-unused 10); ${DEACTIVATE}` },
    ]);
  });

  it('an old key that is also unused has both reasons, age first', () => {
    expect(codes(key({ age: 400 }))).toEqual(['key-old', 'key-never-used']);
    expect(codes(key({ age: 400, used: 100 }))).toEqual(['key-old', 'key-unused']);
  });

  it('an Inactive key is already disabled: it is Inactive, not unused', () => {
    expect(entryAttention(key({ status: 'Inactive', age: 60 }), NOW, LIMITS)).toEqual([
      { code: 'key-inactive', detail: `access key ${ID} is Inactive, so nothing can sign with it` },
    ]);
    expect(codes(key({ status: 'Inactive', age: 100, used: 99 }))).toEqual(['key-inactive', 'key-old']);
  });

  it('the deactivate hint quotes a user name the shell would split', () => {
    expect(entryAttention(key({ age: 50, user: 'a b' }), NOW, LIMITS)[0]?.detail).toMatch(/--user 'a b' --access-key-id /);
  });
});

describe('entryAttention: what the files alone tell, and AWS refusals', () => {
  const base = { name: 'p', files: ['config' as const] };

  it.each<[AuditEntry, unknown]>([
    [
      { ...base, kind: 'static', accessKeyId: ID, facts: { iam: 'offline' }, problem: 'only half a key pair: aws_secret_access_key is missing or empty' },
      [{ code: 'key-incomplete', detail: 'only half a key pair: aws_secret_access_key is missing or empty' }],
    ],
    [
      { ...base, kind: 'static', accessKeyId: ID, facts: { iam: 'rejected', reason: 'InvalidClientTokenId' } },
      [{ code: 'key-rejected', detail: `AWS rejected access key ${ID} (InvalidClientTokenId); it may have been deleted` }],
    ],
    [{ ...base, kind: 'static', accessKeyId: ID, facts: { iam: 'unknown', reason: 'AccessDenied' } }, []],
    [{ ...base, kind: 'static', accessKeyId: ID, facts: { iam: 'offline' } }, []],
    [
      { ...base, kind: 'sso', problem: 'SSO profile p is incomplete: [profile p] in /c lacks sso_region.' },
      [{ code: 'sso-incomplete', detail: 'SSO profile p is incomplete: [profile p] in /c lacks sso_region' }],
    ],
    [
      { ...base, kind: 'sso', accountId: '1', roleName: 'R', problem: 'The SSO cache file /t.json is not valid JSON.' },
      [{ code: 'sso-cache-unreadable', detail: 'The SSO cache file /t.json is not valid JSON' }],
    ],
    // An expired token is what a working day ends with, not a problem: sso login fixes it.
    [{ ...base, kind: 'sso', accountId: '1', roleName: 'R', expiry: { tokenExpiresAt: daysAgo(1), credentialsExpireAt: null, files: [] } }, []],
    [{ ...base, kind: 'other', source: 'credential_process' }, []],
  ])('%j', (entry, expected) => {
    expect(entryAttention(entry, NOW, LIMITS)).toEqual(expected);
  });
});

describe('unusedDays', () => {
  it('counts from the last use, or from the creation of a key never used; unknown without IAM', () => {
    expect(unusedDays(key({ age: 100, used: 7 }), NOW)).toBe(7);
    expect(unusedDays(key({ age: 100 }), NOW)).toBe(100);
    expect(unusedDays({ name: 'p', files: [], kind: 'static', accessKeyId: ID, facts: { iam: 'offline' } }, NOW)).toBeUndefined();
  });
});

describe('entryAttention: where the key is kept (D48: after what IAM says)', () => {
  const plain = (entry: AuditEntry) => ({ ...entry, plaintext: { path: '/home/u/.aws/credentials', accessKeyId: ID, sameAsStored: false } }) as AuditEntry;
  const PLAINTEXT = { code: 'key-plaintext', detail: `access key ${ID} is in plaintext in /home/u/.aws/credentials; move it into the vault: awskeys vault move --profile p` };

  it('a key in plaintext needs attention, with or without IAM, after the reasons about the key itself', () => {
    expect(entryAttention(plain(key({ age: 1, used: 1 })), NOW, LIMITS)).toEqual([PLAINTEXT]);
    expect(entryAttention(plain({ name: 'p', files: ['credentials'], kind: 'static', accessKeyId: ID, facts: { iam: 'offline' } }), NOW, LIMITS)).toEqual([PLAINTEXT]);
    expect(codes(plain(key({ age: 400 })))).toEqual(['key-old', 'key-never-used', 'key-plaintext']);
    expect(codes(plain(key({ status: 'Inactive', age: 10 })))).toEqual(['key-inactive', 'key-plaintext']);
  });

  it('a key AWS rejects is dead: only that, nothing left to move', () => {
    expect(codes(plain({ name: 'p', files: ['credentials'], kind: 'static', accessKeyId: ID, facts: { iam: 'rejected', reason: 'InvalidClientTokenId' } }))).toEqual(['key-rejected']);
  });

  it('a vault key needs nothing; a copy left in plaintext by a stopped move is finished by the same move', () => {
    const vault: AuditEntry = { ...key({ age: 1, used: 1 }), store: 'keychain' };
    expect(entryAttention(vault, NOW, LIMITS)).toEqual([]);
    const left = { ...vault, plaintext: { path: '/k', accessKeyId: ID, sameAsStored: true } };
    expect(entryAttention(left, NOW, LIMITS)).toEqual([
      {
        code: 'key-plaintext',
        detail: `a copy of access key ${ID} is still in plaintext in /k (a move into the keychain that did not finish); finish it: awskeys vault move --profile p --to keychain`,
      },
    ]);
    const other = { ...vault, store: 'file' as const, plaintext: { path: '/k', accessKeyId: 'AKIAOTHER', sameAsStored: false } };
    expect(entryAttention(other, NOW, LIMITS)).toEqual([
      {
        code: 'key-plaintext',
        detail:
          "access key AKIAOTHER is in plaintext in /k, beside the profile's key in the vault file (a tool may use either); delete its aws_access_key_id and aws_secret_access_key lines there if nothing needs it",
      },
    ]);
  });

  it('a store that holds no key, or cannot be read, needs attention first; one that cannot be opened here is a note, not a reason', () => {
    const base = { name: 'p', files: ['config' as const], kind: 'static' as const, accessKeyId: undefined, facts: { iam: 'offline' as const }, store: 'file' as const };
    expect(entryAttention({ ...base, storeProblem: { code: 'vault-missing', detail: 'no key' } }, NOW, LIMITS)).toEqual([{ code: 'vault-missing', detail: 'no key' }]);
    expect(codes({ ...base, storeProblem: { code: 'vault-unreadable', detail: 'wrong' }, plaintext: { path: '/k', accessKeyId: ID, sameAsStored: true } })).toEqual([
      'vault-unreadable',
      'key-plaintext',
    ]);
    expect(entryAttention({ ...base, storeProblem: { code: 'vault-unavailable', detail: 'no D-Bus' } }, NOW, LIMITS)).toEqual([]);
  });
});

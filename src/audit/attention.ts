import { ageInDays } from '../iam/access-keys.js';
import { days } from '../iam/key-report.js';
import { shellWord } from '../text/shell-word.js';
import type { AuditEntry } from './audit.js';

/**
 * Why a profile needs attention: a stable code for scripts and the sentence a person reads. Each
 * one is also an `awskeys: warning: profile NAME: <detail>` line, and any one makes audit exit 13.
 */
export interface Attention {
  code: AttentionCode;
  detail: string;
}

export type AttentionCode =
  /** Older than --max-age: rotate it. */
  | 'key-old'
  /** Inactive: whatever uses the profile fails. */
  | 'key-inactive'
  /** Active, never used, created --max-unused days ago or more (CIS 1.12). */
  | 'key-never-used'
  /** Active, last used --max-unused days ago or more (CIS 1.12). */
  | 'key-unused'
  /** A long-term key in plaintext in an AWS file (D48): move it into the vault. */
  | 'key-plaintext'
  /** A vault profile whose store holds no key for it. */
  | 'vault-missing'
  /** A vault profile whose store cannot be read: a wrong passphrase, a damaged file, a foreign item. */
  | 'vault-unreadable'
  /** AWS refused the key itself (deleted, or from another partition). */
  | 'key-rejected'
  /** aws_access_key_id without aws_secret_access_key, or the other way round. */
  | 'key-incomplete'
  /** An SSO profile whose settings are incomplete. */
  | 'sso-incomplete'
  /** The SSO token cache file cannot be read as a token. */
  | 'sso-cache-unreadable';

export interface AttentionLimits {
  /** A key older than this many days needs rotating. */
  maxAgeDays: number;
  /** An Active key unused for this many days or more (never used: since its creation) needs disabling. */
  maxUnusedDays: number;
}

/** CIS AWS Foundations Benchmark 1.12 (v1.5, v3): credentials unused for 45 days or more are disabled. */
export const DEFAULT_MAX_UNUSED_DAYS = 45;

/**
 * Days since the key was last used, or since its creation when it never was; undefined when IAM
 * did not say. A last use that includes the audit's own call counts (it is today's date).
 */
export function unusedDays(e: AuditEntry, now: Date): number | undefined {
  if (e.kind !== 'static' || e.facts.iam !== 'ok') return undefined;
  const since = e.facts.lastUsed?.at ?? e.facts.createdAt;
  return since === undefined ? undefined : ageInDays(since, now);
}

/**
 * The reasons one profile needs attention, in a fixed order (D48); empty when it needs none: the
 * store that should hold the key, then what IAM says about the key (a rejected key is only that: it
 * is dead, there is nothing left to protect), then where it is kept.
 */
export function entryAttention(e: AuditEntry, now: Date, limits: AttentionLimits): Attention[] {
  if (e.kind === 'other') return [];
  if (e.kind === 'sso') {
    if (e.problem === undefined) return [];
    return [{ code: e.accountId === undefined ? 'sso-incomplete' : 'sso-cache-unreadable', detail: e.problem.replace(/\.$/, '') }];
  }
  if (e.problem !== undefined) return [{ code: 'key-incomplete', detail: e.problem }];
  const store = e.storeProblem && e.storeProblem.code !== 'vault-unavailable' ? [{ code: e.storeProblem.code, detail: e.storeProblem.detail }] : [];
  const id = e.accessKeyId ?? '';
  const f = e.facts;
  if (f.iam === 'rejected') return [...store, { code: 'key-rejected', detail: `AWS rejected access key ${id} (${f.reason}); it may have been deleted` }];
  return [...store, ...(f.iam === 'ok' ? iamAttention(e, f, now, limits) : []), ...plaintextAttention(e)];
}

type StaticEntry = Extract<AuditEntry, { kind: 'static' }>;

function iamAttention(e: StaticEntry, f: Extract<StaticEntry['facts'], { iam: 'ok' }>, now: Date, limits: AttentionLimits): Attention[] {
  const id = e.accessKeyId ?? '';
  const out: Attention[] = [];
  if (f.status === 'Inactive') out.push({ code: 'key-inactive', detail: `access key ${id} is Inactive, so nothing can sign with it` });
  const age = f.createdAt ? ageInDays(f.createdAt, now) : undefined;
  if (age !== undefined && age > limits.maxAgeDays) {
    out.push({
      code: 'key-old',
      detail: `access key ${id} is ${days(age)} old (more than ${days(limits.maxAgeDays)}); rotate it: awskeys iam rotate --profile ${shellWord(e.name)}`,
    });
  }
  // CIS counts only keys that still work: an Inactive one is already disabled (and said so above).
  const unused = unusedDays(e, now);
  if (f.status === 'Active' && unused !== undefined && unused >= limits.maxUnusedDays) {
    const disable = `deactivate it if nothing needs it: awskeys iam deactivate-key --user ${shellWord(f.userName)} --access-key-id ${id}`;
    const limit = `--max-unused ${limits.maxUnusedDays}`;
    out.push(
      f.lastUsed === undefined
        ? { code: 'key-never-used', detail: `access key ${id} was never used in the ${days(unused)} since its creation (${limit}); ${disable}` }
        : {
            code: 'key-unused',
            detail: `access key ${id} was last used ${days(unused)} ago, on ${f.lastUsed.at.toISOString().slice(0, 10)} (${limit}); ${disable}`,
          },
    );
  }
  return out;
}

/**
 * The secret in plaintext in an AWS file, readable by anything that runs as the user (D48). For a
 * vault profile, a copy left by a stopped move: the same move again removes it (vault-move.ts),
 * but only when it is the stored key itself; another key there is the user's to delete.
 */
function plaintextAttention(e: StaticEntry): Attention[] {
  const p = e.plaintext;
  if (!p) return [];
  const profile = shellWord(e.name);
  if (e.store === undefined) {
    return [{ code: 'key-plaintext', detail: `access key ${p.accessKeyId} is in plaintext in ${p.path}; move it into the vault: awskeys vault move --profile ${profile}` }];
  }
  const where = e.store === 'keychain' ? 'the keychain' : 'the vault file';
  if (p.sameAsStored) {
    return [
      {
        code: 'key-plaintext',
        detail: `a copy of access key ${p.accessKeyId} is still in plaintext in ${p.path} (a move into ${where} that did not finish); finish it: awskeys vault move --profile ${profile} --to ${e.store}`,
      },
    ];
  }
  return [
    {
      code: 'key-plaintext',
      detail: `access key ${p.accessKeyId} is in plaintext in ${p.path}, beside the profile's key in ${where} (a tool may use either); delete its aws_access_key_id and aws_secret_access_key lines there if nothing needs it`,
    },
  ];
}

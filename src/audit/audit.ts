import type { AwsClients } from '../aws-sdk/aws-clients.js';
import { toCliError } from '../aws-sdk/aws-errors.js';
import type { AwsFilePaths } from '../aws-files/paths.js';
import { privacyWarning } from '../aws-files/privacy.js';
import { getProfile, listProfiles, readAwsFiles } from '../aws-files/profiles.js';
import type { AwsFileKind } from '../aws-files/sections.js';
import type { Clock } from '../app/clock.js';
import { unknownProfileError } from '../aws-files/unknown-profile.js';
import { entryAttention, type Attention, type AttentionLimits } from './attention.js';
import { classifyProfile } from './classify-profile.js';
import { lookUpKey, type KeyAsker, type KeyFacts } from './key-lookup.js';
import { mapLimit } from '../util/map-limit.js';
import { ssoExpiry, type SsoExpiry } from './sso-expiry.js';
import { readVaultKeys, type StoredKey, type StoreProblem } from './vault-keys.js';
import { vaultFilePath } from '../vault/file-store.js';
import type { VaultDeps, VaultStoreKind } from '../vault/vault-store.js';

export interface AuditContext {
  aws: Pick<AwsClients, 'iam'>;
  clock: Clock;
  paths: AwsFilePaths;
  /** Opens the stores that vault profiles name (the vault file's passphrase may be asked on the terminal). */
  vault: VaultDeps;
}

export interface AuditOptions extends AttentionLimits {
  /** Do not call IAM at all. */
  offline: boolean;
  /**
   * The one caller that asks IAM about every key: this profile's credentials; undefined: the SDK's
   * default credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID, [default], ...).
   */
  viaProfile?: string | undefined;
  /**
   * Ask about each key with that key itself instead (works without any IAM read permission
   * beyond a user's own keys, but each call counts as a use of the key being audited).
   */
  eachKey?: boolean | undefined;
  /** IAM calls in flight at once. */
  concurrency?: number | undefined;
}

interface EntryBase {
  name: string;
  /** The files the profile appears in. */
  files: AwsFileKind[];
}

export type AuditEntry =
  | (EntryBase & {
      kind: 'static';
      /** undefined: half a key pair without the id, or a vault profile whose store could not be read. */
      accessKeyId: string | undefined;
      facts: KeyFacts;
      problem?: string | undefined;
      /** The vault store that keeps the key; undefined: the key is in the AWS files, in plaintext. */
      store?: VaultStoreKind | undefined;
      /** Why the store gave no key. */
      storeProblem?: StoreProblem | undefined;
      /**
       * A long-term key in plaintext: the file that holds its secret; for a vault profile, whether
       * it is the stored key itself (true too when the store could not be read to tell).
       */
      plaintext?: { path: string; accessKeyId: string; sameAsStored: boolean } | undefined;
    })
  | (EntryBase & {
      kind: 'sso';
      accountId?: string | undefined;
      roleName?: string | undefined;
      ssoSession?: string | undefined;
      expiry?: SsoExpiry | undefined;
      problem?: string | undefined;
    })
  | (EntryBase & { kind: 'other'; source: string });

/** A profile and the reasons it needs attention (none: all is well). */
export type AuditedProfile = AuditEntry & { attention: Attention[] };

/** A file that needs attention whichever profile uses it: an AWS file or an SSO cache file. */
export interface FileAttention {
  code: 'file-readable-by-others';
  path: string;
  detail: string;
}

export interface AuditReport extends AttentionLimits {
  now: Date;
  entries: AuditedProfile[];
  files: FileAttention[];
  /**
   * Everything that needs attention, one line each (the files', then each profile's reasons as
   * `profile NAME: <detail>`); empty when all is well.
   */
  warnings: string[];
  /** Worth saying on stderr, but nothing that needs attention (e.g. why last use is unknown). */
  notes: string[];
}

export const AUDIT_CONCURRENCY = 4;

/**
 * Every profile in both AWS files: what kind of credentials it holds; for static keys their age,
 * status and last use (from IAM, asked by one caller, or by each key itself with `eachKey`); for
 * SSO profiles when the cached token and role credentials expire. Reads only; never writes a file.
 *
 * One caller is the default because IAM records every call as a use of the key that signed it: a
 * key asked about itself always looks used today, so a daily audit would never see an unused key.
 */
export async function auditProfiles(ctx: AuditContext, options: AuditOptions): Promise<AuditReport> {
  const files = await readAwsFiles(ctx.paths);
  if (options.viaProfile !== undefined && !options.offline && getProfile(files, options.viaProfile) === undefined) {
    throw unknownProfileError(options.viaProfile, ctx.paths, 'flag');
  }
  const now = ctx.clock.now();
  const profiles = listProfiles(files).map((p) => ({
    name: p.name,
    files: [...(p.inCredentials ? (['credentials'] as const) : []), ...(p.inConfig ? (['config'] as const) : [])],
    credentials: classifyProfile(p.name, getProfile(files, p.name) ?? {}, files),
  }));

  const stored = await readVaultKeys(
    ctx.vault,
    profiles.flatMap(({ name, credentials: c }) => (c.kind === 'vault' ? [{ name, store: c.store }] : [])),
  );
  const keys = new Map<string, string>();
  for (const p of profiles) {
    const c = p.credentials;
    const read = stored.get(p.name);
    const key = c.kind === 'static' && c.secretAccessKey !== undefined ? c : read && 'key' in read ? read.key : undefined;
    if (key && !keys.has(key.accessKeyId)) keys.set(key.accessKeyId, key.secretAccessKey);
  }
  const { facts, notes } = await lookUpKeys(ctx, options, keys);
  notes.push(...unavailableStoreNotes(profiles, stored));

  const entries = await Promise.all(
    profiles.map(async ({ name, files: where, credentials: c }): Promise<AuditEntry> => {
      if (c.kind === 'other') return { name, files: where, kind: 'other', source: c.source };
      if (c.kind === 'static') {
        const known = c.secretAccessKey === undefined ? undefined : facts.get(c.accessKeyId);
        const plaintext = 'in' in c ? { path: ctx.paths[c.in], accessKeyId: c.accessKeyId, sameAsStored: false } : undefined;
        return { name, files: where, kind: 'static', accessKeyId: c.accessKeyId, facts: known ?? { iam: 'offline' }, problem: 'problem' in c ? c.problem : undefined, plaintext };
      }
      if (c.kind === 'vault') {
        const read = stored.get(name);
        const key = read && 'key' in read ? read.key : undefined;
        const plaintext = c.plaintext && {
          path: ctx.paths[c.plaintext.in],
          accessKeyId: c.plaintext.accessKeyId,
          sameAsStored: key === undefined || c.plaintext.secretAccessKey === key.secretAccessKey,
        };
        const base = { name, files: where, kind: 'static' as const, store: c.store, plaintext };
        if (!key) return { ...base, accessKeyId: undefined, facts: { iam: 'offline' as const }, storeProblem: read && 'problem' in read ? read.problem : undefined };
        return { ...base, accessKeyId: key.accessKeyId, facts: facts.get(key.accessKeyId) ?? { iam: 'offline' } };
      }
      if (!c.target) return { name, files: where, kind: 'sso', problem: c.problem };
      const t = c.target;
      const expiry = await ssoExpiry(t, ctx.paths);
      return { name, files: where, kind: 'sso', accountId: t.accountId, roleName: t.roleName, ssoSession: t.sessionName, expiry, problem: expiry.problem };
    }),
  );

  const limits = { maxAgeDays: options.maxAgeDays, maxUnusedDays: options.maxUnusedDays };
  const audited = entries.map((e) => ({ ...e, attention: entryAttention(e, now, limits) }));
  const vaultFile = entries.some((e) => e.kind === 'static' && e.store === 'file') ? vaultFilePath(ctx.vault.env, ctx.vault.homeDir) : undefined;
  const fileReasons = await filesNeedingAttention(ctx.paths, entries, vaultFile);
  const warnings = [...fileReasons.map((f) => f.detail), ...audited.flatMap((e) => e.attention.map((a) => `profile ${e.name}: ${a.detail}`))];
  return { now, ...limits, entries: audited, files: fileReasons, warnings, notes };
}

const ASK_HINT = 'pass --profile NAME for a caller allowed iam:GetAccessKeyLastUsed and iam:ListAccessKeys, or --each-key';

/** id -> facts, and the notes that explain facts left unknown. */
async function lookUpKeys(
  ctx: AuditContext,
  options: AuditOptions,
  keys: Map<string, string>,
): Promise<{ facts: Map<string, KeyFacts>; notes: string[] }> {
  const facts = new Map<string, KeyFacts>();
  const ids = [...keys.keys()];
  if (options.offline || ids.length === 0) return { facts, notes: [] };

  let askerFor: (id: string) => Promise<KeyAsker>;
  let callerName = '';
  if (options.eachKey) {
    askerFor = async (id) => ({ iam: await ctx.aws.iam({ credentials: { accessKeyId: id, secretAccessKey: keys.get(id) ?? '' } }), as: 'key', signedBy: id });
  } else {
    const caller = await askingCaller(ctx, options.viaProfile);
    if ('note' in caller) {
      for (const id of ids) facts.set(id, { iam: 'unknown', reason: 'no credentials to ask IAM with' });
      return { facts, notes: [caller.note] };
    }
    askerFor = () => Promise.resolve(caller.asker);
    callerName = caller.name;
  }
  const answers = await mapLimit(ids, options.concurrency ?? AUDIT_CONCURRENCY, async (id) => lookUpKey(await askerFor(id), id));
  ids.forEach((id, i) => facts.set(id, answers[i] ?? { iam: 'offline' }));

  const denied = [...new Set(answers.flatMap((f) => (f?.iam === 'unknown' && f.deniedCall ? [`iam:${f.deniedCall}`] : [])))];
  const notes = [];
  if (denied.length > 0 && !options.eachKey) {
    notes.push(`the caller (${callerName}) may not call ${denied.join(' or ')} for some keys, so their age or last use is unknown; ${ASK_HINT}`);
  }
  if (options.eachKey && answers.some((f) => f?.iam === 'ok')) {
    // IAM records each key's own lookup as its use: the unused-key check cannot fire this way.
    notes.push(`with --each-key every key's last use is this audit's own call, so keys unused for ${options.maxUnusedDays} days or more cannot be found; for that, ask as one caller (the default credentials or --profile NAME)`);
  }
  return { facts, notes };
}

/**
 * The one caller that asks about every key, with the key id it signs with (its own row's last use
 * then includes the audit's calls). Without --profile and without default credentials, a note
 * instead: the audit goes on without IAM.
 */
async function askingCaller(
  ctx: AuditContext,
  viaProfile: string | undefined,
): Promise<{ asker: KeyAsker; name: string } | { note: string }> {
  const iam = await ctx.aws.iam({ profile: viaProfile });
  try {
    const { accessKeyId } = await iam.config.credentials();
    const name = viaProfile === undefined ? `the default credentials, ${accessKeyId}` : `profile ${viaProfile}, ${accessKeyId}`;
    return { asker: { iam, as: 'caller', signedBy: accessKeyId }, name };
  } catch (err) {
    if (viaProfile !== undefined) throw toCliError(err, `Get the credentials of profile ${viaProfile} to ask IAM with`);
    const reason = toCliError(err, 'Find credentials to ask IAM with').message.replace(/\.$/, '');
    return { note: `${reason}; key ages and last use were not checked; ${ASK_HINT}` };
  }
}

/**
 * The AWS files, the SSO cache files looked at and the vault file (when a profile uses it) that
 * other users can read: the vault file is encrypted, but a copy is open to offline guessing.
 */
async function filesNeedingAttention(paths: AwsFilePaths, entries: readonly AuditEntry[], vaultFile: string | undefined): Promise<FileAttention[]> {
  const caches = entries.flatMap((e) => (e.kind === 'sso' ? (e.expiry?.files ?? []) : []));
  const files = [...new Set([paths.credentials, paths.config, ...caches, ...(vaultFile ? [vaultFile] : [])])];
  const warnings = await Promise.all(files.map(async (path) => ({ path, detail: await privacyWarning(path) })));
  return warnings.flatMap(({ path, detail }) => (detail === undefined ? [] : [{ code: 'file-readable-by-others' as const, path, detail }]));
}

/**
 * One note per store that cannot be opened here (no D-Bus session, a locked keyring, no
 * passphrase): the keys kept there were not read, which says nothing about them (D48).
 */
function unavailableStoreNotes(profiles: readonly { name: string }[], stored: ReadonlyMap<string, StoredKey>): string[] {
  const byDetail = new Map<string, string[]>();
  for (const { name } of profiles) {
    const read = stored.get(name);
    if (!read || !('problem' in read) || read.problem.code !== 'vault-unavailable') continue;
    byDetail.set(read.problem.detail, [...(byDetail.get(read.problem.detail) ?? []), name]);
  }
  return [...byDetail].map(([detail, names]) => `the key${names.length === 1 ? '' : 's'} of profile${names.length === 1 ? '' : 's'} ${names.join(', ')} could not be read from the vault here, so not checked: ${detail}`);
}

import type { AwsClients } from '../aws-clients.js';
import { toCliError } from '../aws-errors.js';
import type { AwsFilePaths } from '../aws-files/paths.js';
import { privacyWarning } from '../aws-files/privacy.js';
import { getProfile, listProfiles, readAwsFiles } from '../aws-files/profiles.js';
import type { AwsFileKind } from '../aws-files/sections.js';
import type { Clock } from '../clock.js';
import { NotFoundError } from '../errors.js';
import { ageInDays } from '../iam/access-keys.js';
import { shellWord } from '../shell-word.js';
import { days } from '../iam/key-report.js';
import { classifyProfile } from './classify-profile.js';
import { lookUpKey, type KeyAsker, type KeyFacts } from './key-lookup.js';
import { mapLimit } from '../util/map-limit.js';
import { cachePrivacyWarnings, ssoExpiry, type SsoExpiry } from './sso-expiry.js';

export interface AuditContext {
  aws: Pick<AwsClients, 'iam'>;
  clock: Clock;
  paths: AwsFilePaths;
}

export interface AuditOptions {
  maxAgeDays: number;
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
  | (EntryBase & { kind: 'static'; accessKeyId: string | undefined; facts: KeyFacts; problem?: string | undefined })
  | (EntryBase & {
      kind: 'sso';
      accountId?: string | undefined;
      roleName?: string | undefined;
      ssoSession?: string | undefined;
      expiry?: SsoExpiry | undefined;
      problem?: string | undefined;
    })
  | (EntryBase & { kind: 'other'; source: string });

export interface AuditReport {
  now: Date;
  maxAgeDays: number;
  entries: AuditEntry[];
  /** Everything that needs attention, one line each; empty when all is well. */
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
    throw new NotFoundError(`No profile named ${options.viaProfile} in ${ctx.paths.config} or ${ctx.paths.credentials}.`, {
      hint: 'check the name given to --profile: it names the profile whose credentials ask IAM',
    });
  }
  const now = ctx.clock.now();
  const profiles = listProfiles(files).map((p) => ({
    name: p.name,
    files: [...(p.inCredentials ? (['credentials'] as const) : []), ...(p.inConfig ? (['config'] as const) : [])],
    credentials: classifyProfile(p.name, getProfile(files, p.name) ?? {}, files),
  }));

  const keys = new Map<string, string>();
  for (const p of profiles) {
    const c = p.credentials;
    if (c.kind === 'static' && c.secretAccessKey !== undefined && !keys.has(c.accessKeyId)) keys.set(c.accessKeyId, c.secretAccessKey);
  }
  const { facts, notes } = await lookUpKeys(ctx, options, keys);

  const entries = await Promise.all(
    profiles.map(async ({ name, files: where, credentials: c }): Promise<AuditEntry> => {
      if (c.kind === 'other') return { name, files: where, kind: 'other', source: c.source };
      if (c.kind === 'static') {
        const known = c.secretAccessKey === undefined ? undefined : facts.get(c.accessKeyId);
        return { name, files: where, kind: 'static', accessKeyId: c.accessKeyId, facts: known ?? { iam: 'offline' }, problem: 'problem' in c ? c.problem : undefined };
      }
      if (!c.target) return { name, files: where, kind: 'sso', problem: c.problem };
      const t = c.target;
      const expiry = await ssoExpiry(t, ctx.paths);
      return { name, files: where, kind: 'sso', accountId: t.accountId, roleName: t.roleName, ssoSession: t.sessionName, expiry, problem: expiry.problem };
    }),
  );

  const warnings = [
    ...(await fileWarnings(ctx.paths, entries)),
    ...entries.flatMap((e) => entryWarnings(e, now, options.maxAgeDays)),
  ];
  return { now, maxAgeDays: options.maxAgeDays, entries, warnings, notes };
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

async function fileWarnings(paths: AwsFilePaths, entries: readonly AuditEntry[]): Promise<string[]> {
  const own = await Promise.all([privacyWarning(paths.credentials), privacyWarning(paths.config)]);
  const caches = entries.flatMap((e) => (e.kind === 'sso' ? (e.expiry?.files ?? []) : []));
  return [...own.filter((w): w is string => w !== undefined), ...(await cachePrivacyWarnings(caches))];
}

/** The lines that make `audit` exit 13. */
export function entryWarnings(e: AuditEntry, now: Date, maxAgeDays: number): string[] {
  const where = `profile ${e.name}`;
  if (e.kind === 'other') return [];
  if (e.kind === 'sso') return e.problem === undefined ? [] : [`${where}: ${e.problem.replace(/\.$/, '')}`];
  if (e.problem !== undefined) return [`${where} ${e.problem}`];
  const id = e.accessKeyId ?? '';
  const f = e.facts;
  if (f.iam === 'rejected') return [`${where}: AWS rejected access key ${id} (${f.reason}); it may have been deleted`];
  if (f.iam !== 'ok') return [];
  const out: string[] = [];
  if (f.status === 'Inactive') out.push(`${where}: access key ${id} is Inactive, so nothing can sign with it`);
  const age = f.createdAt ? ageInDays(f.createdAt, now) : undefined;
  if (age !== undefined && age > maxAgeDays) {
    out.push(`${where}: access key ${id} is ${days(age)} old (more than ${days(maxAgeDays)}); rotate it: awskeys iam rotate --profile ${shellWord(e.name)}`);
  }
  return out;
}

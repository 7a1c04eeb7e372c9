import { setValue } from '../../aws-files/ini-parse.js';
import type { AwsFiles } from '../../aws-files/profiles.js';
import { parseSectionRef } from '../../aws-files/sections.js';
import type { NameTemplate } from './profile-names.js';
import { renderName } from './profile-names.js';

/**
 * The pure core of `sso populate`: from the assignments the portal listed and the profiles in the
 * files, what to add, change, prune, keep, and which names collide. No I/O; see docs/sso.md.
 */

/**
 * The key that marks a profile as written by `sso populate`, with the sso-session it came from.
 * botocore, the AWS CLI and the JS SDK ignore keys they do not know (checked in
 * test/sso-populate.test.ts), and unlike a comment a key survives `aws configure set`.
 */
export const MANAGED_KEY = 'awskeys_populated_from';

/** One account x role the user is assigned, as the portal lists it. */
export interface Assignment {
  accountId: string;
  accountName: string;
  roleName: string;
}

export interface PlannedProfile extends Assignment {
  name: string;
}

export interface ChangedProfile extends PlannedProfile {
  /** The values the profile has now, for the report. */
  was: { accountId?: string | undefined; roleName?: string | undefined; region?: string | undefined };
}

/** A managed profile of this session whose assignment is gone. */
export interface OrphanProfile {
  name: string;
  accountId?: string | undefined;
  roleName?: string | undefined;
}

export type Collision =
  /** Several assignments rendered the same name: each got `-<account id>`. */
  | { kind: 'renamed'; from: string; profile: PlannedProfile }
  /** The name belongs to a profile `sso populate` does not manage for this session: left alone. */
  | { kind: 'taken'; assignment: Assignment; name: string; holder: string }
  /** Even with the suffix, several assignments share a name (or it is empty): none is written. */
  | { kind: 'ambiguous'; assignment: Assignment; name: string };

export interface PopulatePlan {
  add: PlannedProfile[];
  change: ChangedProfile[];
  /** Managed profiles without an assignment, removed because of --prune. */
  prune: OrphanProfile[];
  /** Managed profiles without an assignment, kept (no --prune). */
  stale: OrphanProfile[];
  collisions: Collision[];
  unchanged: PlannedProfile[];
}

export interface PlanInput {
  files: AwsFiles;
  session: string;
  template: NameTemplate;
  assignments: readonly Assignment[];
  /** --profile-region: written into new profiles, and into existing ones when given explicitly. */
  profileRegion: string | undefined;
  /** The region a new profile gets without --profile-region (the SSO region). */
  defaultRegion: string;
  prune: boolean;
}

/**
 * Names every assignment, resolves collisions, and compares with the files. Deterministic: the
 * result depends on the set of assignments, never on the order the portal listed them in.
 */
export function planPopulate(input: PlanInput): PopulatePlan {
  const { files, session } = input;
  const profiles = indexProfiles(files);
  const collisions: Collision[] = [];
  const named = nameAssignments(input, collisions);

  const plan: PopulatePlan = { add: [], change: [], prune: [], stale: [], collisions, unchanged: [] };
  const wanted = new Set<string>();
  for (const profile of named) {
    const found = profiles.get(profile.name);
    const existing = found?.values;
    const holder = foreignHolder(files, profile.name, found, session);
    if (holder !== undefined) {
      collisions.push({ kind: 'taken', assignment: strip(profile), name: profile.name, holder });
      continue;
    }
    wanted.add(profile.name);
    if (existing === undefined) {
      plan.add.push(profile);
      continue;
    }
    const regionDiffers = input.profileRegion !== undefined && existing.region !== input.profileRegion;
    if (
      existing.sso_session !== session ||
      existing.sso_account_id !== profile.accountId ||
      existing.sso_role_name !== profile.roleName ||
      regionDiffers
    ) {
      plan.change.push({
        ...profile,
        was: { accountId: existing.sso_account_id, roleName: existing.sso_role_name, region: existing.region },
      });
    } else {
      plan.unchanged.push(profile);
    }
  }

  for (const [name, { values, inConfig }] of profiles) {
    if (!inConfig || wanted.has(name) || values[MANAGED_KEY] !== session) continue;
    const orphan = { name, accountId: values.sso_account_id, roleName: values.sso_role_name };
    (input.prune ? plan.prune : plan.stale).push(orphan);
  }
  return plan;
}

/** The values `sso populate` owns in a profile it writes (other keys in it are left alone). */
export function profileValues(
  profile: PlannedProfile,
  session: string,
  region: string | undefined,
): Record<string, string> {
  return {
    sso_session: session,
    sso_account_id: profile.accountId,
    sso_role_name: profile.roleName,
    ...(region !== undefined ? { region } : {}),
    [MANAGED_KEY]: session,
  };
}

/** Renders names, then gives `-<account id>` to every member of a clash; what still clashes is dropped. */
function nameAssignments(input: PlanInput, collisions: Collision[]): PlannedProfile[] {
  const fields = (a: Assignment) => ({ ...a, session: input.session });
  const unique = dedupe(input.assignments);
  const first = unique.map((a) => ({ ...a, name: renderName(input.template, fields(a)) }));
  const counts = countBy(first, (p) => p.name);
  const second = first.map((p) => {
    if ((counts.get(p.name) ?? 0) < 2) return p;
    const renamed = { ...p, name: `${p.name}-${p.accountId}` };
    collisions.push({ kind: 'renamed', from: p.name, profile: renamed });
    return renamed;
  });
  const finalCounts = countBy(second, (p) => p.name);
  const named: PlannedProfile[] = [];
  for (const p of second) {
    if (p.name === '' || (finalCounts.get(p.name) ?? 0) > 1) {
      collisions.push({ kind: 'ambiguous', assignment: strip(p), name: p.name });
    } else {
      named.push(p);
    }
  }
  // A renamed profile that is then dropped is reported once, as ambiguous.
  const dropped = new Set(collisions.filter((c) => c.kind === 'ambiguous').map((c) => key(c.assignment)));
  const kept = collisions.filter((c) => c.kind !== 'renamed' || !dropped.has(key(c.profile)));
  collisions.splice(0, collisions.length, ...kept);
  return named.sort((a, b) => compare(a.name, b.name));
}

/**
 * Why a profile of that name is not ours to write, or undefined when it is a profile this session
 * manages. Anything else holds the name: a hand-written profile, one managed for another session,
 * a profile in the credentials file (its keys would merge into ours), and `default`.
 */
function foreignHolder(
  files: AwsFiles,
  name: string,
  found: IndexedProfile | undefined,
  session: string,
): string | undefined {
  // [default] is the profile every tool falls back to: never one of thousands of generated ones.
  if (name === 'default') return 'the default profile';
  if (found === undefined) return undefined;
  if (found.inCredentials) return `a profile in ${files.paths.credentials}`;
  const marker = found.values[MANAGED_KEY];
  if (marker === session) return undefined;
  if (marker !== undefined) return `a profile populated from sso-session "${marker}"`;
  return 'a profile not written by sso populate';
}

interface IndexedProfile {
  /** Merged as the SDKs merge them: config sections in order, then credentials sections. */
  values: Record<string, string>;
  inConfig: boolean;
  inCredentials: boolean;
}

/**
 * Every profile of both files in one pass (getProfile per name would rescan the file for each of
 * thousands of profiles). `default` is only ever reported as taken, so its [default] versus
 * [profile default] subtlety does not matter here.
 */
function indexProfiles(files: AwsFiles): Map<string, IndexedProfile> {
  const index = new Map<string, IndexedProfile>();
  const entry = (name: string) => {
    let found = index.get(name);
    if (!found) {
      found = { values: {}, inConfig: false, inCredentials: false };
      index.set(name, found);
    }
    return found;
  };
  for (const section of files.config.sections) {
    const ref = section.name === 'default' ? { type: 'profile', name: 'default' } : parseSectionRef(section.name);
    if (ref.type !== 'profile') continue;
    const found = entry(ref.name);
    found.inConfig = true;
    for (const [k, v] of Object.entries(section.values)) setValue(found.values, k, v);
  }
  for (const section of files.credentials.sections) {
    const found = entry(section.name);
    found.inCredentials = true;
    for (const [k, v] of Object.entries(section.values)) setValue(found.values, k, v);
  }
  return index;
}

function dedupe(assignments: readonly Assignment[]): Assignment[] {
  const seen = new Map<string, Assignment>();
  for (const a of assignments) if (!seen.has(key(a))) seen.set(key(a), a);
  return [...seen.values()];
}

function countBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  return counts;
}

function key(a: Assignment): string {
  return `${a.accountId}\n${a.roleName}`;
}

function strip({ accountId, accountName, roleName }: Assignment): Assignment {
  return { accountId, accountName, roleName };
}

/** Code-unit order: the same on every machine and locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

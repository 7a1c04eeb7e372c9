import type { Deps } from '../../app/deps.js';
import { editSections } from '../../aws-files/ini-edit.js';
import { parseIni } from '../../aws-files/ini-parse.js';
import { awsFilePaths, type AwsFilePaths } from '../../aws-files/paths.js';
import { readAwsFiles, type AwsFiles } from '../../aws-files/profiles.js';
import { updateAwsFile } from '../../aws-files/update-file.js';
import {
  CancelledError,
  CliError,
  FileError,
  InterruptedError,
  LoginRequiredError,
  UsageError,
} from '../../errors/cli-error.js';
import { shellWord } from '../../text/shell-word.js';
import { assertRegion } from '../regions.js';
import { resolveSsoSettings } from '../session-config.js';
import { ensureSsoToken, type EnsureTokenDeps } from '../ensure-token.js';
import { getCachedAccessToken } from '../session-token.js';
import { loginCommand } from '../login-command.js';
import { ssoError } from '../sso-errors.js';
import type { SsoSessionRef } from '../token-cache.js';
import { listAssignments, ListingFailure, type ListingProgress } from './list-assignments.js';
import { attentionLines, formatPlan } from './plan-report.js';
import { planEdits, type SessionSection } from './plan-edits.js';
import { planPopulate, type Assignment, type PopulatePlan } from './populate-plan.js';
import { populateProgress } from './populate-progress.js';
import { PortalPacer, type PacerOptions } from './portal-pacer.js';
import { DEFAULT_TEMPLATE, parseTemplate } from './profile-names.js';

export interface SsoPopulateOptions {
  /** An existing [sso-session NAME]. */
  ssoSession?: string | undefined;
  /** A profile whose sso_session names the session. */
  profile?: string | undefined;
  /** With region: the session named after the start URL, created when missing (as sso login does). */
  startUrl?: string | undefined;
  region?: string | undefined;
  template?: string | undefined;
  /** The region written into new profiles (default: the SSO region). */
  profileRegion?: string | undefined;
  prune: boolean;
  dryRun: boolean;
  yes: boolean;
  /** Pacing of the portal calls (tests and benchmarks); defaults to the service's 20 requests/s. */
  pacer?: PacerOptions | undefined;
}

export type SsoPopulateDeps = Pick<Deps, 'prompter' | 'report'> & EnsureTokenDeps;

export interface SsoPopulateResult {
  plan: PopulatePlan;
  /** The plan, for stdout (--dry-run). */
  stdout?: string | undefined;
  written: boolean;
}

/**
 * `awskeys sso populate`: a profile for every account and role of an SSO session. Everything that
 * can be checked is checked before the first call; the portal is listed at its speed limit; then
 * the config file gets all the edits in one locked, atomic write (or none: --dry-run, a refusal,
 * a failure or Ctrl-C leave it as it was).
 */
export async function ssoPopulate(options: SsoPopulateOptions, deps: SsoPopulateDeps): Promise<SsoPopulateResult> {
  const template = parseTemplate(options.template ?? DEFAULT_TEMPLATE);
  if (options.profileRegion !== undefined) assertRegion(options.profileRegion);
  const paths = awsFilePaths(deps.env, deps.homeDir);
  const { ref, sessionSection } = resolveSession(await readAwsFiles(paths), options);
  const session = ref.sessionName;

  const accessToken = await sessionToken(ref, paths, deps, options.profile);
  const assignments = await listEverything(ref, accessToken, options, deps);

  // The listing takes a while: plan against the files as they are now.
  const files = await readAwsFiles(paths);
  const planFor = (config: AwsFiles['config']) =>
    planPopulate({
      files: { ...files, config },
      session,
      template,
      assignments,
      profileRegion: options.profileRegion,
      defaultRegion: ref.region,
      prune: options.prune,
    });
  const plan = planFor(files.config);
  if (options.dryRun) return { plan, stdout: formatPlan(plan), written: false };

  await confirmRisky(plan, options, deps, paths);
  const regions = { profileRegion: options.profileRegion, defaultRegion: ref.region };
  let applied = plan;
  const result = await updateAwsFile(
    paths.config,
    (text) => {
      // Under the lock: plan again on the text being edited, so nothing written meanwhile is lost.
      const current = planFor(parseIni(text, paths.config));
      assertSameRiskyEdits(plan, current, paths.config);
      applied = current;
      return editSections(text, planEdits(current, session, regions, sessionSection));
    },
    { clock: deps.clock, signal: deps.signal },
  );
  for (const warning of result.warnings) deps.report.warn(warning);
  // What was written: another copy of awskeys may have added some of the profiles meanwhile.
  for (const line of summary(applied, assignments, paths.config)) deps.report.info(line);
  return { plan: applied, written: result.changed };
}

/** The session to populate, which must be an [sso-session] (profiles are written in that form). */
function resolveSession(
  files: AwsFiles,
  options: SsoPopulateOptions,
): { ref: SsoSessionRef & { sessionName: string }; sessionSection: SessionSection | undefined } {
  const named = [options.ssoSession !== undefined, options.profile !== undefined, options.startUrl !== undefined];
  if (named.filter(Boolean).length > 1) {
    throw new UsageError('Name the SSO session one way: --sso-session NAME, --profile NAME, or --start-url URL --region REGION.');
  }
  const { ref } = resolveSsoSettings(files, {
    profile: options.profile,
    startUrl: options.startUrl,
    region: options.region,
    sessionName: options.ssoSession,
  });
  const { sessionName } = ref;
  if (sessionName === undefined) {
    throw new UsageError(
      `Profile "${options.profile ?? ''}" uses a legacy sso_start_url; sso populate writes sso-session profiles.`,
      { hint: `name the session instead: awskeys sso populate --start-url ${shellWord(ref.startUrl)} --region ${shellWord(ref.region)}` },
    );
  }
  const sessionSection =
    options.startUrl !== undefined
      ? { name: sessionName, startUrl: ref.startUrl, region: ref.region, scopes: ref.scopes }
      : undefined;
  return { ref: { ...ref, sessionName }, sessionSection };
}

/**
 * The session's login: on a terminal, the cached one or a new login (as `sso login` does);
 * without one, only the cache (refreshed when near expiry), else exit 9 naming the login command.
 */
async function sessionToken(ref: SsoSessionRef, paths: AwsFilePaths, deps: SsoPopulateDeps, profile: string | undefined): Promise<string> {
  if (deps.prompter.interactive) {
    const { token } = await ensureSsoToken(ref, { force: false, flow: undefined, browser: true, profile }, deps);
    return token.accessToken;
  }
  try {
    const token = await getCachedAccessToken(ref, { ssoCacheDir: paths.ssoCacheDir, aws: deps.aws, clock: deps.clock, signal: deps.signal }, { profile });
    return token.accessToken;
  } catch (err) {
    if (err instanceof LoginRequiredError) {
      throw new LoginRequiredError(`${err.message} sso populate uses the session's login.`, {
        hint: `run: ${loginCommand(ref, profile)}, then this command again`,
        cause: err,
      });
    }
    throw err;
  }
}

/** Every assignment, or a CliError saying how far the listing got; progress on a terminal. */
async function listEverything(
  ref: SsoSessionRef,
  accessToken: string,
  options: SsoPopulateOptions,
  deps: SsoPopulateDeps,
): Promise<Assignment[]> {
  const pacer = new PortalPacer(deps.clock, deps.signal, options.pacer);
  const sso = await deps.aws.sso(ref.region, { retryStrategy: pacer.retryStrategy });
  const progress = populateProgress(deps.report, deps.clock, pacer.stats);
  try {
    return await listAssignments(sso, { accessToken, signal: deps.signal, onProgress: (p) => progress.update(p) });
  } catch (err) {
    if (!(err instanceof ListingFailure)) throw err;
    const where = howFar(err.progress);
    if (deps.signal.aborted) throw new InterruptedError(`Interrupted ${where}; nothing was written.`, { cause: err.error });
    const mapped = ssoError(err.error, err.action, ref, options.profile);
    throw new CliError(`${mapped.message.replace(/\.?$/, '')}; stopped ${where}, nothing was written.`, mapped.exitCode, {
      hint: mapped.hint ?? 'run the command again: nothing was written',
      cause: err.error,
    });
  } finally {
    progress.stop();
    sso.destroy();
  }
}

function howFar(p: ListingProgress): string {
  if (p.accountsTotal === undefined) return `after reading ${p.accountsListed} accounts from ListAccounts`;
  return `after listing the roles of ${p.accountsDone} of ${p.accountsTotal} accounts`;
}

/** Adding needs no confirmation; changing or removing a managed profile does (--yes without a terminal). */
async function confirmRisky(plan: PopulatePlan, options: SsoPopulateOptions, deps: SsoPopulateDeps, paths: AwsFilePaths): Promise<void> {
  if (options.yes || (plan.change.length === 0 && plan.prune.length === 0)) return;
  const risky = formatPlan({ ...plan, add: [], stale: [], collisions: [] }).split('\n').slice(0, -2);
  for (const line of risky) deps.report.info(line);
  const what = [
    plan.change.length > 0 ? `change ${plan.change.length}` : '',
    plan.prune.length > 0 ? `remove ${plan.prune.length}` : '',
  ].filter(Boolean);
  const ok = await deps.prompter.confirm({
    name: 'sso-populate.confirm',
    message: `${capitalize(what.join(' and '))} profile${plan.change.length + plan.prune.length === 1 ? '' : 's'} managed by sso populate in ${paths.config}?`,
    default: false,
    flag: '--yes',
  });
  if (!ok) throw new CancelledError();
}

/** What was confirmed (or needed no confirmation) must be what is written. */
function assertSameRiskyEdits(confirmed: PopulatePlan, current: PopulatePlan, path: string): void {
  const names = (p: PopulatePlan) => JSON.stringify([p.change.map((c) => c.name), p.prune.map((c) => c.name)]);
  if (names(confirmed) !== names(current)) {
    throw new FileError(`${path} changed while awskeys was listing the portal; nothing was written.`, {
      hint: 'run the command again',
    });
  }
}

function summary(plan: PopulatePlan, assignments: readonly Assignment[], path: string): string[] {
  const accounts = new Set(assignments.map((a) => a.accountId)).size;
  const lines = [
    `${assignments.length} roles in ${accounts} accounts: ${plan.add.length} profiles added, ${plan.change.length} changed, ` +
      `${plan.prune.length} pruned, ${plan.unchanged.length} unchanged in ${path}.`,
    ...attentionLines(plan),
  ];
  const example = plan.add[0] ?? plan.unchanged[0];
  if (example) lines.push(`Try: aws sts get-caller-identity --profile ${shellWord(example.name)}`);
  return lines;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

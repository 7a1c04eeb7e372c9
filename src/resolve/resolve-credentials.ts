import type { AwsClients } from '../aws-sdk/aws-clients.js';
import { unknownProfileError } from '../aws-files/unknown-profile.js';
import { awsFilePaths } from '../aws-files/paths.js';
import { getProfile, readAwsFiles, type AwsFiles } from '../aws-files/profiles.js';
import type { Clock } from '../app/clock.js';
import { CliError, CredentialsError, FileError, UsageError } from '../errors/cli-error.js';
import type { AwsCredentials } from '../output/credentials.js';
import type { Prompter } from '../prompt/prompter.js';
import { getRoleCredentials } from '../sso/role-credentials.js';
import { shellWord } from '../text/shell-word.js';
import type { Reporter } from '../app/reporter.js';
import { accountOfArn, readCachedAssumedRole, writeCachedAssumedRole, type AssumedRoleCredentials } from './assume-role-cache.js';
import { MFA_CODE_PATTERN, type MfaCodes } from './mfa-code.js';
import { readCachedSession, SESSION_DURATION, writeCachedSession } from './mfa-session-cache.js';
import { nonEmpty } from './hints.js';
import { roleProfileOf, type RoleProfile } from './role-profile.js';
import { isSsoProfile, ssoTargetOf } from '../sso/sso-profile.js';

export interface ResolveDeps {
  env: NodeJS.ProcessEnv;
  homeDir: string;
  clock: Clock;
  aws: AwsClients;
  /** Only for the warning when a cache cannot be written. */
  report: Pick<Reporter, 'warn'>;
  /** Where MFA codes are asked: the controlling terminal, even when stdin and stdout are pipes. */
  terminal: Prompter;
}

export interface ResolveOptions {
  /** --mfa-code: the code for the first MFA device that needs one (docs/mfa.md). */
  mfaCode?: string | undefined;
  /**
   * false (console sign-in): a profile with static keys and mfa_serial gives its long-term keys,
   * not a GetSessionToken session, which the federation endpoint refuses.
   */
  mfaSession?: boolean | undefined;
  /** The command line being run, for hints ("awskeys env"). */
  command?: string | undefined;
}

/** How the credentials were made; the console sign-in depends on it. */
export type CredentialKind =
  /** IAM user (or root) access keys. */
  | 'long-term'
  /** STS GetSessionToken with an MFA code. */
  | 'mfa-session'
  /** STS AssumeRole (fresh or from the cache). */
  | 'assumed-role'
  /** IAM Identity Center role credentials. */
  | 'sso'
  /** A session token of unknown origin, from a profile or the environment. */
  | 'temporary'
  /** The AWS CLI's `aws login` (console sign-in) session credentials. */
  | 'login-session';

export interface ResolvedCredentials {
  credentials: AwsCredentials;
  /** The profile's `region` (or AWS_REGION for environment credentials); undefined when none. */
  region: string | undefined;
  kind: CredentialKind;
  /**
   * For an assumed role: its source credentials are temporary (a role chain, an SSO or MFA
   * session), which caps its console session at one hour.
   */
  chained: boolean;
  /** For SSO credentials: the portal's start URL. */
  ssoStartUrl?: string | undefined;
}

interface Resolved {
  credentials: AwsCredentials;
  kind: CredentialKind;
  ssoStartUrl?: string | undefined;
}

/**
 * Credentials for the profile named by --profile, else AWS_PROFILE, else `default`, read from both
 * AWS files as the SDKs read them. With no profile named and AWS_ACCESS_KEY_ID set, the
 * environment's own credentials. Profile kinds are tried in the JS SDK's order, so a profile with
 * both static keys and sso_* settings gives its static keys, and one with role_arn assumes the role.
 */
export async function resolveCredentials(
  profileFlag: string | undefined,
  deps: ResolveDeps,
  options: ResolveOptions = {},
): Promise<ResolvedCredentials> {
  if (options.mfaCode !== undefined && !MFA_CODE_PATTERN.test(options.mfaCode)) {
    throw new UsageError('--mfa-code must be the 6 digits the MFA device shows.', { hint: 'e.g. --mfa-code 123456' });
  }
  const named = profileFlag ?? nonEmpty(deps.env.AWS_PROFILE);
  if (named === undefined && deps.env.AWS_ACCESS_KEY_ID) return fromEnvironment(deps.env, deps.clock);

  const name = named ?? 'default';
  const paths = awsFilePaths(deps.env, deps.homeDir);
  const files = await readAwsFiles(paths);
  const profile = getProfile(files, name);
  if (!profile) {
    const namedBy = profileFlag !== undefined ? 'flag' : named !== undefined ? 'env' : 'default';
    throw unknownProfileError(name, paths, namedBy, `awskeys sso login --profile ${shellWord(name)}`);
  }
  const region = nonEmpty(profile.region);
  const codes: MfaCodes = { flag: options.mfaCode, flagUsed: false, terminal: deps.terminal, command: options.command ?? 'awskeys env' };
  const ctx: ProfileContext = { deps, files, region, codes };
  if (isRoleProfile(profile)) {
    const role = roleProfileOf(name, profile);
    const credentials = await roleCredentials(role, ctx, []);
    return { credentials, region, kind: 'assumed-role', chained: isTemporarySource(role, ctx) };
  }
  if (hasStaticKeys(profile) && options.mfaSession !== false) {
    const serial = nonEmpty(profile.mfa_serial);
    if (serial !== undefined && nonEmpty(profile.aws_session_token) === undefined) {
      const credentials = await mfaSession(name, profile, serial, 'alone', ctx);
      return { credentials, region, kind: 'mfa-session', chained: false };
    }
  }
  return { ...(await profileCredentials(name, profile, ctx)), region, chained: false };
}

interface ProfileContext {
  deps: ResolveDeps;
  files: AwsFiles;
  /**
   * The named profile's region: every AssumeRole of its chain is sent there, as botocore (the
   * session's region) and the JS SDK (one role assumer for the chain) do, not to each hop's own.
   */
  region: string | undefined;
  codes: MfaCodes;
}

/**
 * At the top, role_arn wins over static keys, SSO and credential_process, as in botocore and the
 * JS SDK; only web_identity_token_file beats it, as in both.
 */
function isRoleProfile(profile: Record<string, string>): boolean {
  return profile.role_arn !== undefined && profile.web_identity_token_file === undefined;
}

/** Every kind of profile but assume-role, in the JS SDK's order. */
async function profileCredentials(name: string, profile: Record<string, string>, ctx: ProfileContext): Promise<Resolved> {
  if (hasStaticKeys(profile)) {
    const credentials = staticKeys(name, profile);
    return { credentials, kind: credentials.sessionToken === undefined ? 'long-term' : 'temporary' };
  }
  if (profile.web_identity_token_file !== undefined) throw unsupported(name, 'web_identity_token_file');
  if (profile.credential_process !== undefined) throw unsupported(name, 'credential_process');
  const loginSession = profile.login_session?.trim();
  if (loginSession) {
    const { loginSessionCredentials } = await import('./login-session.js');
    const credentials = await loginSessionCredentials(name, loginSession, ctx.deps);
    return { credentials, kind: 'login-session' };
  }
  if (isSsoProfile(profile)) {
    const { deps, files } = ctx;
    const target = ssoTargetOf(name, profile, files);
    const credentials = await getRoleCredentials(target, {
      aws: deps.aws,
      clock: deps.clock,
      ssoCacheDir: files.paths.ssoCacheDir,
      cliCacheDir: files.paths.cliCacheDir,
      report: deps.report,
    });
    return { credentials, kind: 'sso', ssoStartUrl: target.startUrl };
  }
  throw new CredentialsError(`Profile ${name} has no credentials: no access keys and no SSO settings.`, {
    hint: `add aws_access_key_id/aws_secret_access_key, or set it up with: awskeys sso login --profile ${shellWord(name)}`,
  });
}

/** How many roles one profile may chain through source_profile (the AWS CLI sets no limit). */
export const MAX_ROLE_CHAIN = 5;

/**
 * An assume-role profile: the AWS CLI's assume-role cache when it holds credentials good for more
 * than five minutes (no source credentials, no SDK, no MFA code needed), else AssumeRole with
 * the source credentials (and an MFA code when the profile has mfa_serial that the source's own
 * MFA session has not proven already) and the result cached. `chain` is the role profiles that
 * led here.
 */
async function roleCredentials(role: RoleProfile, ctx: ProfileContext, chain: readonly string[]): Promise<AwsCredentials> {
  const { deps, files } = ctx;
  const cliCacheDir = files.paths.cliCacheDir;
  const cached = await readCachedAssumedRole(cliCacheDir, role, deps.clock.now());
  if (cached) return cached;
  const source = await roleSource(role, ctx, [...chain, role.profile]);
  const serial = role.mfaSerial ?? source.serialForRole;
  const mfa = serial !== undefined && serial !== source.provenSerial ? { serial, codes: ctx.codes } : undefined;
  // Loaded only on a miss: it brings the SDK (and, in the lean bundle, hands over to the full one).
  const { assumeRole } = await import('./assume-role.js');
  const result = await assumeRole(role, source.credentials, { aws: deps.aws, clock: deps.clock, region: ctx.region, mfa });
  await cacheOrWarn(deps, 'assumed-role', () => writeCachedAssumedRole(cliCacheDir, role, result));
  return result.credentials;
}

interface RoleSource {
  credentials: AwsCredentials;
  /** The MFA device an MFA session of the source proved: AssumeRole needs no second code for it. */
  provenSerial?: string | undefined;
  /** The source's mfa_serial when its long-term keys are used directly: AssumeRole sends it. */
  serialForRole?: string | undefined;
}

/** The credentials AssumeRole is called with, for the last profile of `chain`. */
async function roleSource(role: RoleProfile, ctx: ProfileContext, chain: readonly string[]): Promise<RoleSource> {
  if (role.source.kind === 'credential_source') {
    if (role.source.value === 'Environment') return { credentials: environmentSource(role.profile, ctx.deps.env) };
    throw new NotResolvedHereError(
      `Profile ${role.profile} takes its source credentials from credential_source = ${role.source.value}, which awskeys does not resolve.`,
      { hint: `use the AWS CLI for it: aws configure export-credentials --profile ${shellWord(role.profile)} --format env` },
    );
  }
  const name = role.source.name;
  const profile = sourceProfileOf(role, name, ctx);
  // As a source, static keys win over role_arn (botocore and the JS SDK agree): that is how a
  // role profile may name itself as source_profile for its own keys.
  if (hasStaticKeys(profile)) {
    const serial = nonEmpty(profile.mfa_serial);
    if (serial === undefined || nonEmpty(profile.aws_session_token) !== undefined) return { credentials: staticKeys(name, profile) };
    // A user with an MFA device: a short MFA session proves it for every role it feeds, one code
    // for all of them. AWS refuses roles longer than 1 h from temporary credentials, so those
    // get the long-term keys and the code directly, as aws-vault does.
    if (feedsFromSession(role)) {
      return { credentials: await mfaSession(name, profile, serial, 'feedingRole', ctx), provenSerial: serial };
    }
    return { credentials: staticKeys(name, profile), serialForRole: serial };
  }
  if (!isRoleProfile(profile)) return { credentials: (await profileCredentials(name, profile, ctx)).credentials };
  if (chain.includes(name)) {
    throw new FileError(`The source_profile settings of profile ${chain[0]} loop: ${[...chain, name].join(' -> ')}.`, {
      hint: `point one of them at a profile with access keys or SSO settings`,
    });
  }
  if (chain.length >= MAX_ROLE_CHAIN) {
    throw new FileError(
      `Profile ${chain[0]} chains more than ${MAX_ROLE_CHAIN} roles: ${[...chain, name].join(' -> ')}.`,
      { hint: 'shorten the chain: point a source_profile at a profile with access keys or SSO settings' },
    );
  }
  return { credentials: await roleCredentials(roleProfileOf(name, profile), ctx, chain) };
}

function sourceProfileOf(role: RoleProfile, name: string, ctx: ProfileContext): Record<string, string> {
  const { files } = ctx;
  const profile = getProfile(files, name);
  if (!profile) {
    throw new FileError(
      `Profile ${role.profile} names source_profile ${name}, which is in neither ${files.paths.config} nor ${files.paths.credentials}.`,
      { hint: `fix source_profile of profile ${role.profile}` },
    );
  }
  return profile;
}

/** Whether a role fed by an MFA user's keys is assumed with an MFA session (see roleSource). */
function feedsFromSession(role: RoleProfile): boolean {
  return (role.durationSeconds ?? SESSION_DURATION.feedingRole) <= SESSION_DURATION.feedingRole;
}

/**
 * Whether `role` is assumed with temporary credentials, read from the configuration alone (so
 * it holds for cached credentials too): AWS then caps the role's console session at one hour.
 */
function isTemporarySource(role: RoleProfile, ctx: ProfileContext): boolean {
  if (role.source.kind === 'credential_source') return nonEmpty(ctx.deps.env.AWS_SESSION_TOKEN) !== undefined;
  const profile = getProfile(ctx.files, role.source.name);
  if (!profile || !hasStaticKeys(profile)) return true;
  if (nonEmpty(profile.aws_session_token) !== undefined) return true;
  return nonEmpty(profile.mfa_serial) !== undefined && feedsFromSession(role);
}

/**
 * An MFA session (GetSessionToken) for a profile with long-term keys and mfa_serial: from
 * awskeys' session cache when one has more than 15 minutes left, else with a code, and cached.
 * On its own a 12 h session (or a cached 1 h one while it lasts); feeding a role, 1 h.
 */
async function mfaSession(
  name: string,
  profile: Record<string, string>,
  serialNumber: string,
  use: keyof typeof SESSION_DURATION,
  ctx: ProfileContext,
): Promise<AssumedRoleCredentials> {
  const { deps, files } = ctx;
  const keys = staticKeys(name, profile);
  const dir = files.paths.sessionCacheDir;
  const durations = use === 'alone' ? [SESSION_DURATION.alone, SESSION_DURATION.feedingRole] : [SESSION_DURATION.feedingRole];
  const accountId = keys.accountId ?? accountOfArn(serialNumber);
  for (const durationSeconds of durations) {
    const hit = await readCachedSession(dir, { profile: name, accessKeyId: keys.accessKeyId, serialNumber, durationSeconds }, deps.clock.now());
    if (hit) return { ...hit, accountId };
  }
  const key = { profile: name, accessKeyId: keys.accessKeyId, serialNumber, durationSeconds: SESSION_DURATION[use] };
  // Loaded only on a miss, as assume-role.js: the code is asked after the hand-over, never twice.
  const { getMfaSession } = await import('./mfa-session.js');
  const session = await getMfaSession({ ...key, keys }, { aws: deps.aws, region: ctx.region, codes: ctx.codes });
  await cacheOrWarn(deps, 'MFA session', () => writeCachedSession(dir, key, session));
  return { ...session, accountId };
}

/** The credentials are good; a cache that cannot be written only costs the next call time (or a code). */
async function cacheOrWarn(deps: ResolveDeps, what: string, write: () => Promise<string[]>): Promise<void> {
  try {
    for (const warning of await write()) deps.report.warn(warning);
  } catch (err) {
    const reason = err instanceof CliError ? err.message : String(err);
    deps.report.warn(`${what} credentials not cached: ${reason}`);
  }
}

function environmentSource(name: string, env: NodeJS.ProcessEnv): AwsCredentials {
  const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    throw new CredentialsError(
      `Profile ${name} has credential_source = Environment, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set.`,
      { hint: 'export both (and AWS_SESSION_TOKEN for temporary keys), or use source_profile instead' },
    );
  }
  return { accessKeyId, secretAccessKey, sessionToken: nonEmpty(env.AWS_SESSION_TOKEN) };
}

function hasStaticKeys(profile: Record<string, string>): boolean {
  return profile.aws_access_key_id !== undefined || profile.aws_secret_access_key !== undefined;
}

function staticKeys(name: string, profile: Record<string, string>): AwsCredentials {
  const accessKeyId = profile.aws_access_key_id;
  const secretAccessKey = profile.aws_secret_access_key;
  if (!accessKeyId || !secretAccessKey) {
    const missing = accessKeyId ? 'aws_secret_access_key' : 'aws_access_key_id';
    throw new CredentialsError(`Profile ${name} has only half a key pair: ${missing} is missing or empty.`, {
      hint: `set both aws_access_key_id and aws_secret_access_key for profile ${name}`,
    });
  }
  return {
    accessKeyId,
    secretAccessKey,
    sessionToken: nonEmpty(profile.aws_session_token),
    accountId: nonEmpty(profile.aws_account_id),
  };
}

function fromEnvironment(env: NodeJS.ProcessEnv, clock: Clock): ResolvedCredentials {
  const sessionToken = nonEmpty(env.AWS_SESSION_TOKEN);
  const accessKeyId = env.AWS_ACCESS_KEY_ID ?? '';
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!secretAccessKey) {
    throw new CredentialsError('AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not.', {
      hint: 'set both, or pass --profile NAME to read a profile instead',
    });
  }
  const raw = env.AWS_CREDENTIAL_EXPIRATION;
  const expiration = raw ? new Date(raw) : undefined;
  if (expiration && !Number.isNaN(expiration.getTime()) && expiration.getTime() <= clock.now().getTime()) {
    throw new CredentialsError(`The credentials in the environment expired at ${raw}.`, {
      hint: 'pass --profile NAME to get fresh ones, or clear them with: eval "$(awskeys env --unset)"',
    });
  }
  return {
    credentials: {
      accessKeyId,
      secretAccessKey,
      sessionToken,
      expiration: expiration && !Number.isNaN(expiration.getTime()) ? expiration : undefined,
      accountId: nonEmpty(env.AWS_ACCOUNT_ID),
    },
    region: nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION),
    kind: sessionToken === undefined ? 'long-term' : 'temporary',
    chained: false,
  };
}

/**
 * A profile whose credentials come from something awskeys leaves to the AWS CLI and SDKs
 * (credential_process, web identity, an instance's metadata): the SDK's own chain may still
 * resolve it (aws-clients.ts).
 */
export class NotResolvedHereError extends CredentialsError {}

function unsupported(name: string, what: string): CredentialsError {
  return new NotResolvedHereError(`Profile ${name} gets its credentials from ${what}, which awskeys does not resolve.`, {
    hint: `use the AWS CLI for it: aws configure export-credentials --profile ${shellWord(name)} --format env`,
  });
}

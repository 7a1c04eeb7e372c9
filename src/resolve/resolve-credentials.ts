import type { AwsClients } from '../aws-clients.js';
import { awsFilePaths } from '../aws-files/paths.js';
import { getProfile, readAwsFiles, type AwsFiles } from '../aws-files/profiles.js';
import type { Output } from '../deps.js';
import type { Clock } from '../clock.js';
import { CliError, CredentialsError, FileError, NeedsInputError, NotFoundError } from '../errors.js';
import type { AwsCredentials } from '../output/credentials.js';
import { getRoleCredentials } from '../sso/role-credentials.js';
import { shellWord } from '../shell-word.js';
import { readCachedAssumedRole, writeCachedAssumedRole } from './assume-role-cache.js';
import { nonEmpty } from './hints.js';
import { roleProfileOf, type RoleProfile } from './role-profile.js';
import { isSsoProfile, ssoTargetOf } from '../sso/sso-profile.js';

export interface ResolveDeps {
  env: NodeJS.ProcessEnv;
  homeDir: string;
  clock: Clock;
  aws: AwsClients;
  stderr: Pick<Output, 'write'>;
}

export interface ResolvedCredentials {
  credentials: AwsCredentials;
  /** The profile's `region` (or AWS_REGION for environment credentials); undefined when none. */
  region: string | undefined;
}

/**
 * Credentials for the profile named by --profile, else AWS_PROFILE, else `default`, read from both
 * AWS files as the SDKs read them. With no profile named and AWS_ACCESS_KEY_ID set, the
 * environment's own credentials. Profile kinds are tried in the JS SDK's order, so a profile with
 * both static keys and sso_* settings gives its static keys, and one with role_arn assumes the role.
 */
export async function resolveCredentials(profileFlag: string | undefined, deps: ResolveDeps): Promise<ResolvedCredentials> {
  const named = profileFlag ?? nonEmpty(deps.env.AWS_PROFILE);
  if (named === undefined && deps.env.AWS_ACCESS_KEY_ID) return fromEnvironment(deps.env, deps.clock);

  const name = named ?? 'default';
  const paths = awsFilePaths(deps.env, deps.homeDir);
  const files = await readAwsFiles(paths);
  const profile = getProfile(files, name);
  if (!profile) {
    throw new NotFoundError(`No profile named ${name} in ${paths.config} or ${paths.credentials}.`, {
      hint:
        named === undefined
          ? 'pass --profile NAME or set AWS_PROFILE'
          : `check the name (--profile${profileFlag === undefined ? ' or AWS_PROFILE' : ''}), or create it with: awskeys sso login --profile ${shellWord(name)}`,
    });
  }
  const region = nonEmpty(profile.region);
  const ctx: ProfileContext = { deps, files, region };
  const credentials = isRoleProfile(profile) ? await roleCredentials(name, profile, ctx, []) : await profileCredentials(name, profile, ctx);
  return { credentials, region };
}

interface ProfileContext {
  deps: ResolveDeps;
  files: AwsFiles;
  /**
   * The named profile's region: every AssumeRole of its chain is sent there, as botocore (the
   * session's region) and the JS SDK (one role assumer for the chain) do, not to each hop's own.
   */
  region: string | undefined;
}

/**
 * At the top, role_arn wins over static keys, SSO and credential_process, as in botocore and the
 * JS SDK; only web_identity_token_file beats it, as in both.
 */
function isRoleProfile(profile: Record<string, string>): boolean {
  return profile.role_arn !== undefined && profile.web_identity_token_file === undefined;
}

/** Every kind of profile but assume-role, in the JS SDK's order. */
async function profileCredentials(name: string, profile: Record<string, string>, ctx: ProfileContext): Promise<AwsCredentials> {
  if (hasStaticKeys(profile)) return staticKeys(name, profile);
  if (profile.web_identity_token_file !== undefined) throw unsupported(name, 'web_identity_token_file');
  if (profile.credential_process !== undefined) throw unsupported(name, 'credential_process');
  if (isSsoProfile(profile)) {
    const { deps, files } = ctx;
    return getRoleCredentials(ssoTargetOf(name, profile, files), {
      aws: deps.aws,
      clock: deps.clock,
      ssoCacheDir: files.paths.ssoCacheDir,
      cliCacheDir: files.paths.cliCacheDir,
      stderr: deps.stderr,
    });
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
 * the source credentials and the result cached. `chain` is the role profiles that led here.
 */
async function roleCredentials(
  name: string,
  profile: Record<string, string>,
  ctx: ProfileContext,
  chain: readonly string[],
): Promise<AwsCredentials> {
  const role = roleProfileOf(name, profile);
  const { deps, files } = ctx;
  const cliCacheDir = files.paths.cliCacheDir;
  const cached = await readCachedAssumedRole(cliCacheDir, role, deps.clock.now());
  if (cached) return cached;
  if (role.mfaSerial !== undefined) {
    throw new NeedsInputError(
      `Profile ${name} needs an MFA code (mfa_serial = ${role.mfaSerial}) and awskeys never asks for one.`,
      {
        hint: `run an AWS CLI command with it once; it asks for the code and caches credentials awskeys then reuses: aws sts get-caller-identity --profile ${shellWord(name)}`,
      },
    );
  }
  const source = await roleSource(role, ctx, [...chain, name]);
  // Loaded only on a miss: it brings the SDK (and, in the lean bundle, hands over to the full one).
  const { assumeRole } = await import('./assume-role.js');
  const result = await assumeRole(role, source, { aws: deps.aws, clock: deps.clock, region: ctx.region });
  try {
    await writeCachedAssumedRole(cliCacheDir, role, result);
  } catch (err) {
    // The credentials are good; a cache that cannot be written only costs the next call time.
    const reason = err instanceof CliError ? err.message : String(err);
    deps.stderr.write(`awskeys: warning: assumed-role credentials not cached: ${reason}\n`);
  }
  return result.credentials;
}

/** The credentials AssumeRole is called with, for the last profile of `chain`. */
async function roleSource(role: RoleProfile, ctx: ProfileContext, chain: readonly string[]): Promise<AwsCredentials> {
  if (role.source.kind === 'credential_source') {
    if (role.source.value === 'Environment') return environmentSource(role.profile, ctx.deps.env);
    throw new CredentialsError(
      `Profile ${role.profile} takes its source credentials from credential_source = ${role.source.value}, which awskeys does not resolve.`,
      { hint: `use the AWS CLI for it: aws configure export-credentials --profile ${shellWord(role.profile)} --format env` },
    );
  }
  const name = role.source.name;
  const { files } = ctx;
  const profile = getProfile(files, name);
  if (!profile) {
    throw new FileError(
      `Profile ${role.profile} names source_profile ${name}, which is in neither ${files.paths.config} nor ${files.paths.credentials}.`,
      { hint: `fix source_profile of profile ${role.profile}` },
    );
  }
  // As a source, static keys win over role_arn (botocore and the JS SDK agree): that is how a
  // role profile may name itself as source_profile for its own keys.
  if (hasStaticKeys(profile)) return staticKeys(name, profile);
  if (!isRoleProfile(profile)) return profileCredentials(name, profile, ctx);
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
  return roleCredentials(name, profile, ctx, chain);
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
      sessionToken: nonEmpty(env.AWS_SESSION_TOKEN),
      expiration: expiration && !Number.isNaN(expiration.getTime()) ? expiration : undefined,
      accountId: nonEmpty(env.AWS_ACCOUNT_ID),
    },
    region: nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION),
  };
}

function unsupported(name: string, what: string): CredentialsError {
  return new CredentialsError(`Profile ${name} gets its credentials from ${what}, which awskeys does not resolve.`, {
    hint: `use the AWS CLI for it: aws configure export-credentials --profile ${shellWord(name)} --format env`,
  });
}

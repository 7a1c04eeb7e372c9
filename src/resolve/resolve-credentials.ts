import type { AwsClients } from '../aws-clients.js';
import { awsFilePaths } from '../aws-files/paths.js';
import { getProfile, readAwsFiles } from '../aws-files/profiles.js';
import type { Output } from '../cli/deps.js';
import type { Clock } from '../clock.js';
import { CredentialsError, NotFoundError } from '../errors.js';
import type { AwsCredentials } from '../output/credentials.js';
import { getRoleCredentials } from '../sso/role-credentials.js';
import { shellWord } from '../shell-word.js';
import { nonEmpty } from './hints.js';
import { isSsoProfile, ssoTargetOf } from './sso-target.js';

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
 * both static keys and sso_* settings gives its static keys.
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

  if (profile.role_arn !== undefined) throw unsupported(name, 'role_arn (assume role)');
  if (profile.aws_access_key_id !== undefined || profile.aws_secret_access_key !== undefined) {
    return { credentials: staticKeys(name, profile), region };
  }
  if (profile.web_identity_token_file !== undefined) throw unsupported(name, 'web_identity_token_file');
  if (profile.credential_process !== undefined) throw unsupported(name, 'credential_process');
  if (isSsoProfile(profile)) {
    const target = ssoTargetOf(name, profile, files);
    const credentials = await getRoleCredentials(target, {
      aws: deps.aws,
      clock: deps.clock,
      ssoCacheDir: paths.ssoCacheDir,
      cliCacheDir: paths.cliCacheDir,
      stderr: deps.stderr,
    });
    return { credentials, region };
  }
  throw new CredentialsError(`Profile ${name} has no credentials: no access keys and no SSO settings.`, {
    hint: `add aws_access_key_id/aws_secret_access_key, or set it up with: awskeys sso login --profile ${shellWord(name)}`,
  });
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

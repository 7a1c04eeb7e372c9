import { unknownProfileError } from '../aws-files/unknown-profile.js';
import { awsFilePaths } from '../aws-files/paths.js';
import { getProfile, readAwsFiles } from '../aws-files/profiles.js';
import { UsageError } from '../errors/cli-error.js';
import { shellWord } from '../text/shell-word.js';
import { fromEnvironment } from './environment-credentials.js';
import { nonEmpty } from './hints.js';
import { MFA_CODE_PATTERN, type MfaCodes } from './mfa-code.js';
import { credentialsOfProfile } from './profile-chain.js';
import type { ResolveDeps, ResolvedCredentials, ResolveOptions } from './resolved.js';

/**
 * Credentials for the profile named by --profile, else AWS_PROFILE, else `default`, read from both
 * AWS files as the SDKs read them, through the chain of profile kinds (profile-chain.ts). With no
 * profile named and AWS_ACCESS_KEY_ID set, the environment's own credentials.
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
  const got = await credentialsOfProfile(name, profile, { as: 'named' }, { deps, options, files, region, codes });
  return { credentials: got.credentials, region, kind: got.kind, chained: got.chained ?? false, ...(got.ssoStartUrl !== undefined ? { ssoStartUrl: got.ssoStartUrl } : {}) };
}

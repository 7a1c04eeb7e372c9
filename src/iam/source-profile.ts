import { awsFilePaths } from '../aws-files/paths.js';
import { getProfile, readAwsFiles } from '../aws-files/profiles.js';
import { unknownProfileError } from '../aws-files/unknown-profile.js';
import { shellWord } from '../text/shell-word.js';

export interface SourceProfileInput {
  /** `--profile`, when given; else AWS_PROFILE from `env` is checked. */
  profile: string | undefined;
  env: NodeJS.ProcessEnv;
  homeDir: string;
}

/**
 * Fails with a NotFoundError (exit 5) naming the profile and both files when the source profile
 * (`--profile`, else AWS_PROFILE) is in neither AWS file. The SDK would only say "Could not load
 * credentials from any providers", which does not name the typo. No profile named: nothing to check
 * (the default chain is used). A malformed file is a FileError naming the line.
 */
export async function assertSourceProfileExists(input: SourceProfileInput): Promise<void> {
  const fromEnv = input.profile === undefined;
  const name = input.profile ?? input.env.AWS_PROFILE;
  // An empty AWS_PROFILE is unset as far as the SDK is concerned.
  if (name === undefined || name === '') return;
  const paths = awsFilePaths(input.env, input.homeDir);
  const files = await readAwsFiles(paths);
  if (getProfile(files, name) !== undefined) return;
  throw unknownProfileError(name, paths, fromEnv ? 'env' : 'flag', `aws configure --profile ${shellWord(name)}`);
}

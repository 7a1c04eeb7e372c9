import { NotFoundError } from '../errors/cli-error.js';
import type { AwsFilePaths } from './paths.js';

/** How a profile name reached a command: --profile, AWS_PROFILE, or nobody (the SDKs' `default`). */
export type ProfileNamedBy = 'flag' | 'env' | 'default';

/**
 * The one wording of "that profile is in neither AWS file" (exit 5), for every command: the name,
 * where it came from (an AWS_PROFILE exported long ago is a common surprise), both files, and a
 * hint that fits how it was named. `createWith` is the command that would create such a profile,
 * for the commands where creating it is the likely fix (none for rotate: it needs a key already).
 * Light on purpose: the lean `env` path throws it.
 */
export function unknownProfileError(
  name: string,
  paths: Pick<AwsFilePaths, 'config' | 'credentials'>,
  namedBy: ProfileNamedBy,
  createWith?: string,
): NotFoundError {
  const from = namedBy === 'env' ? ' (from AWS_PROFILE)' : '';
  return new NotFoundError(`No profile named ${name}${from} in ${paths.config} or ${paths.credentials}.`, { hint: unknownProfileHint(namedBy, createWith) });
}

function unknownProfileHint(namedBy: ProfileNamedBy, createWith: string | undefined): string {
  const list = 'aws configure list-profiles';
  switch (namedBy) {
    case 'env':
      return `unset AWS_PROFILE, or set it to one of the profiles that ${list} lists`;
    case 'default':
      return `pass --profile (or set AWS_PROFILE) with one of the profiles that ${list} lists${createWith ? `, or create it: ${createWith}` : ''}`;
    case 'flag':
      return `check the name with: ${list}${createWith ? `, or create it: ${createWith}` : ''}`;
  }
}

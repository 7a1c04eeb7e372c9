import { getProfile, readAwsFiles } from '../aws-files/profiles.js';
import { awsFilePaths } from '../aws-files/paths.js';
import type { AwsCredentials } from '../output/credentials.js';
import { resolveCredentials } from '../resolve/resolve-credentials.js';
import { NotResolvedHereError } from '../resolve/resolved.js';
import { vaultStoreOf } from '../vault/vault-marker.js';
import type { Deps } from './deps.js';

/**
 * The profile credentials awskeys' own SDK clients use where the SDK's chain would not do
 * (aws-sdk/aws-clients.ts asks these). Loaded by createDeps with import() on a client's first
 * credentials: only commands that call AWS need them.
 */

/**
 * What `env` would resolve for `profile`, for an SDK client whose own chain found nothing:
 * undefined when the profile is in neither file (the SDK's error, which covers the rest of its
 * chain, stands) or its credentials come from something only the SDK resolves.
 */
export async function resolveForSdk(profile: string, deps: Deps): Promise<AwsCredentials | undefined> {
  if (getProfile(await readAwsFiles(awsFilePaths(deps.env, deps.homeDir)), profile) === undefined) return undefined;
  try {
    // Long-term keys as the SDK uses them, not an MFA session (the SDK found those keys already).
    return (await resolveCredentials(profile, deps, { mfaSession: false })).credentials;
  } catch (err) {
    if (err instanceof NotResolvedHereError) return undefined;
    throw err;
  }
}

/**
 * A vault profile's long-term key from its store, for awskeys' own IAM calls (rotate, list-keys,
 * audit); undefined for any other profile. Asked before the SDK's chain, which would run the
 * profile's credential_process and get a session IAM refuses (a GetSessionToken session without
 * MFA cannot call IAM).
 */
export async function vaultKeyForSdk(profile: string, deps: Deps): Promise<AwsCredentials | undefined> {
  if (vaultStoreOf(getProfile(await readAwsFiles(awsFilePaths(deps.env, deps.homeDir)), profile)) === undefined) return undefined;
  return (await resolveCredentials(profile, deps, { session: false })).credentials;
}

/**
 * An `aws login` profile's credentials for awskeys' own SDK clients (status, iam), served and
 * renewed as `env` does (under the cache lock, botocore's file format); undefined for any other
 * profile. Asked before the SDK's chain, whose login provider renews on its own terms.
 */
export async function loginSessionForSdk(profile: string, deps: Deps): Promise<AwsCredentials | undefined> {
  if (!getProfile(await readAwsFiles(awsFilePaths(deps.env, deps.homeDir)), profile)?.login_session?.trim()) return undefined;
  return (await resolveCredentials(profile, deps)).credentials;
}

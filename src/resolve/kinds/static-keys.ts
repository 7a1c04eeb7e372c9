import { CredentialsError } from '../../errors/cli-error.js';
import type { AwsCredentials } from '../../output/credentials.js';
import { nonEmpty } from '../hints.js';
import type { ProfileKind, ProfileSettings } from '../profile-kind.js';

/** aws_access_key_id / aws_secret_access_key (and aws_session_token): the keys themselves. */
export const staticKeysKind: ProfileKind = {
  name: 'static keys',
  claims: (profile) => hasStaticKeys(profile),
  credentials: (name, profile) => {
    const credentials = staticKeys(name, profile);
    return Promise.resolve({ credentials, kind: credentials.sessionToken === undefined ? 'long-term' : 'temporary' });
  },
};

/** Either half of a key pair makes it a static-key profile (the other half missing is an error). */
export function hasStaticKeys(profile: ProfileSettings): boolean {
  return profile.aws_access_key_id !== undefined || profile.aws_secret_access_key !== undefined;
}

export function staticKeys(name: string, profile: ProfileSettings): AwsCredentials {
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

import type { AwsCredentials } from '../output/credentials.js';
import { formatTimestamp } from '../util/timestamp.js';

/** The variable that marks a process as started by `awskeys exec`, holding the profile's name. */
export const PROFILE_MARKER = 'AWSKEYS_PROFILE';

/**
 * Variables removed from the child's environment whatever it is given instead: each one would let
 * an SDK in the child pick another identity (or a stale half of this one). AWS_PROFILE and
 * AWS_DEFAULT_PROFILE outrank environment keys in botocore; the container, web-identity and role
 * variables are read by providers that come before the container provider in both SDKs' chains;
 * AWS_SECURITY_TOKEN is botocore's old name for the session token. AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE stay: the child still reads regions and other settings there.
 */
export const REMOVED_VARIABLES = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_CREDENTIAL_FILE',
  'AWS_ACCOUNT_ID',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
] as const;

/** What the child is given: the keys themselves, or the address of awskeys' credential endpoint. */
export type ChildCredentials =
  | { kind: 'keys'; credentials: AwsCredentials }
  | { kind: 'server'; url: string; authorizationToken: string };

/**
 * The child's environment: the parent's, less every variable above, plus the credentials (or the
 * endpoint), the region in both variables the SDKs read, and the marker. A profile without a region
 * leaves the parent's AWS_REGION/AWS_DEFAULT_REGION as they were. Pure: the caller spawns.
 */
export function childEnvironment(
  parent: NodeJS.ProcessEnv,
  profile: string,
  given: ChildCredentials,
  region: string | undefined,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) if (value !== undefined) env[name] = value;
  for (const name of REMOVED_VARIABLES) delete env[name];

  if (given.kind === 'keys') {
    const { credentials } = given;
    env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
    if (credentials.sessionToken) env.AWS_SESSION_TOKEN = credentials.sessionToken;
    if (credentials.expiration) env.AWS_CREDENTIAL_EXPIRATION = formatTimestamp(credentials.expiration);
  } else {
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI = given.url;
    env.AWS_CONTAINER_AUTHORIZATION_TOKEN = given.authorizationToken;
  }
  if (region !== undefined) {
    env.AWS_REGION = region;
    env.AWS_DEFAULT_REGION = region;
  }
  env[PROFILE_MARKER] = profile;
  return env;
}

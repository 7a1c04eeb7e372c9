import { join } from 'node:path';

/** Where the AWS files live, found exactly as the SDKs and the AWS CLI find them. */
export interface AwsFilePaths {
  config: string;
  credentials: string;
  /** ~/.aws/sso/cache: SSO tokens and client registrations, shared with the AWS CLI and SDKs. */
  ssoCacheDir: string;
  /** ~/.aws/cli/cache: role credentials, in the AWS CLI's format (it reuses ours, we reuse its). */
  cliCacheDir: string;
  /** ~/.aws/awskeys/sessions: awskeys' own MFA sessions (GetSessionToken), which no SDK caches. */
  sessionCacheDir: string;
}

export function awsFilePaths(env: NodeJS.ProcessEnv, homeDir: string): AwsFilePaths {
  const aws = join(homeDir, '.aws');
  return {
    config: expandHome(env.AWS_CONFIG_FILE, homeDir) ?? join(aws, 'config'),
    credentials: expandHome(env.AWS_SHARED_CREDENTIALS_FILE, homeDir) ?? join(aws, 'credentials'),
    // Not configurable by environment in any SDK: it always follows HOME.
    ssoCacheDir: join(aws, 'sso', 'cache'),
    cliCacheDir: join(aws, 'cli', 'cache'),
    sessionCacheDir: join(aws, 'awskeys', 'sessions'),
  };
}

// The SDKs expand a leading "~/" in these variables; a relative path stays relative to the cwd.
function expandHome(value: string | undefined, homeDir: string): string | undefined {
  if (!value) return undefined;
  if (value === '~') return homeDir;
  if (value.startsWith('~/')) return join(homeDir, value.slice(2));
  return value;
}

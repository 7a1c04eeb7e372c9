import { readFileSync } from 'node:fs';
import { childPath } from '../util/child-path.js';

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
  // Normalized and ending in the plain name '.aws', so `${aws}/name` is exactly join(aws, 'name')
  // (a property test checks it), without node's per-character loop (src/util/child-path.ts).
  const aws = childPath(homeDir, '.aws');
  return {
    config: expandHome(env.AWS_CONFIG_FILE, homeDir, env) ?? `${aws}/config`,
    credentials: expandHome(env.AWS_SHARED_CREDENTIALS_FILE, homeDir, env) ?? `${aws}/credentials`,
    // Not configurable by environment in any SDK: it always follows HOME.
    ssoCacheDir: `${aws}/sso/cache`,
    cliCacheDir: `${aws}/cli/cache`,
    sessionCacheDir: `${aws}/awskeys/sessions`,
  };
}

/**
 * botocore opens both files through raw_config_parse, which applies os.path.expandvars and then
 * os.path.expanduser, so `$HOME/x`, `${XDG}/aws/config`, `~` and `~user/...` all name the file the
 * AWS CLI reads; without this a secret could land in a literal `./$HOME/...` folder under the cwd.
 * A relative path stays relative to the cwd, as in botocore.
 */
function expandHome(value: string | undefined, homeDir: string, env: NodeJS.ProcessEnv): string | undefined {
  if (!value) return undefined;
  return expandUser(expandVars(value, env), env, homeDir);
}

/** Python's posixpath.expandvars: `$name` / `${name}` (ASCII word characters); unknown ones stay. */
export function expandVars(path: string, env: NodeJS.ProcessEnv): string {
  if (!path.includes('$')) return path;
  return path.replace(/\$([A-Za-z0-9_]+|\{[^}]*\})/g, (whole, name: string) => {
    const key = name.startsWith('{') && name.endsWith('}') ? name.slice(1, -1) : name;
    return env[key] ?? whole;
  });
}

/** Python's posixpath.expanduser: `~` from HOME, `~user` from the password database; else unchanged. */
export function expandUser(path: string, env: NodeJS.ProcessEnv, homeDir: string): string {
  if (!path.startsWith('~')) return path;
  const slash = path.indexOf('/', 1);
  const end = slash < 0 ? path.length : slash;
  let home: string | undefined;
  if (end === 1) home = env.HOME ?? homeDir;
  else home = passwdHome(path.slice(1, end));
  if (home === undefined) return path;
  return home.replace(/\/+$/, '') + path.slice(end) || '/';
}

function passwdHome(user: string): string | undefined {
  let passwd: string;
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of passwd.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === user && fields.length >= 7) return fields[5];
  }
  return undefined;
}

import { sha256HexUtf8 } from '../util/sha256.js';
import { childPath } from '../util/child-path.js';

// Where an `aws login` session's cache file is: apart from login-cache.ts (which writes the file)
// because a valid cache is served on the lean path (src/cli/entry.ts rule 5), which needs the
// name and not the writer.

/** The cache folder: an empty AWS_LOGIN_CACHE_DIRECTORY counts as unset, as every AWS_* setting. */
export function loginCacheDir(env: NodeJS.ProcessEnv, homeDir: string): string {
  const configured = env.AWS_LOGIN_CACHE_DIRECTORY;
  return configured !== undefined && configured !== '' ? configured : `${childPath(homeDir, '.aws')}/login/cache`;
}

/**
 * The cache file of one login session: `<dir>/<sha256 hex of the session ARN>.json` (plain JS, no
 * node:crypto), joined as botocore's JSONFileCache joins it (os.path.join: the folder as given, a
 * '/' unless it ends in one). Not path.join, which normalizes the folder (`a/../b`, where `a` is a
 * symlink, names another file than the AWS CLI opens) and loops over every character: on Node >=
 * 22 that loop was compiled with Maglev on every login hit (docs/env.md, "Speed"). The default
 * folder is join's result already, so the two agree there.
 */
export function loginCachePath(dir: string, loginSession: string): Promise<string> {
  const name = `${sha256HexUtf8(loginSession)}.json`;
  return Promise.resolve(dir === '' ? name : dir.endsWith('/') ? dir + name : `${dir}/${name}`);
}

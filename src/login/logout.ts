import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Deps } from '../app/deps.js';
import { readTextIfExists, removeFileIfExists } from '../aws-files/atomic-write.js';
import { withFileLock } from '../aws-files/lock.js';
import { awsFilePaths } from '../aws-files/paths.js';
import { getProfile, readAwsFiles } from '../aws-files/profiles.js';
import { nonEmpty } from '../resolve/hints.js';
import { loginCacheDir, loginCachePath } from './login-cache.js';

export interface LoginLogoutOptions {
  /** --profile (else AWS_PROFILE, else default). */
  profile?: string | undefined;
  /** --all: every cached `aws login` session. */
  all: boolean;
}

export type LoginLogoutDeps = Pick<Deps, 'env' | 'homeDir' | 'report' | 'clock' | 'signal'>;

const STILL_VALID = 'Note, any local developer tools that have already loaded the access token may continue to use it until its expiration. Access tokens expire in 15 minutes.';

/**
 * `aws logout`, mirrored (awscli/customizations/login/logout.py; docs/login.md, D50): deletes the
 * cached credentials of the profile's login session, or with --all every file of the login cache
 * that holds `aws login` credentials; the profile's `login_session` line stays, so `awskeys login`
 * signs in to it again. Local only, like the CLI: the Sign-In service has no logout call. Each
 * file is removed under its lock, so a renewal in flight cannot write it back afterwards.
 */
export async function loginLogout(options: LoginLogoutOptions, deps: LoginLogoutDeps): Promise<void> {
  const dir = loginCacheDir(deps.env, deps.homeDir);
  if (options.all) {
    const removed = await removeAll(dir, deps);
    if (removed === 0) deps.report.info('No cached login session tokens found.');
    else deps.report.info(`Removed ${removed} cached login credential${removed === 1 ? '' : 's'}. ${STILL_VALID.replace('the access token may continue to use it', 'access tokens may continue to use them').replace('its expiration', 'their expiration')}`);
    return;
  }
  const name = options.profile ?? nonEmpty(deps.env.AWS_PROFILE) ?? 'default';
  const files = await readAwsFiles(awsFilePaths(deps.env, deps.homeDir));
  const session = getProfile(files, name)?.login_session?.trim();
  if (!session) {
    deps.report.warn(`no login session found for profile '${name}'`);
    return;
  }
  await removeLocked(await loginCachePath(dir, session), deps);
  deps.report.info(`Removed cached login credentials for profile '${name}'. ${STILL_VALID}`);
}

async function removeAll(dir: string, deps: LoginLogoutDeps): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const path = join(dir, name);
    if (!holdsLoginCredentials(await readTextIfExists(path).catch(() => undefined))) continue;
    if (await removeLocked(path, deps)) removed += 1;
  }
  return removed;
}

function removeLocked(path: string, deps: LoginLogoutDeps): Promise<boolean> {
  return withFileLock(path, () => removeFileIfExists(path), { clock: deps.clock, signal: deps.signal });
}

/** The CLI's LoginTokenSweeper rule: an `accessToken` object with an `accessKeyId`. */
function holdsLoginCredentials(text: string | undefined): boolean {
  if (text === undefined) return false;
  try {
    const token = (JSON.parse(text) as { accessToken?: unknown }).accessToken;
    return typeof token === 'object' && token !== null && 'accessKeyId' in token;
  } catch {
    return false;
  }
}

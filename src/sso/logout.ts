import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileError, isMissing, readTextIfExists, removeFileIfExists } from '../aws-files/atomic-write.js';
import { awsFilePaths } from '../aws-files/paths.js';
import type { AwsFiles } from '../aws-files/profiles.js';
import { getProfile, getSsoSession, listProfiles, readAwsFiles } from '../aws-files/profiles.js';
import type { Deps } from '../app/deps.js';
import { InterruptedError, UsageError } from '../errors/cli-error.js';
import { removeCachedRoleCredentials, roleCachePath, sessionKeyOf } from './role-credentials-cache.js';
import { resolveSsoSettings } from './session-config.js';
import { errorName } from './sso-errors.js';
import type { SsoSessionRef } from './token-cache.js';
import { tokenCachePath } from './token-cache.js';

export interface SsoLogoutOptions {
  profile?: string | undefined;
  session?: string | undefined;
  /** Every cached SSO login; also what no option at all means, as with `aws sso logout`. */
  all: boolean;
}

export interface SsoLogoutResult {
  /** Token files deleted. */
  tokensRemoved: number;
  roleCredentialsRemoved: number;
}

export type SsoLogoutDeps = Pick<Deps, 'env' | 'homeDir' | 'aws' | 'report' | 'signal'>;

/**
 * `awskeys sso logout`: for each cached token in scope, the Logout API (errors ignored, as the AWS
 * CLI does: the local session ends either way), then the token file and the role credentials
 * cached from that session are deleted: ours (by SessionKey) and those botocore or the AWS CLI
 * cached for the session's profiles. Client registrations are kept, like the CLI.
 */
export async function ssoLogout(options: SsoLogoutOptions, deps: SsoLogoutDeps): Promise<SsoLogoutResult> {
  const chosen = [options.profile !== undefined, options.session !== undefined, options.all].filter(Boolean).length;
  if (chosen > 1) throw new UsageError('Pass only one of --profile, --session and --all.');
  const paths = awsFilePaths(deps.env, deps.homeDir);

  if (options.profile === undefined && options.session === undefined) {
    const tokens = await cachedTokenFiles(paths.ssoCacheDir);
    for (const [done, file] of tokens.entries()) {
      try {
        if (deps.signal.aborted) throw new InterruptedError();
        await endSession(file.path, file.doc, deps);
      } catch (err) {
        // Tokens already deleted stay deleted: say so rather than "nothing was written".
        if (!(err instanceof InterruptedError) || done === 0) throw err;
        throw new InterruptedError(
          `Interrupted after logging out of ${plural(done, 'SSO session')}; the rest are still cached.`,
        );
      }
    }
    const roleCredentialsRemoved = await removeCachedRoleCredentials(paths.cliCacheDir, 'all');
    deps.report.info(
      tokens.length === 0
        ? 'No cached SSO logins; nothing to log out of.'
        : `Logged out of ${tokens.length} SSO session${tokens.length === 1 ? '' : 's'}` +
            ` (removed ${plural(roleCredentialsRemoved, 'cached role credential')}).`,
    );
    return { tokensRemoved: tokens.length, roleCredentialsRemoved };
  }

  const files = await readAwsFiles(paths);
  const ref: Pick<SsoSessionRef, 'sessionName' | 'startUrl'> =
    options.session !== undefined
      ? { sessionName: options.session, startUrl: getSsoSession(files, options.session)?.sso_start_url ?? '' }
      : resolveSsoSettings(files, { profile: options.profile }).ref;
  const path = tokenCachePath(paths.ssoCacheDir, ref);
  const doc = await readJsonFile(path);
  if (doc !== undefined) await endSession(path, doc, deps);
  const roleCredentialsRemoved =
    (await removeCachedRoleCredentials(paths.cliCacheDir, sessionKeyOf(ref))) +
    (await removeProfilesRoleCredentials(paths.cliCacheDir, files, ref));
  const name = ref.sessionName !== undefined ? `SSO session "${ref.sessionName}"` : `SSO start URL ${ref.startUrl}`;
  deps.report.info(
    doc === undefined && roleCredentialsRemoved === 0
      ? `No cached login for the ${name}; nothing to log out of.`
      : `Logged out of the ${name} (removed ${plural(roleCredentialsRemoved, 'cached role credential')}).`,
  );
  return { tokensRemoved: doc === undefined ? 0 : 1, roleCredentialsRemoved };
}

/**
 * The entries botocore and the AWS CLI cached for the session's profiles. They lack our SessionKey,
 * but their file names are botocore's cache key of (account, role, session name or legacy start
 * URL): so every config profile of the session names one, deleted when it is an SSO entry.
 */
async function removeProfilesRoleCredentials(
  cliCacheDir: string,
  files: AwsFiles,
  ref: Pick<SsoSessionRef, 'sessionName' | 'startUrl'>,
): Promise<number> {
  const paths = new Set<string>();
  for (const { name } of listProfiles(files)) {
    const p = getProfile(files, name) ?? {};
    // As botocore decides: sso_session wins; without it, the profile is legacy and keyed by its URL.
    const inSession =
      ref.sessionName !== undefined
        ? p.sso_session === ref.sessionName
        : p.sso_session === undefined && p.sso_start_url === ref.startUrl;
    if (!inSession || p.sso_account_id === undefined || p.sso_role_name === undefined) continue;
    const key = { accountId: p.sso_account_id, roleName: p.sso_role_name, sessionName: ref.sessionName, startUrl: ref.startUrl };
    paths.add(roleCachePath(cliCacheDir, key));
  }
  let removed = 0;
  for (const path of paths) {
    const doc = await readJsonFile(path);
    if (doc?.ProviderType !== 'sso') continue; // missing, or not a role-credentials entry
    if (await removeFileIfExists(path)) removed += 1;
  }
  return removed;
}

/** Logout API with the file's token (when it has one), then the file is deleted. */
async function endSession(path: string, doc: Record<string, unknown>, deps: SsoLogoutDeps): Promise<void> {
  const accessToken = doc.accessToken;
  const region = doc.region;
  if (typeof accessToken === 'string' && typeof region === 'string' && region !== '') {
    try {
      const { LogoutCommand } = await import('@aws-sdk/client-sso');
      const sso = await deps.aws.sso(region);
      await sso.send(new LogoutCommand({ accessToken }), { abortSignal: deps.signal });
    } catch (err) {
      if (errorName(err) === 'AbortError' || err instanceof InterruptedError) throw new InterruptedError();
      // Expired, already signed out, unreachable: the local logout goes ahead, as in the AWS CLI.
    }
  }
  await removeFileIfExists(path);
}

/** The token files of ~/.aws/sso/cache: JSON with an accessToken (registrations have none). */
async function cachedTokenFiles(dir: string): Promise<{ path: string; doc: Record<string, unknown> }[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (isMissing(err)) return [];
    throw fileError('list', dir, err);
  }
  const found = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const path = join(dir, name);
    const doc = await readJsonFile(path).catch(() => undefined);
    if (doc && typeof doc.accessToken === 'string') found.push({ path, doc });
  }
  return found;
}

/** A cache file's JSON; {} for a file that is not JSON (it is still deleted); undefined when missing. */
async function readJsonFile(path: string): Promise<Record<string, unknown> | undefined> {
  const text = await readTextIfExists(path);
  if (text === undefined) return undefined;
  try {
    const doc: unknown = JSON.parse(text);
    return doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

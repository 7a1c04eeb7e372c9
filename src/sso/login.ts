import type { SSOClient } from '@aws-sdk/client-sso';
import type { Deps } from '../app/deps.js';
import { awsFilePaths } from '../aws-files/paths.js';
import type { AwsFilePaths } from '../aws-files/paths.js';
import { readAwsFiles } from '../aws-files/profiles.js';
import { InterruptedError, NotFoundError, UsageError } from '../errors/cli-error.js';
import type { AwsCredentials } from '../output/credentials.js';
import { chooseAccount, chooseRole } from './choose-role.js';
import { ensureSsoToken, type EnsureTokenDeps } from './ensure-token.js';
import type { FlowChoice } from './login-flow.js';
import type { WriteTarget } from './login-output.js';
import { profileWriteProblem, renderForStdout, writeCredentialsProfile, writeSsoProfile } from './login-output.js';
import type { SsoAccount } from './portal.js';
import { getRoleCredentials, listAllAccounts, listAllRoles } from './portal.js';
import { assertRegion } from './regions.js';
import { resolveSsoSettings } from './session-config.js';
import { writeCachedRoleCredentials } from './role-credentials-cache.js';
import { errorName, ssoError } from './sso-errors.js';
import type { SsoSessionRef, SsoToken } from './token-cache.js';
import type { Reporter } from '../app/reporter.js';

export interface SsoLoginOptions {
  profile?: string | undefined;
  startUrl?: string | undefined;
  region?: string | undefined;
  sessionName?: string | undefined;
  accountId?: string | undefined;
  roleName?: string | undefined;
  /** The default region written into a new profile (default: the SSO region). */
  profileRegion?: string | undefined;
  write: WriteTarget;
  /** Log in even when the cached token is still good. */
  force: boolean;
  /** false with --no-browser. */
  browser: boolean;
  /** --use-device-code / --use-auth-code. */
  flow?: FlowChoice;
  /** How long the authorization-code flow waits for the browser. */
  authTimeoutMs?: number | undefined;
}

export type SsoLoginDeps = Pick<
  Deps,
  'env' | 'homeDir' | 'report' | 'clock' | 'prompter' | 'aws' | 'openUrl' | 'signal'
> &
  EnsureTokenDeps;

export interface SsoLoginResult {
  credentials: AwsCredentials;
  accountId: string;
  roleName: string;
  /** The profile written (config/credentials). */
  profile?: string | undefined;
  /** What to print on stdout (env/json). */
  stdout?: string | undefined;
}

/**
 * `awskeys sso login`: a usable SSO token (ensureSsoToken: the cached one, refreshed if near
 * expiry, or a new login), then an account and a role, then role credentials written where
 * --write says.
 */
export async function ssoLogin(options: SsoLoginOptions, deps: SsoLoginDeps): Promise<SsoLoginResult> {
  if (options.accountId !== undefined && !/^\d{12}$/.test(options.accountId)) {
    throw new UsageError(`Invalid --account-id ${JSON.stringify(options.accountId)}: expected 12 digits.`);
  }
  if (options.profileRegion !== undefined) assertRegion(options.profileRegion, '--profile-region');
  const paths = awsFilePaths(deps.env, deps.homeDir);
  const files = await readAwsFiles(paths);
  // A name that will be refused is refused now, before any login or choice.
  if (options.profile !== undefined) {
    const problem = profileWriteProblem(files, options.profile, options.write);
    if (problem) throw problem;
  }
  const resolved = resolveSsoSettings(files, options);
  const { ref } = resolved;
  // Now that the session is known: an SSO profile of another IAM Identity Center is refused too.
  if (options.profile !== undefined) {
    const problem = profileWriteProblem(files, options.profile, options.write, ref.startUrl);
    if (problem) throw problem;
  }
  // Only a profile whose SSO settings are the ones in use says which account and role it wants.
  const fromProfile = options.startUrl === undefined && options.sessionName === undefined;
  const wanted = {
    accountId: options.accountId ?? (fromProfile ? resolved.accountId : undefined),
    roleName: options.roleName ?? (fromProfile && options.accountId === undefined ? resolved.roleName : undefined),
    profileRegion: options.profileRegion ?? resolved.profile?.region,
  };

  const tokenOptions = {
    force: options.force,
    flow: options.flow,
    browser: options.browser,
    profile: options.profile,
    authTimeoutMs: options.authTimeoutMs,
  };
  // Once a good token is in the cache, "nothing was written" is no longer true of a Ctrl-C.
  let loggedIn = false;
  try {
    let { token, fromCache } = await ensureSsoToken(ref, tokenOptions, deps);
    loggedIn = true;
    const sso = await deps.aws.sso(ref.region);
    const session: LoggedIn = { ref, paths, sso, token };
    try {
      return await chooseAndWrite(options, wanted, deps, session);
    } catch (err) {
      // The cache said the token was good but the service disagrees (signed out elsewhere): log in again.
      if (!(fromCache && errorName((err as { cause?: unknown }).cause ?? err) === 'UnauthorizedException')) throw err;
      deps.report.info('The cached SSO token was not accepted; logging in again.');
      loggedIn = false;
      ({ token, fromCache } = await ensureSsoToken(ref, { ...tokenOptions, force: true }, deps));
      loggedIn = true;
      return await chooseAndWrite(options, wanted, deps, { ...session, token });
    }
  } catch (err) {
    throw loggedIn && err instanceof InterruptedError ? interruptedAfterLogin(options.write, err) : err;
  }
}

/** Ctrl-C once the token is cached: the login itself is kept, and the next run reuses it. */
function interruptedAfterLogin(write: WriteTarget, cause: InterruptedError): InterruptedError {
  const missing = write === 'env' || write === 'json' ? 'no credentials were printed' : 'no profile was written';
  return new InterruptedError(`Interrupted; you are logged in (token cached), but ${missing}.`, {
    hint: 'run the command again: it reuses the cached login',
    cause,
  });
}

interface LoggedIn {
  ref: SsoSessionRef;
  paths: AwsFilePaths;
  sso: SSOClient;
  token: SsoToken;
}

interface Wanted {
  accountId: string | undefined;
  roleName: string | undefined;
  profileRegion: string | undefined;
}

/** With a token in hand: the account, the role, their credentials, and the --write target. */
async function chooseAndWrite(options: SsoLoginOptions, wanted: Wanted, deps: SsoLoginDeps, session: LoggedIn): Promise<SsoLoginResult> {
  const { ref, paths } = session;
  const { account, roleName, credentials } = await accountRoleAndCredentials(options, wanted, deps, session);
  await cacheForLaterUse(paths, ref, account.accountId, roleName, credentials, deps.report);
  const result = { credentials, accountId: account.accountId, roleName };

  if (options.write === 'env' || options.write === 'json') {
    return { ...result, stdout: renderForStdout(options.write, credentials, wanted.profileRegion ?? ref.region) };
  }
  const profileName = options.profile ?? (await askProfileName(`${roleName}-${account.accountId}`, options.write, deps, paths, ref.startUrl));
  // Another process may have changed the file during the login or while the question was open
  // (the writers decide once more under the file's lock).
  const problem = profileWriteProblem(await readAwsFiles(paths), profileName, options.write, ref.startUrl);
  if (problem) throw problem;
  if (options.write === 'config') {
    await writeSsoProfile(paths, profileName, { ref, accountId: account.accountId, roleName, region: wanted.profileRegion }, deps);
  } else {
    await writeCredentialsProfile(paths, profileName, credentials, deps);
  }
  return { ...result, profile: profileName };
}

/**
 * The account and role, and the role's credentials. With both known (flags, or the profile's own
 * sso_account_id / sso_role_name) it goes straight to GetRoleCredentials: no listing of every
 * account (12 sequential calls with 1,200 accounts). With only the account, just that account's
 * roles. Otherwise every account, with progress on stderr.
 */
async function accountRoleAndCredentials(
  options: SsoLoginOptions,
  wanted: Wanted,
  deps: SsoLoginDeps,
  session: LoggedIn,
): Promise<{ account: SsoAccount; roleName: string; credentials: AwsCredentials }> {
  const { ref, sso, token } = session;
  const choices = { prompter: deps.prompter, report: deps.report };
  const fetchCredentials = (accountId: string, roleName: string) =>
    getRoleCredentials(sso, token.accessToken, accountId, roleName, deps.signal);

  if (wanted.accountId !== undefined && wanted.roleName !== undefined) {
    const account = { accountId: wanted.accountId, accountName: '', emailAddress: '' };
    try {
      return { account, roleName: wanted.roleName, credentials: await fetchCredentials(wanted.accountId, wanted.roleName) };
    } catch (err) {
      if (errorName(err) !== 'ForbiddenException') {
        throw ssoError(err, `Getting credentials for ${wanted.roleName} in ${wanted.accountId}`, ref, options.profile);
      }
      // Not assigned: say what is, from that account's roles (if the account is one of ours at all).
      const roles = await listAllRoles(sso, token.accessToken, wanted.accountId, deps.signal).catch(() => undefined);
      if (roles === undefined) {
        throw new NotFoundError(`Account ${wanted.accountId} is not one of the accounts this SSO session can use.`, {
          hint: 'run without --account-id to choose from the list',
        });
      }
      await chooseRole(roles, account, wanted.roleName, choices);
      throw ssoError(err, `Getting credentials for ${wanted.roleName} in ${wanted.accountId}`, ref, options.profile);
    }
  }

  let account: SsoAccount;
  if (wanted.accountId !== undefined) {
    account = { accountId: wanted.accountId, accountName: '', emailAddress: '' };
  } else {
    const accounts = await listWithProgress(session, deps).catch((e: unknown) => {
      throw ssoError(e, 'Listing SSO accounts', ref, options.profile);
    });
    account = await chooseAccount(accounts, undefined, choices);
  }
  const roles = await listAllRoles(sso, token.accessToken, account.accountId, deps.signal).catch((e: unknown) => {
    if (wanted.accountId !== undefined && errorName(e) !== 'UnauthorizedException' && errorName(e) !== 'AbortError') {
      throw new NotFoundError(`Account ${account.accountId} is not one of the accounts this SSO session can use.`, {
        hint: 'run without --account-id to choose from the list',
        cause: e,
      });
    }
    throw ssoError(e, `Listing roles in ${account.accountId}`, ref, options.profile);
  });
  const keepRole = wanted.roleName;
  const roleName = await chooseRole(roles, account, keepRole, choices);
  const credentials = await fetchCredentials(account.accountId, roleName).catch((e: unknown) => {
    throw ssoError(e, `Getting credentials for ${roleName} in ${account.accountId}`, ref, options.profile);
  });
  return { account, roleName, credentials };
}

/** Every account, with a running count on a terminal (one line otherwise): 1,200 accounts take a while. */
async function listWithProgress(session: LoggedIn, deps: SsoLoginDeps): Promise<SsoAccount[]> {
  const { report } = deps;
  if (!report.showsStatus) report.info('Listing your AWS accounts...');
  try {
    return await listAllAccounts(session.sso, session.token.accessToken, deps.signal, (count) => report.status(`Listing your AWS accounts... ${count}`));
  } finally {
    report.clearStatus();
  }
}

/**
 * The role credentials just fetched go into the role-credential cache (the AWS CLI's), so the first
 * `awskeys env` / `credential-process` / `aws` call for this role after a login needs no network.
 * Best effort: a cache that cannot be written costs a later call, not this login.
 */
async function cacheForLaterUse(
  paths: AwsFilePaths,
  ref: SsoSessionRef,
  accountId: string,
  roleName: string,
  credentials: AwsCredentials,
  report: Pick<Reporter, 'warn'>,
): Promise<void> {
  const { sessionToken, expiration } = credentials;
  if (sessionToken === undefined || expiration === undefined) return;
  const key = { accountId, roleName, sessionName: ref.sessionName, startUrl: ref.startUrl };
  try {
    const warnings = await writeCachedRoleCredentials(paths.cliCacheDir, key, { ...credentials, sessionToken, expiration });
    for (const warning of warnings) report.warn(warning);
  } catch (err) {
    report.warn(`could not cache the role credentials: ${(err as Error).message}`);
  }
}

/**
 * On a terminal the profile name is asked, with `aws configure sso`'s default; otherwise the
 * default. A name the write would refuse is refused as it is typed.
 */
async function askProfileName(suggested: string, write: WriteTarget, deps: SsoLoginDeps, paths: AwsFilePaths, startUrl: string): Promise<string> {
  const files = await readAwsFiles(paths);
  if (!deps.prompter.interactive) return suggested;
  return deps.prompter.input({
    name: 'sso-login.profile-name',
    message: 'Profile name',
    default: suggested,
    flag: '--profile',
    validate: (value) => profileWriteProblem(files, value, write, startUrl)?.message,
  });
}

import { unlink } from 'node:fs/promises';
import type { SSOClient } from '@aws-sdk/client-sso';
import type { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import type { Deps } from '../deps.js';
import { isCi } from '../is-ci.js';
import { awsFilePaths } from '../aws-files/paths.js';
import type { AwsFilePaths } from '../aws-files/paths.js';
import { readAwsFiles } from '../aws-files/profiles.js';
import { assertValidSectionName } from '../aws-files/sections.js';
import { CliError, FileError, InterruptedError, LoginFailedError, LoginRequiredError, UsageError } from '../errors.js';
import type { AwsCredentials } from '../output/credentials.js';
import { chooseAccount, chooseRole } from './choose-role.js';
import { getClientRegistration, type RegistrationResult } from './client-registration.js';
import { runDeviceFlow } from './device-flow.js';
import { loginProgress } from './login-progress.js';
import type { WriteTarget } from './login-output.js';
import { assertProfileWritable, renderForStdout, writeCredentialsProfile, writeSsoProfile } from './login-output.js';
import type { SsoAccount } from './portal.js';
import { getRoleCredentials, listAllAccounts, listAllRoles } from './portal.js';
import { assertRegion, resolveSsoSettings } from './session-config.js';
import { writeCachedRoleCredentials } from './role-credentials-cache.js';
import { getCachedAccessToken, REFRESH_WINDOW_MS } from './session-token.js';
import { errorName, ssoError } from './sso-errors.js';
import type { SsoSessionRef, SsoToken } from './token-cache.js';
import { formatCacheTimestamp, registrationCachePath, tokenCachePath, writeToken } from './token-cache.js';

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
}

export type SsoLoginDeps = Pick<
  Deps,
  'env' | 'homeDir' | 'stdout' | 'stderr' | 'clock' | 'prompter' | 'aws' | 'openUrl' | 'signal'
> & { platform?: NodeJS.Platform };

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
 * `awskeys sso login`: a usable SSO token (the cached one, refreshed if near expiry, or a new
 * device-flow login), then an account and a role, then role credentials written where --write says.
 */
export async function ssoLogin(options: SsoLoginOptions, deps: SsoLoginDeps): Promise<SsoLoginResult> {
  if (options.accountId !== undefined && !/^\d{12}$/.test(options.accountId)) {
    throw new UsageError(`Invalid --account-id ${JSON.stringify(options.accountId)}: expected 12 digits.`);
  }
  if (options.profileRegion !== undefined) assertRegion(options.profileRegion);
  if (options.profile !== undefined) assertValidSectionName(options.profile);
  const paths = awsFilePaths(deps.env, deps.homeDir);
  const resolved = resolveSsoSettings(await readAwsFiles(paths), options);
  const { ref } = resolved;
  // Only a profile whose SSO settings are the ones in use says which account and role it wants.
  const sourceProfile = options.startUrl === undefined && options.sessionName === undefined ? resolved.profile : undefined;
  const writesFile = options.write === 'config' || options.write === 'credentials';
  if (writesFile && options.profile !== undefined) await assertProfileWritable(paths, options.profile, options.write);

  const session: SessionContext = { ref, paths, profile: options.profile, browser: options.browser, deps };
  // Once a good token is in the cache, "nothing was written" is no longer true of a Ctrl-C.
  let loggedIn = false;
  try {
    let { token, fromCache } = await sessionToken(session, options.force);
    loggedIn = true;
    const sso = await deps.aws.sso(ref.region);
    let accounts;
    try {
      accounts = await listAllAccounts(sso, token.accessToken, deps.signal);
    } catch (err) {
      // The cache said the token was good but the service disagrees (signed out elsewhere): log in again.
      if (!(fromCache && errorName(err) === 'UnauthorizedException')) {
        throw ssoError(err, 'Listing SSO accounts', ref, options.profile);
      }
      deps.stderr.write('The cached SSO token was not accepted; logging in again.\n');
      loggedIn = false;
      ({ token, fromCache } = await sessionToken(session, true));
      loggedIn = true;
      accounts = await listAllAccounts(sso, token.accessToken, deps.signal).catch((e: unknown) => {
        throw ssoError(e, 'Listing SSO accounts', ref, options.profile);
      });
    }
    return await chooseAndWrite(options, deps, { ref, paths, sso, token, accounts, sourceProfile });
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
  accounts: SsoAccount[];
  /** The profile whose SSO settings are in use: it says which account and role it wants. */
  sourceProfile: Record<string, string> | undefined;
}

/** With a token in hand: the account, the role, their credentials, and the --write target. */
async function chooseAndWrite(options: SsoLoginOptions, deps: SsoLoginDeps, session: LoggedIn): Promise<SsoLoginResult> {
  const { ref, paths, sso, token, accounts, sourceProfile } = session;

  // An existing SSO profile remembers its account and role: `sso login --profile P` reuses them.
  const choices = { prompter: deps.prompter, stderr: deps.stderr };
  const account = await chooseAccount(accounts, options.accountId ?? sourceProfile?.sso_account_id, choices);
  const roles = await listAllRoles(sso, token.accessToken, account.accountId, deps.signal).catch((e: unknown) => {
    throw ssoError(e, `Listing roles in ${account.accountId}`, ref, options.profile);
  });
  const keepRole = account.accountId === sourceProfile?.sso_account_id ? sourceProfile.sso_role_name : undefined;
  const roleName = await chooseRole(roles, account, options.roleName ?? keepRole, choices);
  const credentials = await getRoleCredentials(sso, token.accessToken, account.accountId, roleName, deps.signal).catch(
    (e: unknown) => {
      throw ssoError(e, `Getting credentials for ${roleName} in ${account.accountId}`, ref, options.profile);
    },
  );
  await cacheForLaterUse(paths, ref, account.accountId, roleName, credentials, deps.stderr);
  const region = options.profileRegion ?? sourceProfile?.region;
  const result = { credentials, accountId: account.accountId, roleName };

  if (options.write === 'env' || options.write === 'json') {
    return { ...result, stdout: renderForStdout(options.write, credentials, region ?? ref.region) };
  }
  const profileName = options.profile ?? (await askProfileName(`${roleName}-${account.accountId}`, deps));
  if (options.profile === undefined) await assertProfileWritable(paths, profileName, options.write);
  if (options.write === 'config') {
    await writeSsoProfile(paths, profileName, { ref, accountId: account.accountId, roleName, region }, deps);
  } else {
    await writeCredentialsProfile(paths, profileName, credentials, deps);
  }
  return { ...result, profile: profileName };
}

/**
 * The credentials just fetched go into the role-credential cache (the AWS CLI's), so the first
 * `awskeys env` / `credential-process` / `aws` call for this role after a login needs no network.
 * Best effort: a cache that cannot be written costs a later call, not this login.
 */
async function cacheForLaterUse(
  paths: AwsFilePaths,
  ref: SsoSessionRef,
  accountId: string,
  roleName: string,
  credentials: AwsCredentials,
  stderr: Deps['stderr'],
): Promise<void> {
  const { sessionToken, expiration } = credentials;
  if (sessionToken === undefined || expiration === undefined) return;
  const key = { accountId, roleName, sessionName: ref.sessionName, startUrl: ref.startUrl };
  try {
    await writeCachedRoleCredentials(paths.cliCacheDir, key, { ...credentials, sessionToken, expiration });
  } catch (err) {
    stderr.write(`awskeys: warning: could not cache the role credentials: ${(err as Error).message}\n`);
  }
}

interface SessionContext {
  ref: SsoSessionRef;
  paths: AwsFilePaths;
  profile: string | undefined;
  browser: boolean;
  deps: SsoLoginDeps;
}

/** The cached token when it has more than 15 minutes left (after a refresh if needed), else a login. */
async function sessionToken(ctx: SessionContext, force: boolean): Promise<{ token: SsoToken; fromCache: boolean }> {
  const { deps, ref } = ctx;
  if (!force) {
    try {
      const cached = await getCachedAccessToken(
        ref,
        { ssoCacheDir: ctx.paths.ssoCacheDir, aws: deps.aws, clock: deps.clock, signal: deps.signal },
        { profile: ctx.profile },
      );
      const left = cached.expiresAt.getTime() - deps.clock.now().getTime();
      if (left > REFRESH_WINDOW_MS) {
        deps.stderr.write(`Using the cached SSO login (valid for ${duration(left)}); --force logs in again.\n`);
        return { token: cached, fromCache: true };
      }
    } catch (err) {
      // No token, an expired one, or an unreadable cache file: a new login replaces it.
      if (!(err instanceof LoginRequiredError || err instanceof FileError)) throw err;
    }
  }
  return { token: await deviceLogin(ctx), fromCache: false };
}

async function deviceLogin(ctx: SessionContext): Promise<SsoToken> {
  const { deps, ref, paths } = ctx;
  if (deps.signal.aborted) throw new InterruptedError();
  const oidc = await deps.aws.ssoOidc(ref.region);
  const registrationDeps = { ssoCacheDir: paths.ssoCacheDir, oidc, clock: deps.clock, signal: deps.signal };
  const action = 'SSO login';
  try {
    let registration = await getClientRegistration(ref, registrationDeps);
    let flow;
    try {
      flow = await runFlow(ctx, oidc, registration);
    } catch (err) {
      // A cached registration the service no longer knows: register afresh, once.
      if (!(registration.cached && errorName(err) === 'InvalidClientException')) throw err;
      registration = await getClientRegistration(ref, registrationDeps, { ignoreCache: true });
      flow = await runFlow(ctx, oidc, registration);
    }
    const token: SsoToken = {
      startUrl: ref.startUrl,
      region: ref.region,
      accessToken: flow.accessToken,
      expiresAt: new Date(deps.clock.now().getTime() + flow.expiresInSeconds * 1000),
      clientId: registration.registration.clientId,
      clientSecret: registration.registration.clientSecret,
      registrationExpiresAt: registration.registration.expiresAt,
      refreshToken: flow.refreshToken,
    };
    await registration.save();
    await writeToken(tokenCachePath(paths.ssoCacheDir, ref), token);
    const name = ref.sessionName !== undefined ? `session "${ref.sessionName}"` : ref.startUrl;
    deps.stderr.write(`Logged in to SSO ${name}; the token is valid until ${formatCacheTimestamp(token.expiresAt)}.\n`);
    return token;
  } catch (err) {
    if (err instanceof LoginFailedError && errorName(err.cause) === 'InvalidClientException') {
      // Stale in the shared cache too: drop it so the next login registers a new client.
      await unlink(registrationCachePath(paths.ssoCacheDir, ref)).catch(() => undefined);
    }
    throw err instanceof CliError ? err : ssoError(err, action, ref, ctx.profile);
  }
}

function runFlow(ctx: SessionContext, oidc: SSOOIDCClient, registration: RegistrationResult) {
  const { deps } = ctx;
  const blocked = noBrowserReason(ctx.browser, deps.env, deps.platform ?? process.platform);
  return runDeviceFlow(ctx.ref.startUrl, registration.registration, {
    oidc,
    clock: deps.clock,
    signal: deps.signal,
    progress: loginProgress(deps.stderr, deps.clock),
    openBrowser: blocked === undefined ? (url) => deps.openUrl(url) : undefined,
    noBrowserReason: blocked,
  });
}

/** Why no browser is opened, or undefined to open one (as aws-vault and the AWS CLI decide). */
export function noBrowserReason(browser: boolean, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  if (!browser) return '--no-browser';
  if (isCi(env)) return 'running in CI';
  if (env.SSH_CONNECTION || env.SSH_TTY) return 'SSH session';
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return 'no display';
  return undefined;
}

/** On a terminal the profile name is asked, with `aws configure sso`'s default; otherwise the default. */
async function askProfileName(suggested: string, deps: SsoLoginDeps): Promise<string> {
  if (!deps.prompter.interactive) return suggested;
  return deps.prompter.input({
    name: 'sso-login.profile-name',
    message: 'Profile name',
    default: suggested,
    flag: '--profile',
    validate: (value) => {
      try {
        assertValidSectionName(value);
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    },
  });
}

function duration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
}

import { unlink } from 'node:fs/promises';
import type { Deps } from '../app/deps.js';
import { awsFilePaths } from '../aws-files/paths.js';
import { CliError, FileError, InterruptedError, LoginFailedError, LoginRequiredError } from '../errors/cli-error.js';
import { authCodeFlow } from './auth-code-flow.js';
import { getClientRegistration, type FlowKind, type RegistrationResult } from './client-registration.js';
import { deviceCodeFlow } from './device-flow.js';
import { realHostFacts } from '../app/host-facts.js';
import { headlessReason } from './headless.js';
import { chooseFlowKind, type FlowChoice, type FlowContext, type LoginFlow } from './login-flow.js';
import { loginProgress } from './login-progress.js';
import { getCachedAccessToken, REFRESH_WINDOW_MS } from './session-token.js';
import { errorName, ssoError } from './sso-errors.js';
import type { SsoSessionRef, SsoToken } from './token-cache.js';
import { registrationCachePath, tokenCachePath, writeToken } from './token-cache.js';
import { formatTimestamp } from '../util/timestamp.js';

export interface EnsureTokenOptions {
  /** Log in even when the cached token is still good (`sso login --force`). */
  force: boolean;
  /** --use-device-code / --use-auth-code, or undefined to decide. */
  flow: FlowChoice;
  /** false with --no-browser: print the URL and keep waiting. */
  browser: boolean;
  /** The profile the user named, for hints. */
  profile?: string | undefined;
  /** How long the authorization-code flow waits for the browser (default 10 min). */
  authTimeoutMs?: number | undefined;
}

/** Messages and the waiting line's live timer go through `report` (loginProgress). */
export type EnsureTokenDeps = Pick<Deps, 'env' | 'homeDir' | 'report' | 'clock' | 'aws' | 'openUrl' | 'signal' | 'listenLoopback' | 'host'>;

export interface EnsuredToken {
  token: SsoToken;
  /** Taken from the cache (so a portal that refuses it means: log in again). */
  fromCache: boolean;
}

const FLOWS: Record<FlowKind, LoginFlow> = { 'device-code': deviceCodeFlow, 'auth-code': authCodeFlow };

/**
 * A usable SSO token for a session, as a service (`sso login`, `sso populate`): the cached one
 * when it has more than 15 minutes left (refreshed first when near expiry), otherwise a new login
 * with the flow chooseFlowKind picks, written to the AWS CLI's token cache. Ctrl-C while waiting
 * writes nothing.
 */
export async function ensureSsoToken(ref: SsoSessionRef, options: EnsureTokenOptions, deps: EnsureTokenDeps): Promise<EnsuredToken> {
  const ssoCacheDir = awsFilePaths(deps.env, deps.homeDir).ssoCacheDir;
  if (!options.force) {
    try {
      const cached = await getCachedAccessToken(
        ref,
        { ssoCacheDir, aws: deps.aws, clock: deps.clock, signal: deps.signal, warn: (text) => deps.report.warn(text) },
        { profile: options.profile },
      );
      const left = cached.expiresAt.getTime() - deps.clock.now().getTime();
      if (left > REFRESH_WINDOW_MS) {
        deps.report.info(`Using the cached SSO login (valid for ${duration(left)}); --force logs in again.`);
        return { token: cached, fromCache: true };
      }
    } catch (err) {
      // No token, an expired one, or an unreadable cache file: a new login replaces it.
      if (!(err instanceof LoginRequiredError || err instanceof FileError)) throw err;
    }
  }
  return { token: await newLogin(ref, options, deps, ssoCacheDir), fromCache: false };
}

async function newLogin(ref: SsoSessionRef, options: EnsureTokenOptions, deps: EnsureTokenDeps, ssoCacheDir: string): Promise<SsoToken> {
  if (deps.signal.aborted) throw new InterruptedError();
  const host = deps.host ?? realHostFacts(deps.env);
  const choice = chooseFlowKind(ref, options.flow, deps.env, host);
  const flow = FLOWS[choice.kind];
  if (choice.reason !== undefined) {
    deps.report.info(`Signing in with a code (device flow): ${choice.reason}; --use-auth-code uses a browser here instead.`);
  }
  const oidc = await deps.aws.ssoOidc(ref.region);
  const registrationDeps = { ssoCacheDir, oidc, clock: deps.clock, signal: deps.signal };
  const blocked = !options.browser ? '--no-browser' : headlessReason(deps.env, host);
  const ctx: FlowContext = {
    oidc,
    clock: deps.clock,
    signal: deps.signal,
    progress: loginProgress(deps.report, deps.clock),
    openBrowser: blocked === undefined ? (url) => deps.openUrl(url) : undefined,
    noBrowserReason: blocked,
    listenLoopback: deps.listenLoopback,
    authTimeoutMs: options.authTimeoutMs,
  };
  const register = (ignoreCache: boolean) =>
    getClientRegistration(ref, flow.kind, flow.registerRequest(ref, deps.clock.now()), registrationDeps, { ignoreCache });
  try {
    let registration = await register(false);
    noteReplacement(registration, deps);
    let result;
    try {
      result = await flow.run(ref, registration.registration, ctx);
    } catch (err) {
      // A cached registration the service no longer knows: register afresh, once.
      if (!(registration.cached && errorName(err) === 'InvalidClientException')) throw err;
      registration = await register(true);
      result = await flow.run(ref, registration.registration, ctx);
    }
    const token: SsoToken = {
      startUrl: ref.startUrl,
      region: ref.region,
      accessToken: result.accessToken,
      expiresAt: new Date(deps.clock.now().getTime() + result.expiresInSeconds * 1000),
      clientId: registration.registration.clientId,
      clientSecret: registration.registration.clientSecret,
      registrationExpiresAt: registration.registration.expiresAt,
      refreshToken: result.refreshToken,
    };
    const warnings = [...(await registration.save()), ...(await writeToken(tokenCachePath(ssoCacheDir, ref), token))];
    for (const warning of warnings) deps.report.warn(warning);
    const name = ref.sessionName !== undefined ? `session "${ref.sessionName}"` : ref.startUrl;
    deps.report.info(`Logged in to SSO ${name}; the token is valid until ${formatTimestamp(token.expiresAt)}.`);
    return token;
  } catch (err) {
    if (err instanceof LoginFailedError && errorName(err.cause) === 'InvalidClientException') {
      // Stale in the shared cache too: drop it so the next login registers a new client.
      await unlink(registrationCachePath(ssoCacheDir, ref)).catch(() => undefined);
    }
    throw err instanceof CliError ? err : ssoError(err, 'SSO login', ref, options.profile);
  }
}

/** The AWS CLI keeps one registration per session; switching flows replaces it. Say so. */
function noteReplacement(registration: RegistrationResult, deps: EnsureTokenDeps): void {
  if (registration.replaces === undefined) return;
  const was = registration.replaces === 'auth-code' ? 'authorization-code (PKCE)' : 'device-code';
  const now = registration.replaces === 'auth-code' ? 'a device-code' : 'an authorization-code (PKCE)';
  deps.report.info(`Note: this session's cached ${was} client registration (shared with the AWS CLI) will be replaced by ${now} one once you sign in.`);
}

function duration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
}

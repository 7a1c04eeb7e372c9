import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AwsClients } from '../aws-sdk/aws-clients.js';
import { withFileLock } from '../aws-files/lock.js';
import type { Clock } from '../app/clock.js';
import { CliError, FileError, InterruptedError, LoginRequiredError, NetworkError } from '../errors/cli-error.js';
import { toCliError } from '../aws-sdk/aws-errors.js';
import { shellWord } from '../text/shell-word.js';
import { normalStartUrl } from './sso-profile.js';
import { loginCommand } from './login-command.js';
import type { SsoSessionRef, SsoToken } from './token-cache.js';
import { readToken, tokenCachePath, writeToken } from './token-cache.js';

/** botocore and the AWS CLI refresh (and `sso login` stops reusing) a token 15 minutes before it expires. */
export const REFRESH_WINDOW_MS = 15 * 60 * 1000;

export interface SessionTokenDeps {
  ssoCacheDir: string;
  aws: Pick<AwsClients, 'ssoOidc'>;
  clock: Clock;
  signal?: AbortSignal | undefined;
  /** A warning for the user (the text only), e.g. that a refresh could not be saved. Default: silent. */
  warn?: ((line: string) => void) | undefined;
}

/** How long to wait for another process's refresh of the same session (each takes one call). */
const REFRESH_LOCK_TIMEOUT_MS = 60_000;

export interface SessionTokenOptions {
  /** Refresh when less than this is left. Default 15 minutes, like botocore. */
  refreshWindowMs?: number | undefined;
  /** The profile being used, so the hint reads `awskeys sso login --profile P`. */
  profile?: string | undefined;
}

/**
 * A usable access token for an SSO session from the shared cache, never logging in: returned as
 * is with more than the window left; refreshed with its refresh token when near expiry (sessions
 * only: botocore never refreshes legacy tokens) and written back; still returned when the refresh
 * fails but the token has not expired yet. Otherwise LoginRequiredError (exit 9) naming the login
 * command.
 */
export async function getCachedAccessToken(
  ref: SsoSessionRef,
  deps: SessionTokenDeps,
  options: SessionTokenOptions = {},
): Promise<SsoToken> {
  const path = tokenCachePath(deps.ssoCacheDir, ref);
  const hint = `run: ${loginCommand(ref, options.profile)}`;
  const what = ref.sessionName !== undefined ? `SSO session "${ref.sessionName}"` : `SSO start URL ${ref.startUrl}`;
  const window = options.refreshWindowMs ?? REFRESH_WINDOW_MS;
  const token = await readUsable(path, ref, what, hint);
  const now = deps.clock.now().getTime();
  const left = token.expiresAt.getTime() - now;
  if (left > window) return token;

  let refreshError: unknown;
  if (ref.sessionName !== undefined && canRefresh(token, now)) {
    try {
      return await refreshOnce(path, ref, { what, hint, stale: expiringWithin(window, deps.clock) }, deps);
    } catch (err) {
      if (err instanceof InterruptedError || (err instanceof CliError && !(err instanceof NetworkError))) {
        if (!(err instanceof FileError && left > 0)) throw err;
        // The refreshed token could not be kept: the current one still works for now.
        deps.warn?.(err.message);
      }
      refreshError = err;
    }
  }
  if (left > 0) return token;
  if (refreshError instanceof NetworkError) throw refreshError;
  throw new LoginRequiredError(`The ${what} has expired${refreshError ? ' and could not be refreshed' : ''}.`, {
    hint,
    cause: refreshError,
  });
}

/**
 * The portal refused `rejected`, an access token the cache still calls valid (revoked or expired
 * early on the server, a clock running behind): one refresh, under the same lock as the refresh
 * near expiry, before the caller's one retry. A token that another process has put in the cache
 * meanwhile is used as it is, so twelve runs refused together spend the refresh token once.
 * LoginRequiredError when the session cannot be refreshed (a legacy profile, no refresh token,
 * the refresh refused too), NetworkError when the service cannot be reached.
 */
export async function refreshRejectedToken(ref: SsoSessionRef, rejected: string, deps: SessionTokenDeps, options: SessionTokenOptions = {}): Promise<SsoToken> {
  const path = tokenCachePath(deps.ssoCacheDir, ref);
  const hint = `run: ${loginCommand(ref, options.profile)}`;
  const what = ref.sessionName !== undefined ? `SSO session "${ref.sessionName}"` : `SSO start URL ${ref.startUrl}`;
  const refused = `IAM Identity Center no longer accepts the ${what}`;
  const token = await readUsable(path, ref, what, hint);
  const window = options.refreshWindowMs ?? REFRESH_WINDOW_MS;
  const expiring = expiringWithin(window, deps.clock);
  if (token.accessToken !== rejected && !expiring(token)) return token;
  if (ref.sessionName === undefined || !canRefresh(token, deps.clock.now().getTime())) {
    throw new LoginRequiredError(`${refused}, and it cannot be refreshed.`, { hint });
  }
  try {
    return await refreshOnce(path, ref, { what, hint, stale: (t) => t.accessToken === rejected || expiring(t) }, deps);
  } catch (err) {
    if (err instanceof InterruptedError || err instanceof NetworkError || err instanceof FileError) throw err;
    throw new LoginRequiredError(`${refused}, and the refresh was refused too.`, { hint, cause: err });
  }
}

function expiringWithin(window: number, clock: Clock): (token: SsoToken) => boolean {
  return (token) => token.expiresAt.getTime() - clock.now().getTime() <= window;
}

/** The cached token for `ref`, or LoginRequiredError; a damaged file's hint names the login that replaces it. */
async function readUsable(path: string, ref: SsoSessionRef, what: string, hint: string): Promise<SsoToken> {
  let token;
  try {
    token = await readToken(path);
  } catch (err) {
    if (!(err instanceof FileError)) throw err;
    throw new FileError(err.message, { hint: `delete it and log in again: rm ${shellWord(path)} && ${hint.replace(/^run: /, '')}`, cause: err });
  }
  if (!token) throw new LoginRequiredError(`Not logged in to the ${what}.`, { hint });
  if (token.startUrl !== '' && normalStartUrl(token.startUrl) !== normalStartUrl(ref.startUrl)) {
    throw new LoginRequiredError(`The cached token for the ${what} was issued for another start URL (${token.startUrl}).`, {
      hint,
    });
  }
  return token;
}

/**
 * One refresh for many processes. A refresh token works once (the service rotates it), so
 * parallel credential_process runs must not each spend it: under a lock on the token file, the
 * cache is read again, and a token another process has just refreshed is used as is. A refresh
 * that fails is followed by one more read (the AWS CLI, which takes no lock, may have refreshed
 * it meanwhile). Before spending the refresh token, the cache must be writable: a refreshed
 * token that cannot be saved would leave the file holding a spent refresh token.
 */
async function refreshOnce(
  path: string,
  ref: SsoSessionRef,
  ctx: { what: string; hint: string; stale: (token: SsoToken) => boolean },
  deps: SessionTokenDeps,
): Promise<SsoToken> {
  await assertWritable(path);
  return withFileLock(
    path,
    async () => {
      const current = await readUsable(path, ref, ctx.what, ctx.hint);
      if (!ctx.stale(current)) return current;
      if (!canRefresh(current, deps.clock.now().getTime())) throw new LoginRequiredError(`The ${ctx.what} cannot be refreshed.`, { hint: ctx.hint });
      let refreshed;
      try {
        refreshed = await refreshToken(current, ref, deps);
      } catch (err) {
        const again = await readUsable(path, ref, ctx.what, ctx.hint).catch(() => undefined);
        if (again && again.accessToken !== current.accessToken && !ctx.stale(again)) {
          return again;
        }
        throw err;
      }
      for (const warning of await writeToken(path, refreshed)) deps.warn?.(warning);
      return refreshed;
    },
    { clock: deps.clock, signal: deps.signal, timeoutMs: REFRESH_LOCK_TIMEOUT_MS },
  );
}

/** The folder (for the atomic rename and the lock) and the file itself must accept writes. */
async function assertWritable(path: string): Promise<void> {
  for (const target of [dirname(path), path]) {
    try {
      await access(target, constants.W_OK);
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT' && target === path) continue;
      throw new FileError(`The SSO token cache ${target} is not writable, so a refreshed token could not be saved; it was not refreshed.`, {
        hint: `make it writable (chmod u+w ${shellWord(target)}), or log in again once it is`,
        cause: err,
      });
    }
  }
}

/** botocore's preconditions: a refresh token and a registration that has not expired. */
function canRefresh(token: SsoToken, now: number): boolean {
  return Boolean(
    token.refreshToken &&
      token.clientId &&
      token.clientSecret &&
      token.registrationExpiresAt &&
      token.registrationExpiresAt.getTime() > now,
  );
}

async function refreshToken(token: SsoToken, ref: SsoSessionRef, deps: SessionTokenDeps): Promise<SsoToken> {
  // Loaded on demand: `awskeys env` reads this module on every run, and most runs need no refresh.
  const { CreateTokenCommand } = await import('@aws-sdk/client-sso-oidc');
  const oidc = await deps.aws.ssoOidc(ref.region);
  let response;
  try {
    response = await oidc.send(
      new CreateTokenCommand({
        clientId: token.clientId,
        clientSecret: token.clientSecret,
        grantType: 'refresh_token',
        refreshToken: token.refreshToken,
      }),
      { abortSignal: deps.signal },
    );
  } catch (err) {
    if ((err as { name?: string }).name === 'AbortError') throw new InterruptedError();
    const mapped = toCliError(err, 'Refreshing the SSO token');
    // Only an unreachable service is reported as such; any refusal means "log in again".
    if (mapped instanceof NetworkError) throw mapped;
    throw err;
  }
  if (!response.accessToken || response.expiresIn === undefined) {
    throw new Error('CreateToken returned no access token');
  }
  // Written back as botocore does: a refresh token absent from the response is dropped.
  return {
    startUrl: ref.startUrl,
    region: ref.region,
    accessToken: response.accessToken,
    expiresAt: new Date(deps.clock.now().getTime() + response.expiresIn * 1000),
    clientId: token.clientId,
    clientSecret: token.clientSecret,
    registrationExpiresAt: token.registrationExpiresAt,
    refreshToken: response.refreshToken,
  };
}

import type { AwsClients } from '../aws-clients.js';
import type { Clock } from '../clock.js';
import { CliError, InterruptedError, LoginRequiredError, NetworkError } from '../errors.js';
import { toCliError } from '../aws-errors.js';
import { loginCommand } from './sso-errors.js';
import type { SsoSessionRef, SsoToken } from './token-cache.js';
import { readToken, tokenCachePath, writeToken } from './token-cache.js';

/** botocore and the AWS CLI refresh (and `sso login` stops reusing) a token 15 minutes before it expires. */
export const REFRESH_WINDOW_MS = 15 * 60 * 1000;

export interface SessionTokenDeps {
  ssoCacheDir: string;
  aws: Pick<AwsClients, 'ssoOidc'>;
  clock: Clock;
  signal?: AbortSignal | undefined;
}

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
  const token = await readToken(path);
  if (!token) throw new LoginRequiredError(`Not logged in to the ${what}.`, { hint });
  if (token.startUrl !== '' && token.startUrl !== ref.startUrl) {
    throw new LoginRequiredError(`The cached token for the ${what} was issued for another start URL (${token.startUrl}).`, {
      hint,
    });
  }
  const now = deps.clock.now().getTime();
  const left = token.expiresAt.getTime() - now;
  if (left > (options.refreshWindowMs ?? REFRESH_WINDOW_MS)) return token;

  let refreshError: unknown;
  if (ref.sessionName !== undefined && canRefresh(token, now)) {
    try {
      const refreshed = await refreshToken(token, ref, deps);
      await writeToken(path, refreshed);
      return refreshed;
    } catch (err) {
      if (err instanceof InterruptedError || (err instanceof CliError && !(err instanceof NetworkError))) throw err;
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

import type { AwsClients } from '../aws-sdk/aws-clients.js';
import type { Clock } from '../app/clock.js';
import { AwsServiceError, CliError, LoginRequiredError, NotFoundError } from '../errors/cli-error.js';
import type { AwsCredentials } from '../output/credentials.js';
import type { Reporter } from '../app/reporter.js';
import { loginCommand } from './login-command.js';
import { readCachedRoleCredentials, writeCachedRoleCredentials, type RoleCacheKey } from './role-credentials-cache.js';
import type { SsoRoleTarget } from './sso-profile.js';

export type { SsoRoleTarget } from './sso-profile.js';

export interface RoleCredentialsDeps {
  aws: AwsClients;
  clock: Clock;
  ssoCacheDir: string;
  cliCacheDir: string;
  /** Only for the warning when the cache cannot be written. */
  report: Pick<Reporter, 'warn'>;
}

/** Role credentials always carry a session token and an expiration. */
export type RoleCredentials = AwsCredentials & { sessionToken: string; expiration: Date };

/**
 * The role's credentials from the role-credential cache when they are good for more than five
 * minutes: no network and no SDK load. Otherwise the cached SSO access token (refreshed when near
 * expiry; LoginRequiredError when a new login is needed, never a prompt), GetRoleCredentials, and
 * the result cached for the next call.
 */
export async function getRoleCredentials(target: SsoRoleTarget, deps: RoleCredentialsDeps): Promise<AwsCredentials> {
  const key = cacheKeyOf(target);
  const cached = await readCachedRoleCredentials(deps.cliCacheDir, key, deps.clock.now());
  if (cached) return cached;

  // Loaded only on a cache miss: the token logic and the SDK are the slow part of startup.
  const { getCachedAccessToken, refreshRejectedToken } = await import('./session-token.js');
  const tokenDeps = { ssoCacheDir: deps.ssoCacheDir, aws: deps.aws, clock: deps.clock, warn: (text: string) => deps.report.warn(text) };
  const token = await getCachedAccessToken(target, tokenDeps, { profile: target.profile });
  let creds;
  try {
    creds = await fetchRoleCredentials(target, token.accessToken, deps.aws);
  } catch (err) {
    if (!(err instanceof PortalRejectedToken)) throw err;
    // A token the cache calls valid that the portal refuses (revoked or expired early on the
    // server, a clock behind): one refresh and one retry before "log in again" (issue 18, item 3).
    const refreshed = await refreshRejectedToken(target, token.accessToken, tokenDeps, { profile: target.profile });
    creds = await fetchRoleCredentials(target, refreshed.accessToken, deps.aws).catch((again: unknown) => {
      throw again instanceof PortalRejectedToken ? again.loginRequired : again;
    });
  }
  try {
    for (const warning of await writeCachedRoleCredentials(deps.cliCacheDir, key, creds)) deps.report.warn(warning);
  } catch (err) {
    // The credentials are good; a cache that cannot be written only costs the next call time.
    const reason = err instanceof CliError ? err.message : String(err);
    deps.report.warn(`role credentials not cached: ${reason}`);
  }
  return creds;
}

export function cacheKeyOf(target: SsoRoleTarget): RoleCacheKey {
  return {
    accountId: target.accountId,
    roleName: target.roleName,
    sessionName: target.sessionName,
    startUrl: target.startUrl,
  };
}

async function fetchRoleCredentials(target: SsoRoleTarget, accessToken: string, aws: AwsClients): Promise<RoleCredentials> {
  const action = `Getting credentials for role ${target.roleName} in account ${target.accountId}`;
  const client = await aws.sso(target.region);
  const { GetRoleCredentialsCommand } = await import('@aws-sdk/client-sso');
  const { toCliError } = await import('../aws-sdk/aws-errors.js');
  let out;
  try {
    out = await client.send(
      new GetRoleCredentialsCommand({ accessToken, accountId: target.accountId, roleName: target.roleName }),
    );
  } catch (err) {
    if ((err as { name?: string }).name === 'UnauthorizedException') {
      // The portal no longer accepts the token (signed out elsewhere, or revoked).
      throw new PortalRejectedToken(
        new LoginRequiredError(`The SSO session for profile ${target.profile} is no longer valid.`, {
          hint: `run: ${loginCommand(target, target.profile)}`,
          cause: err,
        }),
      );
    }
    if ((err as { name?: string }).name === 'ForbiddenException') {
      // What the portal answers for a role the user is not assigned to, whatever the reason.
      throw new NotFoundError(`${action}: IAM Identity Center gives you no such role.`, {
        hint: `check sso_account_id and sso_role_name of profile ${target.profile}`,
        cause: err,
      });
    }
    throw toCliError(err, action);
  }
  const rc = out.roleCredentials;
  if (!rc?.accessKeyId || !rc.secretAccessKey || !rc.sessionToken || rc.expiration === undefined) {
    throw new AwsServiceError(`${action}: the SSO portal answered without complete credentials.`);
  }
  return {
    accessKeyId: rc.accessKeyId,
    secretAccessKey: rc.secretAccessKey,
    sessionToken: rc.sessionToken,
    // epoch milliseconds on the wire (protocol-reference section 2)
    expiration: new Date(rc.expiration),
    accountId: target.accountId,
  };
}

/** GetRoleCredentials refused the access token (401); `loginRequired` is what the user sees when a refresh does not help. */
class PortalRejectedToken extends Error {
  constructor(readonly loginRequired: LoginRequiredError) {
    super(loginRequired.message, { cause: loginRequired });
  }
}

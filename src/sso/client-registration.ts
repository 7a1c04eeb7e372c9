import type { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import type { Clock } from '../clock.js';
import type { ClientRegistration, SsoSessionRef } from './token-cache.js';
import { readRegistration, registrationCachePath, writeRegistration } from './token-cache.js';

/** The AWS CLI re-registers when less than this is left on the cached registration. */
const REGISTRATION_WINDOW_MS = 15 * 60 * 1000;

export interface RegistrationResult {
  registration: ClientRegistration;
  /** Taken from the AWS CLI's registration cache (so a rejection may mean it went stale). */
  cached: boolean;
  /** Writes a new registration to the cache; a no-op for a cached one. Called once login succeeds. */
  save(): Promise<void>;
}

/**
 * The device-flow client registration, shared with the AWS CLI through its cache file: reused until
 * 15 minutes before it expires, otherwise RegisterClient (public client; scopes only when the
 * session has them, like the CLI's device flow). Saving is left to the caller so an interrupted
 * login writes nothing.
 */
export async function getClientRegistration(
  ref: SsoSessionRef,
  deps: { ssoCacheDir: string; oidc: SSOOIDCClient; clock: Clock; signal?: AbortSignal | undefined },
  options: { ignoreCache?: boolean } = {},
): Promise<RegistrationResult> {
  const path = registrationCachePath(deps.ssoCacheDir, ref);
  const now = deps.clock.now().getTime();
  const cached = options.ignoreCache ? undefined : await readRegistration(path);
  if (cached && cached.expiresAt.getTime() - now > REGISTRATION_WINDOW_MS) {
    return { registration: cached, cached: true, save: () => Promise.resolve() };
  }
  const { RegisterClientCommand } = await import('@aws-sdk/client-sso-oidc');
  const response = await deps.oidc.send(
    new RegisterClientCommand({
      clientName: `awskeys-client-${ref.sessionName ?? Math.floor(now / 1000)}`,
      clientType: 'public',
      ...(ref.scopes ? { scopes: ref.scopes } : {}),
    }),
    { abortSignal: deps.signal },
  );
  if (!response.clientId || !response.clientSecret || response.clientSecretExpiresAt === undefined) {
    throw new Error('RegisterClient returned no client id, secret or expiry');
  }
  const registration: ClientRegistration = {
    clientId: response.clientId,
    clientSecret: response.clientSecret,
    // clientSecretExpiresAt is in epoch seconds.
    expiresAt: new Date(response.clientSecretExpiresAt * 1000),
    scopes: ref.scopes,
  };
  return { registration, cached: false, save: () => writeRegistration(path, registration) };
}

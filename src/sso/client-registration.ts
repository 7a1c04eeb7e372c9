import type { RegisterClientCommandInput, SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import type { Clock } from '../app/clock.js';
import type { ClientRegistration, SsoSessionRef } from './token-cache.js';
import { isAuthCodeRegistration, readRegistration, registrationCachePath, writeRegistration } from './token-cache.js';

/** The AWS CLI re-registers when less than this is left on the cached registration. */
const REGISTRATION_WINDOW_MS = 15 * 60 * 1000;

/** The two login flows; each needs its own kind of client registration. */
export type FlowKind = 'device-code' | 'auth-code';

export interface RegistrationResult {
  registration: ClientRegistration;
  /** Taken from the AWS CLI's registration cache (so a rejection may mean it went stale). */
  cached: boolean;
  /** A still-valid cached registration of the other flow's kind that this one will replace. */
  replaces: FlowKind | undefined;
  /**
   * Writes a new registration to the cache; a no-op for a cached one. Called once login succeeds.
   * Returns warnings for the user (a cache file that was open to other users, now tightened).
   */
  save(): Promise<string[]>;
}

/**
 * A client registration for `kind`, shared with the AWS CLI through its cache file (one file for
 * both kinds, protocol-reference §3.3): a cached one is reused if it is of this kind and has more
 * than 15 minutes left; otherwise RegisterClient with the AWS CLI's parameters for the flow.
 * Saving is left to the caller so an interrupted login writes nothing.
 */
export async function getClientRegistration(
  ref: SsoSessionRef,
  kind: FlowKind,
  request: RegisterClientCommandInput,
  deps: { ssoCacheDir: string; oidc: SSOOIDCClient; clock: Clock; signal?: AbortSignal | undefined },
  options: { ignoreCache?: boolean } = {},
): Promise<RegistrationResult> {
  const path = registrationCachePath(deps.ssoCacheDir, ref);
  const now = deps.clock.now().getTime();
  const cached = options.ignoreCache ? undefined : await readRegistration(path);
  const live = cached && cached.expiresAt.getTime() - now > REGISTRATION_WINDOW_MS ? cached : undefined;
  const cachedKind: FlowKind | undefined = live ? (isAuthCodeRegistration(live) ? 'auth-code' : 'device-code') : undefined;
  if (live && cachedKind === kind) {
    return { registration: live, cached: true, replaces: undefined, save: () => Promise.resolve([]) };
  }
  const { RegisterClientCommand } = await import('@aws-sdk/client-sso-oidc');
  const response = await deps.oidc.send(new RegisterClientCommand(request), { abortSignal: deps.signal });
  if (!response.clientId || !response.clientSecret || response.clientSecretExpiresAt === undefined) {
    throw new Error('RegisterClient returned no client id, secret or expiry');
  }
  const registration: ClientRegistration = {
    clientId: response.clientId,
    clientSecret: response.clientSecret,
    // clientSecretExpiresAt is in epoch seconds.
    expiresAt: new Date(response.clientSecretExpiresAt * 1000),
    scopes: request.scopes,
    grantTypes: request.grantTypes,
  };
  return { registration, cached: false, replaces: cachedKind, save: () => writeRegistration(path, registration) };
}

import type { RegisterClientCommandInput, SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import type { Clock } from '../app/clock.js';
import type { ListenLoopback } from '../app/deps.js';
import { UsageError } from '../errors/cli-error.js';
import type { FlowKind } from './client-registration.js';
import type { HostFacts } from '../app/host-facts.js';
import { headlessReason } from './headless.js';
import type { LoginProgress } from './login-progress.js';
import type { ClientRegistration, SsoSessionRef } from './token-cache.js';

/** What a flow gets from the login that runs it. */
export interface FlowContext {
  oidc: SSOOIDCClient;
  clock: Clock;
  signal: AbortSignal;
  progress: LoginProgress;
  /** Opens a URL in the browser; undefined when none should be opened (noBrowserReason says why). */
  openBrowser: ((url: string) => Promise<void>) | undefined;
  noBrowserReason: string | undefined;
  /** The authorization-code flow's callback server (127.0.0.1 only). */
  listenLoopback: ListenLoopback;
  /** How long the authorization-code flow waits for the browser (default 10 min). */
  authTimeoutMs?: number | undefined;
}

/** A new access token, as CreateToken returned it. */
export interface FlowToken {
  accessToken: string;
  expiresInSeconds: number;
  refreshToken?: string | undefined;
}

/**
 * One way of getting a user's approval for a new SSO token. Both flows share everything else
 * (registration cache, token cache, errors), which lives in ensure-token.ts.
 */
export interface LoginFlow {
  readonly kind: FlowKind;
  /** The RegisterClient parameters the AWS CLI sends for this flow. */
  registerRequest(ref: SsoSessionRef, now: Date): RegisterClientCommandInput;
  run(ref: SsoSessionRef, registration: ClientRegistration, ctx: FlowContext): Promise<FlowToken>;
}

/** --use-device-code / --use-auth-code; neither: decided by the session and the machine. */
export type FlowChoice = 'device-code' | 'auth-code' | undefined;

/**
 * Which flow a login uses, and the one line that says why when it is not the default:
 * the authorization-code flow (PKCE) for sso-session logins, as the AWS CLI does since 2.22;
 * the device flow for legacy profiles (PKCE needs a named session) and on a machine whose
 * browser cannot reach 127.0.0.1 here (SSH, container, CI, no display).
 */
export function chooseFlowKind(ref: SsoSessionRef, choice: FlowChoice, env: NodeJS.ProcessEnv, host: HostFacts): { kind: FlowKind; reason?: string } {
  if (choice === 'device-code') return { kind: 'device-code' };
  if (choice === 'auth-code') {
    if (ref.sessionName === undefined) {
      throw new UsageError('--use-auth-code needs an sso-session; this profile has the legacy sso_start_url/sso_region form.', {
        hint: 'drop --use-auth-code, or move the settings into an [sso-session] with: awskeys sso login --start-url URL --region REGION',
      });
    }
    return { kind: 'auth-code' };
  }
  if (ref.sessionName === undefined) return { kind: 'device-code' };
  const headless = headlessReason(env, host);
  return headless === undefined ? { kind: 'auth-code' } : { kind: 'device-code', reason: headless };
}

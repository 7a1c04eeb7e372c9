import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { InterruptedError, LoginFailedError } from '../errors/cli-error.js';
import type { FlowContext, FlowToken, LoginFlow } from './login-flow.js';
import { listenForCallback, REGISTERED_REDIRECT_URI } from './loopback-server.js';
import { DEFAULT_SCOPES } from './session-config.js';
import { errorName, oidcDescription } from './sso-errors.js';
import { warningLine } from '../app/reporter.js';
import { resolvedEndpoint } from '../aws-sdk/endpoint-probe.js';

/** The AWS CLI's overall wait for the browser (_OVERALL_TIMEOUT). */
export const DEFAULT_AUTH_TIMEOUT_MS = 10 * 60 * 1000;
const VERIFIER_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';

/**
 * The OAuth 2.0 authorization-code grant with PKCE, as the AWS CLI (>= 2.22) runs it for
 * sso-session logins (protocol-reference §1.7, second-wave-reference §1.3-1.9): a loopback
 * listener first, then the browser on /authorize, then CreateToken with the code and verifier.
 */
export const authCodeFlow: LoginFlow = {
  kind: 'auth-code',
  registerRequest(ref) {
    return {
      clientName: `awskeys-client-${ref.sessionName ?? 'session'}`,
      clientType: 'public',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: [REGISTERED_REDIRECT_URI],
      issuerUrl: ref.startUrl,
      scopes: ref.scopes ?? DEFAULT_SCOPES,
    };
  },
  async run(ref, registration, ctx) {
    const listener = await listenForCallback(ctx.listenLoopback);
    try {
      const verifier = codeVerifier();
      const state = randomUUID();
      const base = await oidcEndpoint(ctx.oidc);
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: registration.clientId,
        redirect_uri: listener.redirectUri,
        state,
        code_challenge_method: 'S256',
        scopes: (registration.scopes ?? ref.scopes ?? DEFAULT_SCOPES).join(' '),
      });
      const url = `${base}/authorize?${query.toString()}&code_challenge=${codeChallenge(verifier)}`;
      await showUrl(url, ctx);
      let code: string;
      try {
        code = await listener.waitForCode(state, { timeoutMs: ctx.authTimeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS, signal: ctx.signal });
      } finally {
        ctx.progress.stop();
      }
      return await redeem(ctx, { clientId: registration.clientId, clientSecret: registration.clientSecret, code, verifier, redirectUri: listener.redirectUri });
    } finally {
      await listener.close();
    }
  },
};

async function showUrl(url: string, ctx: FlowContext): Promise<void> {
  const { progress } = ctx;
  progress.note(`To sign in, open this URL in a browser on this machine:\n  ${url}`);
  if (!ctx.openBrowser) {
    progress.note(`Not opening a browser (${ctx.noBrowserReason ?? 'disabled'}). From another device, run this again with --use-device-code.`);
  } else {
    try {
      await ctx.openBrowser(url);
      progress.note('Opened it in your browser. (From another device, run this again with --use-device-code.)');
    } catch (err) {
      if (err instanceof InterruptedError) throw err;
      progress.note(warningLine(`could not open a browser (${(err as Error).message}); open the URL above yourself.`));
    }
  }
  progress.startWaiting({ what: 'the sign-in in the browser', until: new Date(ctx.clock.now().getTime() + (ctx.authTimeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS)) });
}

async function redeem(
  ctx: FlowContext,
  input: { clientId: string; clientSecret: string; code: string; verifier: string; redirectUri: string },
): Promise<FlowToken> {
  const { CreateTokenCommand } = await import('@aws-sdk/client-sso-oidc');
  let token;
  try {
    token = await ctx.oidc.send(
      new CreateTokenCommand({
        clientId: input.clientId,
        clientSecret: input.clientSecret,
        grantType: 'authorization_code',
        redirectUri: input.redirectUri,
        codeVerifier: input.verifier,
        code: input.code,
      }),
      { abortSignal: ctx.signal },
    );
  } catch (err) {
    const name = errorName(err);
    if (name === 'AbortError') throw new InterruptedError();
    if (name === 'ExpiredTokenException' || name === 'InvalidGrantException') {
      throw new LoginFailedError(`IAM Identity Center did not accept the sign-in (${name}): ${oidcDescription(err)}`, {
        hint: 'run the login again',
        cause: err,
      });
    }
    throw err;
  }
  if (!token.accessToken || token.expiresIn === undefined) throw new Error('CreateToken returned no access token');
  return { accessToken: token.accessToken, expiresInSeconds: token.expiresIn, refreshToken: token.refreshToken };
}

/** 64 characters from RFC 7636's unreserved set, as the AWS CLI makes it. */
export function codeVerifier(): string {
  let out = '';
  for (let i = 0; i < 64; i += 1) out += VERIFIER_ALPHABET[randomInt(VERIFIER_ALPHABET.length)] ?? '';
  return out;
}

/** S256: base64url of the SHA-256 of the verifier, without padding. */
export function codeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * scheme://host[:port] of the SSO-OIDC endpoint the SDK would call (region, partition, FIPS,
 * AWS_ENDPOINT_URL_SSO_OIDC all applied), found by starting a RegisterClient call and stopping it
 * once the request is built (aws-sdk/endpoint-probe.ts).
 */
export async function oidcEndpoint(oidc: SSOOIDCClient): Promise<string> {
  const { RegisterClientCommand } = await import('@aws-sdk/client-sso-oidc');
  const probe = new RegisterClientCommand({ clientName: 'probe', clientType: 'public' });
  return resolvedEndpoint((command) => oidc.send(command as unknown as typeof probe), probe);
}

import { InterruptedError, LoginFailedError } from '../errors/cli-error.js';
import type { FlowContext, FlowToken, LoginFlow } from './login-flow.js';
import type { DeviceCodePrompt } from './login-progress.js';
import { errorName, oidcDescription } from './sso-errors.js';
import type { ClientRegistration } from './token-cache.js';
import { warningLine } from '../app/reporter.js';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** RFC 8628's default when the service announces no interval. */
const DEFAULT_INTERVAL_SECONDS = 5;
const SLOW_DOWN_STEP_SECONDS = 5;
/** The service answers ExpiredToken once the code expires; this only guards against one that never does. */
const EXPIRY_GRACE_MS = 60_000;

/**
 * The device flow as a login strategy. RegisterClient as the AWS CLI's device flow sends it:
 * name and type, and scopes only when the session has them (no grantTypes, no redirect).
 */
export const deviceCodeFlow: LoginFlow = {
  kind: 'device-code',
  registerRequest(ref, now) {
    return {
      clientName: `awskeys-client-${ref.sessionName ?? Math.floor(now.getTime() / 1000)}`,
      clientType: 'public',
      ...(ref.scopes ? { scopes: ref.scopes } : {}),
    };
  },
  run: (ref, registration, ctx) => runDeviceFlow(ref.startUrl, registration, ctx),
};

/**
 * The device-authorization grant as the AWS CLI runs it (protocol-reference §1.6):
 * StartDeviceAuthorization, one immediate CreateToken (pre-authorised clients), then show the code
 * and poll at the interval, 5 s slower on every SlowDown. Denial, expiry and client rejection end
 * it with LoginFailedError; Ctrl-C with InterruptedError.
 */
export async function runDeviceFlow(
  startUrl: string,
  registration: ClientRegistration,
  deps: FlowContext,
): Promise<FlowToken> {
  const { StartDeviceAuthorizationCommand, CreateTokenCommand } = await import('@aws-sdk/client-sso-oidc');
  const options = { abortSignal: deps.signal };
  const device = await deps.oidc.send(
    new StartDeviceAuthorizationCommand({
      clientId: registration.clientId,
      clientSecret: registration.clientSecret,
      startUrl,
    }),
    options,
  );
  if (!device.deviceCode || !device.userCode || !device.verificationUri || !device.verificationUriComplete) {
    throw new Error('StartDeviceAuthorization returned no device code, user code or verification URL');
  }
  const startedAt = deps.clock.now().getTime();
  const expiresAt = new Date(startedAt + (device.expiresIn ?? 600) * 1000);
  let interval = device.interval ?? DEFAULT_INTERVAL_SECONDS;
  const poll = () =>
    deps.oidc.send(
      new CreateTokenCommand({
        clientId: registration.clientId,
        clientSecret: registration.clientSecret,
        grantType: DEVICE_GRANT,
        deviceCode: device.deviceCode,
      }),
      options,
    );

  let shown = false;
  try {
    for (let attempt = 0; ; attempt += 1) {
      if (attempt > 0) {
        await deps.clock.sleep(interval * 1000, deps.signal);
        deps.progress.waiting();
      }
      try {
        const token = await poll();
        if (!token.accessToken || token.expiresIn === undefined) throw new Error('CreateToken returned no access token');
        return { accessToken: token.accessToken, expiresInSeconds: token.expiresIn, refreshToken: token.refreshToken };
      } catch (err) {
        const name = errorName(err);
        if (name === 'SlowDownException') {
          interval += SLOW_DOWN_STEP_SECONDS;
          if (shown) deps.progress.slowedDown(interval);
        } else if (name !== 'AuthorizationPendingException') {
          throw pollError(err, device.expiresIn ?? 600);
        }
      }
      if (!shown) {
        // After the first attempt, as the AWS CLI does: a pre-authorised client never sees a code.
        shown = true;
        await showCode({ userCode: device.userCode, verificationUri: device.verificationUri, verificationUriComplete: device.verificationUriComplete }, expiresAt, deps);
      }
      if (deps.clock.now().getTime() > expiresAt.getTime() + EXPIRY_GRACE_MS) {
        throw expiredError(device.expiresIn ?? 600);
      }
    }
  } finally {
    deps.progress.stop();
  }
}

async function showCode(prompt: DeviceCodePrompt, expiresAt: Date, deps: FlowContext): Promise<void> {
  const url = prompt.verificationUriComplete;
  deps.progress.showCode(prompt);
  if (!deps.openBrowser) {
    deps.progress.note(`Not opening a browser (${deps.noBrowserReason ?? 'disabled'}): open the URL on any device.`);
  } else {
    try {
      await deps.openBrowser(url);
      deps.progress.note('Opened it in your browser.');
    } catch (err) {
      if (err instanceof InterruptedError) throw err;
      deps.progress.note(warningLine(`could not open a browser (${(err as Error).message}); open the URL yourself.`));
    }
  }
  deps.progress.startWaiting({ what: 'approval in the browser', until: expiresAt });
}

function pollError(err: unknown, codeLifetimeSeconds: number): unknown {
  const name = errorName(err);
  if (name === 'AbortError') return new InterruptedError();
  if (name === 'AccessDeniedException') {
    return new LoginFailedError('The SSO login was denied in the browser; nothing was written.', {
      hint: 'run the login again and choose Allow',
      cause: err,
    });
  }
  if (name === 'ExpiredTokenException') return expiredError(codeLifetimeSeconds, err);
  if (name === 'InvalidClientException' || name === 'InvalidGrantException') {
    return new LoginFailedError(`IAM Identity Center rejected the login (${name}): ${oidcDescription(err)}`, {
      hint: 'run the login again; a new client registration will be made',
      cause: err,
    });
  }
  return err;
}

function expiredError(codeLifetimeSeconds: number, cause?: unknown): LoginFailedError {
  const minutes = Math.max(1, Math.round(codeLifetimeSeconds / 60));
  return new LoginFailedError('The SSO login code expired before it was approved; nothing was written.', {
    hint: `run the login again and approve it within ${minutes} min`,
    cause,
  });
}

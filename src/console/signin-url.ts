import type { FetchHttp } from '../app/deps.js';
import { ConsoleSigninError, InterruptedError, NetworkError } from '../errors/cli-error.js';
import type { AwsCredentials } from '../output/credentials.js';

export interface SigninRequest {
  /** The federation endpoint (https://signin.aws.amazon.com/federation). */
  federationUrl: string;
  credentials: AwsCredentials & { sessionToken: string };
  /** SessionDuration in seconds; only for role credentials assumed with long-term keys or by IAM Identity Center. */
  sessionDuration?: number | undefined;
  issuer: string;
  destination: string;
}

/** How long getSigninToken may take. */
const TIMEOUT_MS = 30_000;

/**
 * The federation sign-in URL: getSigninToken with the session credentials, then the
 * `Action=login` URL that carries the token. getSigninToken is a POST with a form body, so the
 * credentials never sit in a URL (proxy and server logs keep URLs). The URL that comes back
 * signs in whoever opens it within 15 minutes.
 */
export async function signinUrl(request: SigninRequest, deps: { fetchHttp: FetchHttp; signal: AbortSignal }): Promise<string> {
  const { credentials: c } = request;
  const form = new URLSearchParams({ Action: 'getSigninToken' });
  if (request.sessionDuration !== undefined) form.set('SessionDuration', String(request.sessionDuration));
  form.set('Session', JSON.stringify({ sessionId: c.accessKeyId, sessionKey: c.secretAccessKey, sessionToken: c.sessionToken }));
  let response: Response;
  try {
    response = await deps.fetchHttp(request.federationUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      timeoutMs: TIMEOUT_MS,
      signal: deps.signal,
    });
  } catch (err) {
    if (deps.signal.aborted) throw new InterruptedError('Interrupted while asking for a sign-in token; nothing was opened.');
    const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : describe(err);
    throw new NetworkError(`Cannot reach the federation endpoint ${origin(request.federationUrl)}: ${reason}.`, {
      hint: 'check your network and proxy (and AWSKEYS_FEDERATION_URL if set)',
      cause: err,
    });
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    // The body is an HTML page at best; never echoed (it could quote what was sent).
    throw new ConsoleSigninError(`The federation endpoint refused the credentials (HTTP ${response.status}).`, {
      hint:
        request.sessionDuration !== undefined
          ? 'try without --duration: AWS refuses SessionDuration for some credentials'
          : 'check that the credentials still work: aws sts get-caller-identity',
    });
  }
  const token = signinTokenOf(text);
  if (token === undefined) {
    throw new ConsoleSigninError(`The federation endpoint answered without a SigninToken (HTTP ${response.status}).`, {
      hint: 'check AWSKEYS_FEDERATION_URL if set; otherwise try again later',
    });
  }
  const login = new URL(request.federationUrl);
  login.search = new URLSearchParams({ Action: 'login', Issuer: request.issuer, Destination: request.destination, SigninToken: token }).toString();
  return login.toString();
}

function signinTokenOf(text: string): string | undefined {
  try {
    const token = (JSON.parse(text) as { SigninToken?: unknown } | null)?.SigninToken;
    return typeof token === 'string' && token !== '' ? token : undefined;
  } catch {
    return undefined;
  }
}

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function describe(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' ? cause.code : (err as Error).message;
}

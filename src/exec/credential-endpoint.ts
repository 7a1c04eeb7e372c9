import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../app/clock.js';
import { CliError } from '../errors/cli-error.js';
import type { AwsCredentials } from '../output/credentials.js';
import { formatTimestamp } from '../util/timestamp.js';

/** The path the child's SDKs are pointed at (AWS_CONTAINER_CREDENTIALS_FULL_URI). */
export const CREDENTIALS_PATH = '/credentials';

/**
 * When fewer than this many ms remain, the next request starts fetching new credentials in the
 * background and is still answered with the current ones: botocore asks again from 15 minutes
 * before expiry, so by its next request the new ones are there.
 */
export const REFRESH_BEFORE_MS = 15 * 60_000;
/** When fewer than this remain, a request waits for new credentials (the JS SDK asks at 5 minutes). */
export const MUST_REFRESH_MS = 5 * 60_000;
/**
 * Long-lived keys have no expiry, but the ECS document needs one: the SDKs ask again after this
 * and get the same keys (or new ones, if the profile changed in the meantime).
 */
export const STATIC_KEYS_TTL_MS = 60 * 60_000;

export interface EndpointRequest {
  method: string;
  /** The request path, query included. */
  path: string;
  /** The Authorization header, as sent. */
  authorization: string | undefined;
}

export interface EndpointResponse {
  status: number;
  body: string;
}

export interface CredentialEndpoint {
  /** The secret the child sends in the Authorization header (AWS_CONTAINER_AUTHORIZATION_TOKEN). */
  readonly authorizationToken: string;
  handle(request: EndpointRequest): Promise<EndpointResponse>;
}

export interface EndpointOptions {
  /** Fresh credentials for the profile: resolves it again, exactly as `env` does. */
  fetch: () => Promise<AwsCredentials>;
  clock: Clock;
  /** The credentials awskeys resolved before starting the child (so a broken profile fails first). */
  initial: AwsCredentials;
  /** A warning's text (the reporter adds `awskeys: warning: `). */
  warn: (text: string) => void;
  /** 32 random bytes by default; tests pass their own. */
  token?: string;
}

/**
 * The container credential endpoint (the protocol of ECS tasks, which botocore and the JS SDK
 * read from AWS_CONTAINER_CREDENTIALS_FULL_URI): a GET with the right Authorization header gets
 * `{AccessKeyId, SecretAccessKey, Token, Expiration}`. Credentials are refreshed before they
 * expire (see REFRESH_BEFORE_MS), so a child that runs for hours never holds expired ones. Any
 * request without the token gets 403 and learns nothing else, not even which paths exist.
 */
export function credentialEndpoint(options: EndpointOptions): CredentialEndpoint {
  const authorizationToken = options.token ?? randomBytes(32).toString('base64url');
  const expected = digest(authorizationToken);
  const { clock } = options;
  let current = options.initial;
  let refreshing: Promise<AwsCredentials> | undefined;
  let warned = false;

  const remainingMs = (credentials: AwsCredentials): number =>
    credentials.expiration ? credentials.expiration.getTime() - clock.now().getTime() : Number.POSITIVE_INFINITY;

  const refresh = (): Promise<AwsCredentials> => {
    refreshing ??= options
      .fetch()
      .then((fresh) => {
        current = fresh;
        warned = false;
        return fresh;
      })
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  };

  const credentialsToServe = async (): Promise<AwsCredentials> => {
    const left = remainingMs(current);
    if (left > REFRESH_BEFORE_MS) return current;
    if (left > MUST_REFRESH_MS) {
      refresh().catch((err: unknown) => warnOnce(err));
      return current;
    }
    try {
      return await refresh();
    } catch (err) {
      warnOnce(err);
      if (remainingMs(current) > 0) return current;
      throw err;
    }
  };

  const warnOnce = (err: unknown): void => {
    if (warned) return;
    warned = true;
    const reason = err instanceof CliError ? `${err.message}${err.hint ? ` (hint: ${err.hint})` : ''}` : String(err);
    options.warn(`could not refresh the credentials for the command: ${reason}`);
  };

  return {
    authorizationToken,
    async handle(request) {
      if (request.authorization === undefined || !timingSafeEqual(digest(request.authorization), expected)) {
        return json(403, { Message: 'missing or wrong Authorization token' });
      }
      if (request.path !== CREDENTIALS_PATH) return json(404, { Message: 'not found' });
      if (request.method !== 'GET') return json(405, { Message: 'only GET' });
      let credentials: AwsCredentials;
      try {
        credentials = await credentialsToServe();
      } catch {
        return json(500, { Message: 'awskeys could not refresh the credentials; see its terminal' });
      }
      const expiration = credentials.expiration ?? new Date(clock.now().getTime() + STATIC_KEYS_TTL_MS);
      return json(200, {
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        Token: credentials.sessionToken ?? '',
        Expiration: formatTimestamp(expiration),
        ...(credentials.accountId ? { AccountId: credentials.accountId } : {}),
      });
    },
  };
}

// Equal-length digests, so timingSafeEqual compares in constant time whatever was sent.
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function json(status: number, body: Record<string, string>): EndpointResponse {
  return { status, body: JSON.stringify(body) };
}

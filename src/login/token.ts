import type { CreateOAuth2TokenCommandOutput } from '@aws-sdk/nested-clients/signin';
import type { AwsClients } from '../aws-sdk/aws-clients.js';
import { toCliError } from '../aws-sdk/aws-errors.js';
import {
  AwsServiceError,
  CliError,
  LoginCredentialsChangedError,
  LoginFailedError,
  LoginNotPermittedError,
  LoginRequiredError,
  SigninThrottledError,
} from '../errors/cli-error.js';
import { shellWord } from '../text/shell-word.js';
import { dpopProof, type DpopKey } from './dpop.js';

/** The two grants of CreateOAuth2Token (botocore's signin/2023-01-01 model). */
export type TokenGrant =
  | { grantType: 'authorization_code'; clientId: string; code: string; codeVerifier: string; redirectUri: string }
  | { grantType: 'refresh_token'; clientId: string; refreshToken: string };

/** What the service answers: 15-minute credentials, the next refresh token and (for a code) the id token. */
export interface SigninTokens {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Seconds the credentials last (the model's expiresIn, at most 900). */
  expiresIn: number;
  tokenType: string;
  refreshToken: string;
  /** Only for authorization_code: its `sub` is the login-session ARN. */
  idToken?: string | undefined;
}

export interface TokenRequest {
  /** The Sign-In region (the profile's region, as the AWS CLI uses it). */
  region: string;
  dpopKey: DpopKey;
  grant: TokenGrant;
  /** For the messages' hints: `awskeys login --profile P`. */
  profile: string;
  now: () => Date;
  signal?: AbortSignal | undefined;
}

interface MiddlewareRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number | undefined;
  path: string;
  headers: Record<string, string>;
}

/**
 * One CreateOAuth2Token call through the SDK's signin client, with a DPoP proof on every attempt
 * (a retry gets a new jti): htm is the request's method, htu its resolved endpoint URL (scheme,
 * host, port, path), as botocore and the JS SDK's login provider build it. Service errors become
 * the CliErrors of docs/login.md.
 */
export async function createOAuth2Token(clients: Pick<AwsClients, 'signin'>, request: TokenRequest): Promise<SigninTokens> {
  const { CreateOAuth2TokenCommand } = await import('@aws-sdk/nested-clients/signin');
  const client = await clients.signin(request.region);
  client.middlewareStack.add(
    (next) => async (args) => {
      const http = args.request as MiddlewareRequest;
      const htu = `${http.protocol}//${http.hostname}${http.port ? `:${String(http.port)}` : ''}${http.path}`;
      http.headers.DPoP = dpopProof(request.dpopKey, http.method, htu, request.now());
      return next(args);
    },
    // After the retry middleware (finalizeRequest, high priority): one proof per attempt.
    { step: 'finalizeRequest', name: 'awskeysDpop', priority: 'low' },
  );
  let out: CreateOAuth2TokenCommandOutput;
  try {
    out = await client.send(new CreateOAuth2TokenCommand({ tokenInput: request.grant }), { abortSignal: request.signal });
  } catch (err) {
    throw signinError(err, request);
  } finally {
    client.destroy();
  }
  const token = out.tokenOutput;
  const access = token?.accessToken;
  if (!access?.accessKeyId || !access.secretAccessKey || !access.sessionToken || !token?.refreshToken) {
    throw new AwsServiceError('Sign-In answered CreateOAuth2Token without credentials or a refresh token.');
  }
  return {
    accessKeyId: access.accessKeyId,
    secretAccessKey: access.secretAccessKey,
    sessionToken: access.sessionToken,
    expiresIn: token.expiresIn ?? 900,
    tokenType: token.tokenType ?? 'aws_sigv4',
    refreshToken: token.refreshToken,
    idToken: token.idToken,
  };
}

/** The model's errors (name + `error` member) as one-line CliErrors with the fix. */
export function signinError(err: unknown, request: Pick<TokenRequest, 'profile' | 'grant'>): CliError {
  if (err instanceof CliError) return err;
  const e = (err ?? {}) as { name?: string; error?: string; message?: string };
  const relogin = `log in again: awskeys login --profile ${shellWord(request.profile)}`;
  const what = request.grant.grantType === 'refresh_token' ? 'renew the `aws login` session of' : 'finish the sign-in for';
  if (e.name === 'AccessDeniedException') {
    switch (e.error ?? '') {
      case 'TOKEN_EXPIRED':
        return new LoginRequiredError(`The \`aws login\` session of profile ${request.profile} has expired and cannot be renewed.`, { hint: relogin, cause: err });
      case 'USER_CREDENTIALS_CHANGED':
        return new LoginCredentialsChangedError(
          `Cannot ${what} profile ${request.profile}: the user's password changed since the sign-in.`,
          { hint: `log in again with the new password: awskeys login --profile ${shellWord(request.profile)}`, cause: err },
        );
      case 'INSUFFICIENT_PERMISSIONS':
        return new LoginNotPermittedError(
          `Cannot ${what} profile ${request.profile}: the user is not allowed signin:CreateOAuth2Token.`,
          { hint: 'ask an administrator to allow the signin:CreateOAuth2Token action for this user, then log in again', cause: err },
        );
      case 'AUTHCODE_EXPIRED':
        return new LoginFailedError(`The sign-in code for profile ${request.profile} has expired or was already used.`, {
          hint: `sign in again and use the code at once: awskeys login --profile ${shellWord(request.profile)}`,
          cause: err,
        });
      default:
        break;
    }
  }
  if (e.name === 'TooManyRequestsError') {
    return new SigninThrottledError(`Cannot ${what} profile ${request.profile}: the Sign-In service is throttling requests.`, {
      hint: 'wait a minute and try again',
      cause: err,
    });
  }
  return toCliError(err, `Sign-In CreateOAuth2Token for profile ${request.profile}`);
}

import {
  AwsServiceError,
  CliError,
  CredentialsError,
  InterruptedError,
  KeyQuotaError,
  NetworkError,
  NotFoundError,
} from '../errors/cli-error.js';
import { safeErrorDetail } from '../text/redact.js';
import { shellWord } from '../text/shell-word.js';

/** Which credentials an SDK client signed with, so a hint can name them (aws-clients.ts labels its errors). */
export type CredentialSource =
  | { kind: 'profile'; name: string }
  /** No profile named: the SDK's chain for `default` (and beyond: containers, instance roles). */
  | { kind: 'default' }
  | { kind: 'environment' }
  | { kind: 'keys'; accessKeyId: string };

export const CREDENTIAL_SOURCE = Symbol('awskeys.credentialSource');

function credentialSourceOf(err: unknown): CredentialSource | undefined {
  return (err as { [CREDENTIAL_SOURCE]?: CredentialSource } | null)?.[CREDENTIAL_SOURCE];
}

/**
 * Turns whatever an SDK v3 call threw into a CliError with a one-line message. Services call this
 * in their catch blocks (optionally after handling the codes they care about themselves), so every
 * command reports network, credential and service failures the same way.
 */
export function toCliError(err: unknown, action: string): CliError {
  if (err instanceof CliError) return err;
  const e = (err ?? {}) as AwsLikeError;
  const name = e.name ?? '';
  // A request cut short by Ctrl-C (the command passed deps.signal as abortSignal).
  if (name === 'AbortError') return new InterruptedError(`${action}: interrupted.`, { cause: err });
  const code = e.code ?? e.Code ?? '';
  // The service's own words, but never a request dump, a quoted body or a credential (redact.ts).
  const detail = safeErrorDetail(err, e.error_description ?? e.message);

  if (isNetworkError(e)) {
    const where = e.address ? ` (${e.address}${e.port ? `:${e.port}` : ''})` : '';
    return new NetworkError(`${action}: cannot reach AWS${where}: ${code || name}.`, {
      hint: 'check your network, proxy, and any AWS_ENDPOINT_URL* settings',
      cause: err,
    });
  }
  const source = credentialSourceOf(err);
  if (name === 'CredentialsProviderError' || name === 'ProviderError') {
    return new CredentialsError(`${action}: no AWS credentials found: ${detail}`, { hint: noCredentialsHint(source), cause: err });
  }
  if (CREDENTIAL_ERRORS.has(name) || CREDENTIAL_ERRORS.has(code)) {
    return new CredentialsError(`${action}: AWS rejected the credentials (${name}): ${detail}`, { hint: rejectedHint(source), cause: err });
  }
  if (name === 'NoSuchEntityException' || name === 'NoSuchEntity' || name === 'ResourceNotFoundException') {
    return new NotFoundError(`${action}: ${detail}`, { cause: err });
  }
  if (name === 'LimitExceededException' || name === 'LimitExceeded') {
    return new KeyQuotaError(`${action}: ${detail}`, { cause: err });
  }
  const status = e.$metadata?.httpStatusCode;
  return new AwsServiceError(`${action}: ${name || 'error'}${status ? ` (HTTP ${status})` : ''}: ${detail}`, {
    cause: err,
  });
}

/** Hints name the profile or key when it is known; only an unnamed default leaves the choice to the user. */
function noCredentialsHint(source: CredentialSource | undefined): string {
  if (source?.kind === 'profile') {
    return `see what the AWS CLI makes of the profile: aws configure export-credentials --profile ${shellWord(source.name)}`;
  }
  return 'pass --profile NAME, set AWS_PROFILE, or run: awskeys sso login';
}

function rejectedHint(source: CredentialSource | undefined): string {
  switch (source?.kind) {
    case 'profile':
      return `check the profile with: aws sts get-caller-identity --profile ${shellWord(source.name)}`;
    case 'environment':
      return 'check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN with: aws sts get-caller-identity';
    case 'keys':
      return `access key ${source.accessKeyId} may be inactive or deleted, or its secret wrong: see awskeys iam list-keys`;
    case 'default':
    case undefined:
      return 'check the default credentials with: aws sts get-caller-identity';
  }
}

interface AwsLikeError {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  error_description?: string;
  address?: string;
  port?: number;
  $metadata?: { httpStatusCode?: number };
}

const CREDENTIAL_ERRORS = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'AuthFailure',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

function isNetworkError(e: AwsLikeError): boolean {
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  if (e.name === 'TimeoutError' || e.name === 'RequestTimeout') return true;
  const cause = (e as { cause?: AwsLikeError }).cause;
  return cause !== undefined && cause !== e && isNetworkError(cause);
}

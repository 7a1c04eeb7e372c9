import {
  AwsServiceError,
  CliError,
  CredentialsError,
  InterruptedError,
  KeyQuotaError,
  NetworkError,
  NotFoundError,
} from './errors.js';
import { safeErrorDetail } from './redact.js';

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
  if (name === 'CredentialsProviderError' || name === 'ProviderError') {
    return new CredentialsError(`${action}: no AWS credentials found: ${detail}`, {
      hint: 'pass --profile NAME, set AWS_PROFILE, or run: awskeys sso login',
      cause: err,
    });
  }
  if (CREDENTIAL_ERRORS.has(name) || CREDENTIAL_ERRORS.has(code)) {
    return new CredentialsError(`${action}: AWS rejected the credentials (${name}): ${detail}`, {
      hint: 'check the profile with: aws sts get-caller-identity --profile NAME',
      cause: err,
    });
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

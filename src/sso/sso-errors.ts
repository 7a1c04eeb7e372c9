import { toCliError } from '../aws-sdk/aws-errors.js';
import type { CliError } from '../errors/cli-error.js';
import { AwsServiceError, InterruptedError, LoginFailedError, LoginRequiredError } from '../errors/cli-error.js';
import type { SsoSessionRef } from './token-cache.js';
import { safeDetail } from '../text/redact.js';
import { loginCommand } from './login-command.js';

/** The exception name the SDK parsed from x-amzn-ErrorType ("Unknown" when there was none). */
export function errorName(err: unknown): string {
  return (err as { name?: string } | undefined)?.name ?? '';
}

/** What the SSO-OIDC service said, for messages: error_description, since `message` is "UnknownError". */
export function oidcDescription(err: unknown): string {
  const e = err as { error_description?: string; message?: string };
  return safeDetail(e.error_description ?? e.message ?? String(err));
}

/**
 * Maps an error from the SSO portal or SSO-OIDC to a CliError: a rejected token means log in
 * again (exit 9); throttling that outlasted the SDK's retries gets a plain explanation.
 */
export function ssoError(err: unknown, action: string, ref: SsoSessionRef, profile?: string): CliError {
  const name = errorName(err);
  if (name === 'AbortError') return new InterruptedError();
  if (name === 'UnauthorizedException') {
    return new LoginRequiredError(`${action}: the SSO session has expired or was signed out.`, {
      hint: `run: ${loginCommand(ref, profile)}`,
      cause: err,
    });
  }
  if (name === 'TooManyRequestsException' || name === 'SlowDownException') {
    return new AwsServiceError(`${action}: IAM Identity Center is throttling requests (${name}), even after retries.`, {
      hint: 'wait a minute and run the command again',
      cause: err,
    });
  }
  if (name === 'InvalidClientException' || name === 'InvalidGrantException') {
    return new LoginFailedError(`${action}: IAM Identity Center rejected the login (${name}): ${oidcDescription(err)}`, {
      hint: `run: ${loginCommand(ref, profile)} --force`,
      cause: err,
    });
  }
  return toCliError(err, action);
}

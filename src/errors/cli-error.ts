/**
 * One error hierarchy for the whole tool. Services throw these; only src/cli/main.ts turns them
 * into a message on stderr and an exit code. Exit codes are part of the public interface (scripts
 * branch on them) and are listed in the README: never renumber one.
 */

export const ExitCode = {
  Ok: 0,
  Internal: 1,
  Usage: 2,
  /** An AWS file (config, credentials, cache) is malformed, unreadable or unwritable. */
  File: 3,
  /** No usable source credentials, or AWS rejected them. */
  Credentials: 4,
  /** A named thing does not exist: IAM user, access key, profile, account, role. */
  NotFound: 5,
  /** IAM's two-access-keys-per-user quota is full. */
  KeyQuota: 6,
  /** A decision is needed and there is no terminal to ask on: pass the flag named in the hint. */
  NeedsInput: 7,
  /** AWS (or the configured endpoint) could not be reached. */
  Network: 8,
  /** The SSO session is missing or expired and cannot be refreshed: log in again. */
  LoginRequired: 9,
  /** The SSO login did not complete: denied, device code expired, client rejected. */
  LoginFailed: 10,
  /** AWS answered with an error not covered above (access denied, throttled, service failure). */
  AwsService: 11,
  /** Key rotation stopped; the message says exactly what state keys and files are in. */
  RotationFailed: 12,
  /** `iam audit` found something that needs attention. */
  NeedsAttention: 13,
  /** The user answered "no" at a confirmation; nothing was changed. */
  Cancelled: 14,
  /** A new key's secret could not be written to stdout (closed pipe, full disk); the key was deleted again. */
  OutputFailed: 15,
  /** Another awskeys is rotating or creating a key for the same IAM user; nothing was changed. */
  UserBusy: 16,
  /** `awskeys exec` inside another one (AWSKEYS_PROFILE is set) without --nested. */
  NestedExec: 22,
  /** `awskeys exec --server` could not start its credential endpoint. */
  CredentialServer: 23,
  /** `awskeys exec`: the command cannot be run (not executable, permission denied), as in shells. */
  CommandNotExecutable: 126,
  /** `awskeys exec`: the command was not found, as in shells. */
  CommandNotFound: 127,
  /** AWS did not accept the MFA code (wrong, expired, or already used once). */
  MfaRefused: 24,
  /** No console sign-in URL: credentials the federation endpoint does not take, or it refused them. */
  ConsoleSignin: 25,
  /** The vault store cannot keep a key: no keychain (no D-Bus session), a locked keyring, a kernel-only keyring, an unwritable vault file. */
  VaultUnavailable: 26,
  /** The vault file cannot be opened: a wrong passphrase, or a damaged or tampered file; nothing was written. */
  VaultUnreadable: 27,
  /** An `aws login` session cannot be renewed: the user's password changed since the sign-in (log in again with the new one). */
  LoginCredentialsChanged: 30,
  /** An `aws login` session cannot be renewed: the user lacks the signin:CreateOAuth2Token permission. */
  LoginNotPermitted: 31,
  /** The Sign-In service throttled the token request (TooManyRequestsError) after the SDK's retries. */
  SigninThrottled: 32,
  /** Interrupted by Ctrl-C (128 + SIGINT), nothing was written. SIGHUP ends with 129, SIGTERM with 143. */
  Interrupted: 130,
  /** stdout was closed by the reader (`awskeys env | head -1`): 128 + SIGPIPE, no message. */
  ClosedPipe: 141,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface CliErrorOptions {
  /** The command or action that fixes the problem, printed as "hint: ...". */
  hint?: string | undefined;
  cause?: unknown;
}

export class CliError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;

  constructor(message: string, exitCode: ExitCodeValue, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = options.hint;
  }
}

export class UsageError extends CliError {
  constructor(message: string, options?: CliErrorOptions) {
    super(message, ExitCode.Usage, options);
  }
}

export class FileError extends CliError {
  constructor(message: string, options?: CliErrorOptions) {
    super(message, ExitCode.File, options);
  }
}

export class CredentialsError extends CliError {
  constructor(message: string, options?: CliErrorOptions) {
    super(message, ExitCode.Credentials, options);
  }
}

export class NotFoundError extends CliError {
  constructor(message: string, options?: CliErrorOptions) {
    super(message, ExitCode.NotFound, options);
  }
}

export class KeyQuotaError extends CliError {
  constructor(message: string, options?: CliErrorOptions) {
    super(message, ExitCode.KeyQuota, options);
  }
}

export class NeedsInputError extends CliError {
  constructor(message: string, options?: CliErrorOptions) {
    super(message, ExitCode.NeedsInput, options);
  }
}

export class NetworkError extends CliError {
  constructor(message: string, options?: CliErrorOptions) {
    super(message, ExitCode.Network, options);
  }
}

export class LoginRequiredError extends CliError {
  constructor(message: string, options?: CliErrorOptions) {
    super(message, ExitCode.LoginRequired, options);
  }
}

export class LoginFailedError extends CliError {
  constructor(message: string, options?: CliErrorOptions) {
    super(message, ExitCode.LoginFailed, options);
  }
}

export class AwsServiceError extends CliError {
  constructor(message: string, options?: CliErrorOptions) {
    super(message, ExitCode.AwsService, options);
  }
}

export class RotationFailedError extends CliError {
  constructor(message: string, options?: CliErrorOptions) {
    super(message, ExitCode.RotationFailed, options);
  }
}

export class NeedsAttentionError extends CliError {
  constructor(message: string, options?: CliErrorOptions) {
    super(message, ExitCode.NeedsAttention, options);
  }
}

export class CancelledError extends CliError {
  constructor(message = 'Cancelled; nothing was changed.', options?: CliErrorOptions) {
    super(message, ExitCode.Cancelled, options);
  }
}

export class OutputFailedError extends CliError {
  constructor(message: string, options?: CliErrorOptions) {
    super(message, ExitCode.OutputFailed, options);
  }
}

export class UserBusyError extends CliError {
  constructor(message: string, options?: CliErrorOptions) {
    super(message, ExitCode.UserBusy, options);
  }
}

export class MfaRefusedError extends CliError {
  constructor(message: string, options?: CliErrorOptions) {
    super(message, ExitCode.MfaRefused, options);
  }
}

export class ConsoleSigninError extends CliError {
  constructor(message: string, options?: CliErrorOptions) {
    super(message, ExitCode.ConsoleSignin, options);
  }
}

export class VaultUnavailableError extends CliError {
  constructor(message: string, options?: CliErrorOptions) {
    super(message, ExitCode.VaultUnavailable, options);
  }
}

export class VaultUnreadableError extends CliError {
  constructor(message: string, options?: CliErrorOptions) {
    super(message, ExitCode.VaultUnreadable, options);
  }
}

export class LoginCredentialsChangedError extends CliError {
  constructor(message: string, options?: CliErrorOptions) {
    super(message, ExitCode.LoginCredentialsChanged, options);
  }
}

export class LoginNotPermittedError extends CliError {
  constructor(message: string, options?: CliErrorOptions) {
    super(message, ExitCode.LoginNotPermitted, options);
  }
}

export class SigninThrottledError extends CliError {
  constructor(message: string, options?: CliErrorOptions) {
    super(message, ExitCode.SigninThrottled, options);
  }
}

export class InterruptedError extends CliError {
  constructor(message = 'Interrupted; nothing was written.', options?: CliErrorOptions) {
    super(message, ExitCode.Interrupted, options);
  }
}

/**
 * Not a failure: a command that ends with another program's exit status (`exec` ends with its
 * child's) throws this so run() returns that status without a message.
 */
export class ExitStatus extends Error {
  readonly status: number;

  constructor(status: number) {
    super(`exit status ${status}`);
    this.name = 'ExitStatus';
    this.status = status;
  }
}

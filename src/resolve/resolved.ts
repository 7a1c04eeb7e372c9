import type { AwsClients } from '../aws-sdk/aws-clients.js';
import type { Clock } from '../app/clock.js';
import type { Reporter } from '../app/reporter.js';
import { CredentialsError } from '../errors/cli-error.js';
import type { AwsCredentials } from '../output/credentials.js';
import type { Prompter } from '../prompt/prompter.js';
import type { UnlockedVaultFiles } from '../vault/vault-types.js';

/** What resolving a profile needs (a slice of Deps). */
export interface ResolveDeps {
  env: NodeJS.ProcessEnv;
  homeDir: string;
  clock: Clock;
  aws: AwsClients;
  /** The warning when a cache cannot be written; the note that another run's MFA prompt is awaited. */
  report: Pick<Reporter, 'warn' | 'info'>;
  /** Ctrl-C: stops waiting for another run's MFA prompt (mfa-prompt-lock.ts). */
  signal: AbortSignal;
  /** Where MFA codes are asked: the controlling terminal, even when stdin and stdout are pipes. */
  terminal: Prompter;
  /** A vault file's passphrase, asked once per run however many stores open it. */
  unlockedVaultFiles: UnlockedVaultFiles;
}

export interface ResolveOptions {
  /** --mfa-code: the code for the first MFA device that needs one (docs/mfa.md). */
  mfaCode?: string | undefined;
  /**
   * false (console sign-in): a profile with static keys and mfa_serial gives its long-term keys,
   * not a GetSessionToken session, which the federation endpoint refuses.
   */
  mfaSession?: boolean | undefined;
  /** false (--no-session): a vault profile gives its long-term key, not a GetSessionToken session. */
  session?: boolean | undefined;
  /** --duration: a vault profile's session length in seconds (default 1 h, kinds/vault.ts). */
  sessionSeconds?: number | undefined;
  /** The command line being run, for hints ("awskeys env"). */
  command?: string | undefined;
}

/** How the credentials were made; the console sign-in depends on it. */
export type CredentialKind =
  /** IAM user (or root) access keys. */
  | 'long-term'
  /** STS GetSessionToken with an MFA code. */
  | 'mfa-session'
  /** STS AssumeRole (fresh or from the cache). */
  | 'assumed-role'
  /** IAM Identity Center role credentials. */
  | 'sso'
  /** A session token of unknown origin, from a profile or the environment. */
  | 'temporary'
  /** The AWS CLI's `aws login` (console sign-in) session credentials. */
  | 'login-session';

export interface ResolvedCredentials {
  credentials: AwsCredentials;
  /** The profile's `region` (or AWS_REGION for environment credentials); undefined when none. */
  region: string | undefined;
  kind: CredentialKind;
  /**
   * For an assumed role: its source credentials are temporary (a role chain, an SSO or MFA
   * session), which caps its console session at one hour.
   */
  chained: boolean;
  /** For SSO credentials: the portal's start URL. */
  ssoStartUrl?: string | undefined;
}

/**
 * A profile whose credentials come from something awskeys leaves to the AWS CLI and SDKs
 * (credential_process, web identity, an instance's metadata): the SDK's own chain may still
 * resolve it (aws-sdk/aws-clients.ts).
 */
export class NotResolvedHereError extends CredentialsError {}

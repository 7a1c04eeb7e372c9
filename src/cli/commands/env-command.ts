import type { OutputFormat } from '../../output/credentials.js';
import { renderCredentials, renderUnset } from '../../output/formats.js';
import { resolveCredentials } from '../../resolve/resolve-credentials.js';
import type { ResolveOptions } from '../../resolve/resolved.js';
import type { Deps } from '../../app/deps.js';

export interface EnvOptions {
  profile?: string | undefined;
  format: OutputFormat;
  /** false with --no-region. */
  region: boolean;
  unset: boolean;
  /** --mfa-code: for a profile that needs an MFA code and has no cached session. */
  mfaCode?: string | undefined;
  /** false with --no-session: a vault profile's long-term key instead of a session (docs/vault.md). */
  session?: boolean | undefined;
  /** --duration, parsed: a vault profile's session length. */
  sessionSeconds?: number | undefined;
}

export interface CredentialProcessOptions {
  profile?: string | undefined;
  mfaCode?: string | undefined;
  session?: boolean | undefined;
  sessionSeconds?: number | undefined;
}

type EnvDeps = Pick<Deps, 'env' | 'homeDir' | 'clock' | 'aws' | 'stdout' | 'stderr' | 'terminal' | 'report' | 'signal' | 'unlockedVaultFiles'>;

/**
 * `awskeys env`: the lines that put a profile's credentials into the shell (or take them out with
 * --unset). Output is rendered in full before anything is written, so a failure prints nothing
 * for an eval to half-apply.
 */
export async function envCommand(options: EnvOptions, deps: EnvDeps): Promise<void> {
  if (options.unset) {
    deps.stdout.write(renderUnset(options.format, { region: options.region }));
    return;
  }
  const resolved = await resolveCredentials(options.profile, deps, { ...resolveOptionsOf(options), command: 'awskeys env' });
  const region = options.region ? resolved.region : undefined;
  deps.stdout.write(renderCredentials(resolved.credentials, options.format, { region }));
}

/** `awskeys credential-process`: the credential_process JSON document and nothing else on stdout. */
export async function credentialProcessCommand(options: CredentialProcessOptions, deps: EnvDeps): Promise<void> {
  const resolved = await resolveCredentials(options.profile, deps, { ...resolveOptionsOf(options), command: 'awskeys credential-process' });
  deps.stdout.write(renderCredentials(resolved.credentials, 'json'));
}

/** The flags that reach resolving: the MFA code, and a vault profile's --no-session and --duration. */
export function resolveOptionsOf(options: CredentialProcessOptions): ResolveOptions {
  return { mfaCode: options.mfaCode, session: options.session, sessionSeconds: options.sessionSeconds };
}

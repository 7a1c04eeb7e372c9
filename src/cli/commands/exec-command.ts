import { awsFilePaths } from '../../aws-files/paths.js';
import { getProfile, readAwsFiles } from '../../aws-files/profiles.js';
import type { Deps } from '../../app/deps.js';
import { CliError, ExitCode, ExitStatus } from '../../errors/cli-error.js';
import { childEnvironment, PROFILE_MARKER, type ChildCredentials } from '../../exec/child-env.js';
import { credentialEndpoint, CREDENTIALS_PATH } from '../../exec/credential-endpoint.js';
import { serveOnLoopback } from '../../exec/credential-server.js';
import { runChild } from '../../exec/run-child.js';
import { inTerminalForeground } from '../../exec/terminal-foreground.js';
import { nonInteractivePrompter } from '../../prompt/non-interactive.js';
import { nonEmpty } from '../../resolve/hints.js';
import { resolveCredentials } from '../../resolve/resolve-credentials.js';
import { resolveOptionsOf } from './env-command.js';

export interface ExecOptions {
  profile?: string | undefined;
  server?: boolean | undefined;
  mfaCode?: string | undefined;
  /** false with --no-session: a vault profile's long-term key (docs/vault.md). */
  session?: boolean | undefined;
  /** --duration, parsed: a vault profile's session length. */
  sessionSeconds?: number | undefined;
  nested?: boolean | undefined;
  command: string;
  args: string[];
}

type ExecDeps = Pick<Deps, 'env' | 'homeDir' | 'clock' | 'aws' | 'terminal' | 'report' | 'signal' | 'spawnProcess' | 'divertSignals' | 'listenLoopback' | 'unlockedVaultFiles'>;

export class NestedExecError extends CliError {
  constructor(active: string) {
    super(`Already inside awskeys exec for profile ${active} (${PROFILE_MARKER} is set).`, ExitCode.NestedExec, {
      hint: 'exit that shell first, or pass --nested if running inside it is meant',
    });
  }
}

/**
 * `awskeys exec`: resolves the profile as `env` does, then runs the command with the credentials
 * (or, with --server, a local endpoint serving them) and ends with the command's exit status.
 * Nothing is printed on stdout: it is the command's.
 */
export async function execCommand(options: ExecOptions, deps: ExecDeps): Promise<void> {
  const runner = { spawnProcess: deps.spawnProcess, divertSignals: deps.divertSignals, inTerminalForeground: () => inTerminalForeground() };
  const active = nonEmpty(deps.env[PROFILE_MARKER]);
  if (active !== undefined && !options.nested) throw new NestedExecError(active);

  const resolved = await resolveCredentials(options.profile, deps, { ...resolveOptionsOf(options), command: 'awskeys exec' });
  const profile = profileName(options.profile, deps.env);

  if (!options.server) {
    const env = childEnvironment(deps.env, profile, { kind: 'keys', credentials: resolved.credentials }, resolved.region);
    throw new ExitStatus(await runChild(options.command, options.args, env, runner));
  }

  await warnIfDefaultProfileWins(profile, deps);
  const endpoint = credentialEndpoint({
    // A refresh never asks for an MFA code: the command owns the terminal by then. It is served
    // from the cached MFA session while that lasts (docs/mfa.md).
    fetch: async () =>
      (await resolveCredentials(options.profile, { ...deps, terminal: nonInteractivePrompter }, { ...resolveOptionsOf(options), mfaCode: undefined, command: 'awskeys exec' })).credentials,
    clock: deps.clock,
    initial: resolved.credentials,
    warn: (text) => deps.report.warn(text),
  });
  const server = await serveOnLoopback(endpoint, deps);
  try {
    const given: ChildCredentials = {
      kind: 'server',
      url: `${server.origin}${CREDENTIALS_PATH}`,
      authorizationToken: endpoint.authorizationToken,
    };
    const env = childEnvironment(deps.env, profile, given, resolved.region);
    throw new ExitStatus(await runChild(options.command, options.args, env, runner));
  } finally {
    await server.close();
  }
}

/**
 * The name AWSKEYS_PROFILE carries: the profile resolveCredentials used. With no profile named it
 * took the environment's own keys when AWS_ACCESS_KEY_ID is set (a nested exec keeps the outer
 * one's name then), else `default`.
 */
function profileName(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const named = flag ?? nonEmpty(env.AWS_PROFILE);
  if (named !== undefined) return named;
  if (env.AWS_ACCESS_KEY_ID) return nonEmpty(env[PROFILE_MARKER]) ?? 'environment';
  return 'default';
}

/**
 * Both SDKs try the default profile before the container endpoint, so a [default] with
 * credentials of its own would quietly win over --server in the child. Say so.
 */
async function warnIfDefaultProfileWins(profile: string, deps: ExecDeps): Promise<void> {
  if (profile === 'default') return;
  const files = await readAwsFiles(awsFilePaths(deps.env, deps.homeDir));
  const fallback = getProfile(files, 'default');
  const keys = ['aws_access_key_id', 'role_arn', 'sso_session', 'sso_start_url', 'credential_process', 'web_identity_token_file'];
  if (fallback && keys.some((key) => fallback[key] !== undefined)) {
    deps.report.warn(
      `profile default has credentials of its own, and AWS SDKs read [default] before the credential server, so the command will likely use them instead of profile ${profile}'s (hint: run without --server)`,
    );
  }
}

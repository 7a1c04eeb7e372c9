import { Command, CommanderError } from 'commander';
import { ExitCode, ExitStatus } from '../errors/cli-error.js';
import type { Deps } from '../app/deps.js';
import { registerCompletionCommands } from './commands/completion.cli.js';
import { registerConsoleCommand } from './commands/console.cli.js';
import { registerEnvCommands } from './commands/env.cli.js';
import { registerExecCommand } from './commands/exec.cli.js';
import { registerIamCommands } from './commands/iam.cli.js';
import { registerLoginCommand } from './commands/login.cli.js';
import { registerLogoutCommand } from './commands/logout.cli.js';
import { registerSsoCommands } from './commands/sso.cli.js';
import { registerVaultCommands } from './commands/vault.cli.js';
import { reportFailure } from './report-failure.js';
import { commanderUsageError, rejectEmptyOptionValues } from './usage-error.js';
import { namingTheStop, stopExitCode, stopSignalOf } from '../errors/stop-signal.js';

export const VERSION = '0.1.0';

/**
 * Builds the command table. Each command's action lazily imports its handler, so startup only
 * pays for commander and the tables; `deps` is a thunk so tests can hand in fakes and production
 * builds the real pieces only when a command runs.
 */
export function buildProgram(getDeps: () => Deps, options: { completion?: boolean } = {}): Command {
  const program = new Command('awskeys')
    .description('Safe, fast AWS credentials: IAM access keys, IAM Identity Center login, shell exports.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .hook('preAction', (_program, action) => rejectEmptyOptionValues(action))
    // exec passes everything after its command on to it (passThroughOptions needs this).
    .enablePositionalOptions();
  registerIamCommands(program, getDeps);
  registerSsoCommands(program, getDeps);
  registerEnvCommands(program, getDeps);
  registerExecCommand(program, getDeps);
  registerConsoleCommand(program, getDeps);
  registerLoginCommand(program, getDeps);
  registerLogoutCommand(program, getDeps);
  registerVaultCommands(program, getDeps);
  // The completion library reads a copy of the table without its own two commands (it adds them).
  if (options.completion !== false) registerCompletionCommands(program, getDeps, () => buildProgram(getDeps, { completion: false }));
  return program;
}

/**
 * Runs one invocation and returns its exit code. Never calls process.exit: the entry file does,
 * so tests call this with fake deps and assert on the code and the captured output.
 */
export async function run(argv: readonly string[], deps: Deps): Promise<number> {
  const program = buildProgram(() => deps);
  applyExitOverride(program, deps);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.Ok;
  } catch (err) {
    // A command may fail after printing its result (audit's exit 13). If that result never
    // reached stdout (a full disk), the entry's one line about it is the news, not this error:
    // a write's failure is reported a turn after the write, so give it that turn first.
    if (deps.stdout.failed !== undefined) {
      await new Promise((resolve) => setImmediate(resolve));
      if (deps.stdout.failed) return ExitCode.OutputFailed;
    }
    // A run that a stop signal ended says which one, and ends with 128 + its number (D9).
    const stop = stopSignalOf(deps.signal);
    const code = reportError(namingTheStop(err, stop), deps);
    return code === ExitCode.Interrupted && stop !== undefined ? stopExitCode(stop) : code;
  }
}

/**
 * Asked-for help and the version go to stdout. Commander writes nothing to stderr: its usage
 * errors (and the help it would print for a missing subcommand) become one-line UsageErrors,
 * reported like every other error. Subcommands copy their parent's settings only when created,
 * so set them on every one.
 */
function applyExitOverride(cmd: Command, deps: Pick<Deps, 'stdout'>): void {
  cmd.exitOverride((err) => {
    throw commanderUsageError(err, cmd);
  });
  cmd.configureOutput({ writeOut: (s) => deps.stdout.write(s), writeErr: () => undefined, outputError: () => undefined });
  for (const sub of cmd.commands) applyExitOverride(sub, deps);
}

export function reportError(err: unknown, deps: Pick<Deps, 'stderr'>): number {
  if (err instanceof ExitStatus) return err.status;
  if (err instanceof CommanderError) {
    // Asked-for help and the version, printed already (usage errors arrive as UsageErrors).
    return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
  }
  return reportFailure(err, deps);
}

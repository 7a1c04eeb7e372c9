import { Command, CommanderError, type OutputConfiguration } from 'commander';
import { ExitCode, ExitStatus } from '../errors.js';
import type { Deps } from '../deps.js';
import { registerCompletionCommands } from './commands/completion.cli.js';
import { registerConsoleCommand } from './commands/console.cli.js';
import { registerEnvCommands } from './commands/env.cli.js';
import { registerExecCommand } from './commands/exec.cli.js';
import { registerIamCommands } from './commands/iam.cli.js';
import { registerSsoCommands } from './commands/sso.cli.js';
import { reportFailure } from './report-failure.js';

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
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    // exec passes everything after its command on to it (passThroughOptions needs this).
    .enablePositionalOptions();
  registerIamCommands(program, getDeps);
  registerSsoCommands(program, getDeps);
  registerEnvCommands(program, getDeps);
  registerExecCommand(program, getDeps);
  registerConsoleCommand(program, getDeps);
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
  applyExitOverride(program, {
    writeOut: (s) => deps.stdout.write(s),
    writeErr: (s) => deps.stderr.write(s),
    outputError: (s, write) => write(`awskeys: ${s.replace(/^error: /, '')}`),
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.Ok;
  } catch (err) {
    return reportError(err, deps);
  }
}

// Subcommands copy their parent's output settings only when created, so set them on every one:
// otherwise a subcommand's usage error would bypass deps.stderr.
function applyExitOverride(cmd: Command, output: OutputConfiguration): void {
  cmd.exitOverride();
  cmd.configureOutput(output);
  for (const sub of cmd.commands) applyExitOverride(sub, output);
}

export function reportError(err: unknown, deps: Pick<Deps, 'stderr'>): number {
  if (err instanceof ExitStatus) return err.status;
  if (err instanceof CommanderError) {
    // Commander has printed everything already. Asked-for help and the version exit 0; usage shown
    // because a command was missing (`awskeys iam`) is an error, which commander marks exitCode 1.
    return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
  }
  return reportFailure(err, deps);
}

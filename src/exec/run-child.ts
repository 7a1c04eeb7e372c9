import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { Deps } from '../app/deps.js';
import { CliError, ExitCode } from '../errors/cli-error.js';

/** The signals `awskeys exec` passes on to its child. */
export const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'] as const;

/**
 * Signals a terminal sends to its whole foreground process group (Ctrl-C, Ctrl-\, a resize). The
 * child runs in awskeys' group, so when that group is in the foreground the terminal has already
 * delivered these to the child: passing them on would deliver them twice.
 */
const TERMINAL_SIGNALS: ReadonlySet<string> = new Set(['SIGINT', 'SIGQUIT', 'SIGWINCH']);

export interface RunChildDeps extends Pick<Deps, 'spawnProcess' | 'divertSignals'> {
  /** Whether awskeys is in its terminal's foreground process group (terminal-foreground.ts). */
  inTerminalForeground(): boolean;
}

export class CommandNotFoundError extends CliError {
  constructor(command: string) {
    super(`Command not found: ${command}.`, ExitCode.CommandNotFound, {
      hint: 'check the spelling and PATH, or give the path to the program',
    });
  }
}

export class CommandNotExecutableError extends CliError {
  constructor(command: string) {
    super(`Cannot run ${command}: it is not an executable program (or permission is denied).`, ExitCode.CommandNotExecutable, {
      hint: `make it executable (chmod +x), or run it through its interpreter, e.g. -- sh ${command}`,
    });
  }
}

/**
 * Runs the child to its end and returns the exit status to leave with: its exit code, or 128 + n
 * when signal n ended it (what shells report). From before it starts, awskeys' signals are the
 * child's: each forwarded one is passed on (terminal-sent ones only when they did not reach the
 * child already; one that arrives while it starts, once it has), and none ends awskeys, which
 * waits for the child in every case. stdio is inherited; no shell: arguments arrive as given.
 */
export async function runChild(command: string, args: readonly string[], env: Record<string, string>, deps: RunChildDeps): Promise<number> {
  let child: ChildProcess | undefined;
  const pending: NodeJS.Signals[] = [];
  const pass = (signal: NodeJS.Signals): void => {
    // The child may have just exited; a signal then has no one to reach.
    if (child?.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const release = await deps.divertSignals(FORWARDED_SIGNALS, (signal) => {
    if (TERMINAL_SIGNALS.has(signal) && deps.inTerminalForeground()) return;
    if (child) pass(signal);
    else pending.push(signal);
  });
  try {
    try {
      child = await deps.spawnProcess(command, args, { env, stdio: 'inherit' });
    } catch (err) {
      throw startFailure(command, err);
    }
    const started = child;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      if (started.exitCode !== null || started.signalCode !== null) resolve({ code: started.exitCode, signal: started.signalCode });
      else started.once('exit', (code, signal) => resolve({ code, signal }));
    });
    for (const signal of pending.splice(0)) pass(signal);
    const { code, signal } = await exited;
    if (code !== null) return code;
    return 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
  } finally {
    release();
  }
}

function startFailure(command: string, err: unknown): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return new CommandNotFoundError(command);
  if (code === 'EACCES' || code === 'ENOEXEC' || code === 'EISDIR') return new CommandNotExecutableError(command);
  return err;
}

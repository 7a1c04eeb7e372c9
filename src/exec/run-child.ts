import { constants } from 'node:os';
import { CliError, ExitCode } from '../errors.js';

/** The signals `awskeys exec` passes on to its child. */
export const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'] as const;
export type ForwardedSignal = (typeof FORWARDED_SIGNALS)[number];

/**
 * Signals a terminal sends to its whole foreground process group (Ctrl-C, Ctrl-\, a resize). The
 * child runs in awskeys' group, so when that group is in the foreground the terminal has already
 * delivered these to the child: passing them on would deliver them twice.
 */
const TERMINAL_SIGNALS: ReadonlySet<string> = new Set(['SIGINT', 'SIGQUIT', 'SIGWINCH']);

/** A started child process (see node-child.ts for the real one). */
export interface RunningChild {
  /** Resolves once the program runs; rejects with the system error (ENOENT, EACCES) when it cannot start. */
  readonly started: Promise<void>;
  /** The exit code, or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

export interface ChildRunner {
  /** Starts `command` with inherited stdio and exactly `env`, in awskeys' process group. */
  spawn(command: string, args: readonly string[], env: Record<string, string>): RunningChild;
  /**
   * Routes the listed signals to `handler` instead of awskeys' own handling (Ctrl-C's abort and
   * interrupt message) until the returned function is called.
   */
  takeSignals(signals: readonly NodeJS.Signals[], handler: (signal: NodeJS.Signals) => void): () => void;
  /** Whether awskeys is in its terminal's foreground process group (see TERMINAL_SIGNALS). */
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
 * when signal n ended it (what shells report). From the moment it starts, awskeys' signals are
 * the child's: each forwarded one is passed on (terminal-sent ones only when they did not reach
 * the child already), and none ends awskeys, which waits for the child in every case.
 */
export async function runChild(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  runner: ChildRunner,
): Promise<number> {
  let child: RunningChild | undefined;
  const release = runner.takeSignals(FORWARDED_SIGNALS, (signal) => {
    if (TERMINAL_SIGNALS.has(signal) && runner.inTerminalForeground()) return;
    child?.kill(signal);
  });
  try {
    child = runner.spawn(command, args, env);
    try {
      await child.started;
    } catch (err) {
      throw startFailure(command, err);
    }
    const { code, signal } = await child.exited;
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

import { stopExitCode, type StopSignal } from '../errors/stop-signal.js';

/**
 * The stop signals (Ctrl-C, SIGTERM, SIGHUP: src/errors/stop-signal.ts), and the few stretches of work
 * that must not be cut off halfway. This is the one place that decides what a stop signal does;
 * the composition root (full-entry.ts) diverts the process's stop signals to interruptHandler
 * (src/errors/process-signals.ts, the one place that listens to signals).
 *
 * The first signal aborts deps.signal: commands stop, and a key rotation undoes what it did. A
 * second one normally ends the process at once (128 + its number). But while a command runs a
 * critical section (from creating a new key to storing it or finishing its rollback), ending the
 * process would leave a key that is Active and stored nowhere, so the second signal only says so,
 * and a third one ends the process anyway, naming the key it leaves behind.
 *
 * A command that must handle the signals itself (`exec` forwards them to its child) diverts them
 * to itself with Deps.divertSignals for as long as it needs them; meanwhile they neither abort
 * deps.signal nor end the process.
 *
 * The sections below are the module state of awskeys, on purpose: signals are delivered to the
 * process, so the record of what they should do is process-wide too. Services do not import this
 * module; commands hand `runCritical` to them.
 */
const sections: { leftBehind: () => string | undefined }[] = [];

/**
 * Runs `work` as a critical section (see above). `leftBehind` says, at any moment, what a forced
 * quit would leave behind ("the new key AKIA... of IAM user ... is Active and stored nowhere"), or
 * undefined while nothing would be.
 */
export async function runCritical<T>(work: () => Promise<T>, leftBehind: () => string | undefined = () => undefined): Promise<T> {
  const section = { leftBehind };
  sections.push(section);
  try {
    return await work();
  } finally {
    sections.splice(sections.indexOf(section), 1);
  }
}

export function inCriticalSection(): boolean {
  return sections.length > 0;
}

/** What the critical sections running now would leave behind if the process ended. */
export function leftBehindNow(): string[] {
  return sections.map((s) => s.leftBehind()).filter((line): line is string => line !== undefined);
}

export function finishingRollback(signal: StopSignal): string {
  const again = signal === 'SIGINT' ? 'press Ctrl-C again' : `send ${signal} again`;
  return `awskeys: finishing the rollback so no key is left behind; ${again} to force quit`;
}

/** Kept for the Ctrl-C case, which tests and docs quote. */
export const FINISHING_ROLLBACK = finishingRollback('SIGINT');

export interface InterruptActions {
  /** The first signal: abort deps.signal (with a StopRequest naming the signal). */
  abort(signal: StopSignal): void;
  /** A line for stderr. */
  warn(line: string): void;
  exit(code: number): void;
}

/**
 * The process's listener for every stop signal: abort on the first; exit on the second, unless a
 * critical section runs, in which case warn once and exit on the next one, saying what is left.
 */
export function interruptHandler(
  actions: InterruptActions,
  critical: () => boolean = inCriticalSection,
  leftBehind: () => string[] = leftBehindNow,
): (signal?: StopSignal) => void {
  let received = 0;
  let warned = false;
  return (signal = 'SIGINT') => {
    received += 1;
    if (received === 1) {
      actions.abort(signal);
    } else if (critical() && !warned) {
      warned = true;
      actions.warn(finishingRollback(signal));
    } else {
      for (const line of leftBehind()) actions.warn(`awskeys: force quit: ${line}`);
      actions.exit(stopExitCode(signal));
    }
  };
}

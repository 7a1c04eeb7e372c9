import { ExitCode } from '../errors.js';

/**
 * Ctrl-C, and the few stretches of work that must not be cut off halfway.
 *
 * The first Ctrl-C aborts deps.signal: commands stop, and a key rotation undoes what it did. A
 * second Ctrl-C normally ends the process at once (exit 130). But while a command runs a critical
 * section (a rotation between creating the new key and finishing its rollback), ending the process
 * would leave a key that is Active and stored nowhere, so the second Ctrl-C only says so, and a
 * third one ends the process anyway.
 *
 * The depth below is the one piece of module state in awskeys, on purpose: SIGINT is delivered to
 * the process, so the record of whether a critical section runs is process-wide too. Services do
 * not import this module; commands hand `runCritical` to them.
 */
let depth = 0;

/** Runs `work` as a critical section (see above). */
export async function runCritical<T>(work: () => Promise<T>): Promise<T> {
  depth += 1;
  try {
    return await work();
  } finally {
    depth -= 1;
  }
}

export function inCriticalSection(): boolean {
  return depth > 0;
}

export const FINISHING_ROLLBACK = 'awskeys: finishing the rollback so no key is left behind; press Ctrl-C again to force quit';

export interface InterruptActions {
  /** The first Ctrl-C: abort deps.signal. */
  abort(): void;
  /** A line for stderr. */
  warn(line: string): void;
  exit(code: number): void;
}

/**
 * The process's SIGINT listener: abort on the first press; exit on the second, unless a critical
 * section runs, in which case warn once and exit on the next press.
 */
export function interruptHandler(actions: InterruptActions, critical: () => boolean = inCriticalSection): () => void {
  let presses = 0;
  let warned = false;
  return () => {
    presses += 1;
    if (presses === 1) {
      actions.abort();
    } else if (critical() && !warned) {
      warned = true;
      actions.warn(FINISHING_ROLLBACK);
    } else {
      actions.exit(ExitCode.Interrupted);
    }
  };
}

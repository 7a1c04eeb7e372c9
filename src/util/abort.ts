import { InterruptedError } from '../errors/cli-error.js';

/**
 * Ctrl-C (Deps.signal) during work against AWS. Calls that only read are sent with the signal, so
 * an interrupt cuts them short. Calls that change something (create, delete, update a key) are
 * not: aborting one in flight leaves its outcome unknown (AWS may have carried it out), so it is
 * allowed to finish, and the caller checks the signal before the next step and undoes what it can.
 */

/** SDK send options for a read that Ctrl-C may cut short. */
export function abortable(signal: AbortSignal | undefined): { abortSignal?: AbortSignal } {
  return signal ? { abortSignal: signal } : {};
}

/** Stops with exit 130 once Ctrl-C was pressed; called before each step that changes something. */
export function throwIfInterrupted(signal: AbortSignal | undefined, message?: string): void {
  if (signal?.aborted) throw new InterruptedError(message);
}

/**
 * The InterruptedError for a call that failed because of Ctrl-C (the SDK's AbortError, or any
 * failure once the signal is aborted); undefined for a genuine failure.
 */
export function interruption(err: unknown, signal: AbortSignal | undefined): InterruptedError | undefined {
  if (err instanceof InterruptedError) return err;
  if (signal?.aborted || (err as { name?: unknown } | undefined)?.name === 'AbortError') {
    return new InterruptedError(undefined, { cause: err });
  }
  return undefined;
}

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

/**
 * A signal that follows `signal` (Ctrl-C) until `detach()` and is never aborted after it: for a
 * resource whose calls are reads at first, which Ctrl-C cuts short, and later changes that must be
 * let finish and an undo that must still run once Ctrl-C was pressed (a key rotation's vault store:
 * a keychain call given an aborted signal fails at once, so the old item could not be put back).
 */
export function detachableSignal(signal: AbortSignal): { signal: AbortSignal; detach: () => void } {
  const own = new AbortController();
  const follow = () => own.abort(signal.reason);
  if (signal.aborted) follow();
  else signal.addEventListener('abort', follow, { once: true });
  return { signal: own.signal, detach: () => signal.removeEventListener('abort', follow) };
}

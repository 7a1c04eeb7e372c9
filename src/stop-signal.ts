import { InterruptedError } from './errors.js';

/**
 * The signals that stop awskeys cleanly: Ctrl-C (SIGINT), SIGTERM (`timeout`, a cancelled CI job,
 * `kill`) and SIGHUP (a dropped SSH session or closed terminal). All three abort deps.signal with
 * a StopRequest as its reason, so a message can name what stopped the run, and the process ends
 * with 128 + the signal's number, as a shell reports a process the signal killed (docs/decisions.md, D9).
 */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

const NUMBER: Record<StopSignal, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** The reason deps.signal is aborted with. */
export class StopRequest extends Error {
  readonly signalName: StopSignal;

  constructor(signalName: StopSignal) {
    super(`stopped by ${signalName}`);
    this.name = 'StopRequest';
    this.signalName = signalName;
  }
}

/** 129 for SIGHUP, 130 for SIGINT, 143 for SIGTERM. */
export function stopExitCode(signalName: StopSignal): number {
  return 128 + NUMBER[signalName];
}

/** The stop signal `signal` was aborted with; undefined when it was not aborted by one. */
export function stopSignalOf(signal: AbortSignal | undefined): StopSignal | undefined {
  const reason: unknown = signal?.aborted ? signal.reason : undefined;
  return reason instanceof StopRequest ? reason.signalName : undefined;
}

/** How a message names what stopped the run: "Ctrl-C" (an abort without a reason is one too), "SIGTERM", "SIGHUP". */
export function stopName(signal: AbortSignal | undefined): string {
  const stop = stopSignalOf(signal);
  return stop === undefined || stop === 'SIGINT' ? 'Ctrl-C' : stop;
}

/** "Stopped by SIGHUP (hang-up)": how a message begins that says a signal other than Ctrl-C stopped the run. */
const STOPPED_BY: Record<Exclude<StopSignal, 'SIGINT'>, string> = {
  SIGTERM: 'Stopped by SIGTERM',
  SIGHUP: 'Stopped by SIGHUP (hang-up)',
};

/**
 * The error to report for a run that `stop` ended. An InterruptedError is written where it is
 * thrown as for Ctrl-C, "Interrupted while waiting for the lock ...; nothing was written." (or
 * "<action>: interrupted."), since most places that throw one do not know what stopped the run;
 * the run's report, which does (deps.signal's reason), names SIGTERM or SIGHUP instead: "Stopped
 * by SIGTERM while waiting for the lock ...; nothing was written." Messages that name the signal
 * themselves (a rotation's account, via stopName) and every other error are left as they are.
 */
export function namingTheStop(err: unknown, stop: StopSignal | undefined): unknown {
  if (!(err instanceof InterruptedError) || stop === undefined || stop === 'SIGINT') return err;
  const by = STOPPED_BY[stop];
  const message = err.message.replace(/^Interrupted\b/, by).replace(/: interrupted\.$/, `: ${by.charAt(0).toLowerCase()}${by.slice(1)}.`);
  return message === err.message ? err : new InterruptedError(message, { hint: err.hint, cause: err });
}

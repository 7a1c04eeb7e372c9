import { InterruptedError } from './cli-error.js';

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

/**
 * How a message says mid-sentence that the run was stopped ("Rotation of profile dev was
 * interrupted (Ctrl-C) at ..."); namingTheStop words it for SIGTERM and SIGHUP.
 */
export const INTERRUPTED_BY_CTRL_C = 'interrupted (Ctrl-C)';

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
 * by SIGTERM while waiting for the lock ...; nothing was written." The same for a message that
 * says it mid-sentence with INTERRUPTED_BY_CTRL_C (a rotation's account: "was stopped by SIGTERM
 * at ..."). Every other error is left as it is.
 */
export function namingTheStop(err: unknown, stop: StopSignal | undefined): unknown {
  if (!(err instanceof InterruptedError) || stop === undefined || stop === 'SIGINT') return err;
  const by = STOPPED_BY[stop];
  const midSentence = `${by.charAt(0).toLowerCase()}${by.slice(1)}`;
  const message = err.message
    .replace(/^Interrupted\b/, by)
    .replace(/: interrupted\.$/, `: ${midSentence}.`)
    .replace(INTERRUPTED_BY_CTRL_C, midSentence);
  return message === err.message ? err : new InterruptedError(message, { hint: err.hint, cause: err });
}

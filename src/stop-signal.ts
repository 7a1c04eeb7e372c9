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

/** How a message names what stopped the run: "Ctrl-C" (an abort without a reason is one too), "SIGTERM", "SIGHUP". */
export function stopName(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  return reason instanceof StopRequest && reason.signalName !== 'SIGINT' ? reason.signalName : 'Ctrl-C';
}

/**
 * The real Deps.takeSignals: every listener the process has for those signals now (awskeys' own
 * Ctrl-C/SIGTERM/SIGHUP handling, whatever the entry installed) steps aside for `handler` and comes
 * back when the returned function is called, so it needs no knowledge of how the entry wired them.
 * While a listener is installed, node does not apply a signal's default action (ending the process).
 */
export function takeProcessSignals(proc: Pick<NodeJS.Process, 'listeners' | 'on' | 'removeListener'> = process) {
  return (signals: readonly NodeJS.Signals[], handler: (signal: NodeJS.Signals) => void): (() => void) => {
    const saved = signals.map((signal) => ({ signal, listeners: proc.listeners(signal) as ((...args: unknown[]) => void)[] }));
    for (const { signal, listeners } of saved) {
      for (const listener of listeners) proc.removeListener(signal, listener);
      proc.on(signal, handler);
    }
    return () => {
      for (const { signal, listeners } of saved) {
        proc.removeListener(signal, handler);
        for (const listener of listeners) proc.on(signal, listener);
      }
    };
  };
}

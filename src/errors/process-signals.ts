/**
 * The one place awskeys listens to process signals, and stops listening again. Whoever needs
 * signals diverts the ones it names to its handler until it releases them: the full entry diverts
 * the stop signals (Ctrl-C, SIGTERM, SIGHUP) to its abort-and-roll-back handling for the whole run
 * (src/cli/critical-section.ts), and `exec` diverts those and a few more to its child while the
 * child runs (src/exec/run-child.ts). The latest diversion of a signal gets it alone; releasing
 * gives it back to the one before, so exec's forwarding sits on top of the stop handling and
 * needs no knowledge of it.
 *
 * The process has one listener per signal while any diversion of it lasts and none otherwise, so
 * a signal nobody diverts keeps node's default action (SIGQUIT, SIGUSR1 and SIGWINCH outside exec),
 * and while one is diverted node never applies that action (ending the process).
 *
 * Not on the lean `env` path (src/cli/entry.ts): env diverts nothing, so Ctrl-C simply ends it.
 */

/** Diverts `signals` to `handler`; the returned function gives them back (calling it again does nothing). */
export type DivertSignals = <S extends NodeJS.Signals>(signals: readonly S[], handler: (signal: S) => void) => () => void;

type SignalHandler = (signal: NodeJS.Signals) => void;

/** The part of `process` this uses (an EventEmitter in tests). */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  removeListener(signal: NodeJS.Signals, listener: () => void): unknown;
}

/** Diversions of the signals of `source`, each signal to the handler that took it last. */
export function signalDiverter(source: SignalSource): DivertSignals {
  const routes = new Map<NodeJS.Signals, { listener: () => void; takers: SignalHandler[] }>();
  return <S extends NodeJS.Signals>(signals: readonly S[], handler: (signal: S) => void) => {
    const taken = [...new Set(signals)];
    const take = handler as SignalHandler; // only ever called with one of `taken`
    for (const signal of taken) {
      let route = routes.get(signal);
      if (!route) {
        const takers: SignalHandler[] = [];
        route = { takers, listener: () => takers.at(-1)?.(signal) };
        routes.set(signal, route);
        source.on(signal, route.listener);
      }
      route.takers.push(take);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const signal of taken) {
        const route = routes.get(signal);
        if (!route) continue;
        route.takers.splice(route.takers.lastIndexOf(take), 1);
        if (route.takers.length === 0) {
          source.removeListener(signal, route.listener);
          routes.delete(signal);
        }
      }
    };
  };
}

let diverter: DivertSignals | undefined;

/** Diversions of this process's signals: one diverter for the process, as signals are the process's. */
export const divertProcessSignals: DivertSignals = (signals, handler) => {
  diverter ??= signalDiverter(process);
  return diverter(signals, handler);
};

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isatty } from 'node:tty';
import type { ChildRunner, RunningChild } from './run-child.js';

/**
 * The real ChildRunner: node's spawn with inherited stdio (no shell: the arguments reach the
 * program as given), and process signal listeners.
 */
export function nodeChildRunner(proc: NodeJS.Process = process): ChildRunner {
  return {
    spawn(command, args, env): RunningChild {
      const child = spawn(command, [...args], { env, stdio: 'inherit' });
      const started = new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
      const exited = started.then(
        () =>
          new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
            child.once('exit', (code, signal) => resolve({ code, signal }));
          }),
      );
      // A start failure is reported through `started`; `exited` must not also be an unhandled rejection.
      exited.catch(() => undefined);
      return {
        started,
        exited,
        kill(signal) {
          // The child may have just exited; a signal to it then has no one to reach.
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        },
      };
    },

    takeSignals(signals, handler) {
      // Every listener there is now (awskeys' Ctrl-C handling, whatever the entry installed) steps
      // aside and comes back afterwards, so this needs no knowledge of how the entry wired them.
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
    },

    inTerminalForeground: () => inTerminalForeground(proc),
  };
}

/**
 * Linux: /proc/self/stat says which process group the controlling terminal sends its signals to
 * (tpgid) and ours (pgrp). No terminal, or one whose foreground is another group (awskeys run with
 * `&`): a Ctrl-C-like signal that arrives was sent to awskeys alone. Elsewhere: a terminal on
 * stdin is taken to mean awskeys runs in its foreground, as it does when typed at a prompt.
 */
function inTerminalForeground(proc: NodeJS.Process): boolean {
  if (proc.platform === 'linux') {
    try {
      const stat = readFileSync('/proc/self/stat', 'utf8');
      // Fields after the command name (which may itself hold spaces and parentheses).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const [pgrp, , ttyNr, tpgid] = [fields[2], fields[3], fields[4], fields[5]];
      return ttyNr !== '0' && pgrp === tpgid;
    } catch {
      // fall through
    }
  }
  // isatty, not proc.stdin: creating the stdin stream could start reading what the child should get.
  return isatty(0);
}

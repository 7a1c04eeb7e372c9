import type { Output } from './deps.js';
import { terminalSafe } from '../output/terminal-text.js';

/**
 * The one way a service talks to the user. Services take `Pick<Reporter, 'info' | 'warn' |
 * 'progress'>` (or just `warn`) and never write to a stream themselves; only commands call
 * `result`, so stdout carries results alone (exports, JSON, CSV, tables).
 *
 * Wording is stable: every warning reads `awskeys: warning: <text>` whoever raises it, so a
 * service passes the text only.
 */
export interface Reporter {
  /** A line for the user on stderr: what was done, what happens next. */
  info(line: string): void;
  /** `awskeys: warning: <text>` on stderr: something worth fixing that did not stop the command. */
  warn(text: string): void;
  /**
   * A passing status while something takes time. On a terminal it rewrites one line (the next
   * info, warning or result clears it first); without one it is a plain line, so logs keep it.
   */
  progress(line: string): void;
  /** The command's result, on stdout, exactly as given (commands only). */
  result(text: string): void;
}

export const WARNING_PREFIX = 'awskeys: warning: ';

/** The text of a warning line, as every command prints it: one line, whatever names it quotes (terminal-text.ts). */
export function warningLine(text: string): string {
  return `${WARNING_PREFIX}${terminalSafe(text)}`;
}

export const NOTE_PREFIX = 'awskeys: note: ';

/**
 * An info line that qualifies a result without needing attention (e.g. why some facts are
 * unknown): `awskeys: note: <text>`, said with `info`, never counted as a warning (decision D22).
 */
export function noteLine(text: string): string {
  return `${NOTE_PREFIX}${text}`;
}

export function streamReporter(streams: { stdout: Output; stderr: Output }): Reporter {
  const { stdout, stderr } = streams;
  let transient = false;
  const settle = (): void => {
    if (transient) stderr.write('\r\x1b[2K');
    transient = false;
  };
  return {
    // Lines may quote names from the files: one line each, never an escape sequence (terminal-text.ts);
    // not cut, as an info line may carry a URL to open.
    info(line) {
      settle();
      stderr.write(`${terminalSafe(line, Infinity)}\n`);
    },
    warn(text) {
      settle();
      stderr.write(`${warningLine(text)}\n`);
    },
    progress(text) {
      const line = terminalSafe(text, Infinity);
      if (!stderr.isTTY) {
        stderr.write(`${line}\n`);
        return;
      }
      stderr.write(`\r\x1b[2K${line}`);
      transient = true;
    },
    result(text) {
      settle();
      stdout.write(text);
    },
  };
}

/**
 * A `log(text)` for services that write status lines (the IAM transactions): each line of `text`
 * is an info line, so a multi-line plan keeps its lines and every name it quotes stays on its own.
 */
export function infoLines(report: Pick<Reporter, 'info'>): (text: string) => void {
  return (text) => {
    for (const line of text.split('\n')) report.info(line);
  };
}

import type { Output } from './deps.js';
import type { Prompter } from '../prompt/prompter.js';
import { terminalSafe } from '../output/terminal-text.js';

/**
 * The one way a service talks to the user. Services take `Pick<Reporter, 'info' | 'warn' |
 * 'status' | ...>` (or just `warn`) and never write to a stream themselves; only commands call
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
   * The live status line (a wait timer, a counter): on a terminal it is drawn on one line, cut to
   * the terminal's width so it never wraps, and each call redraws it in place; any other output
   * (info, warning, result, a question: see statusClearingPrompter) clears it first. Without a
   * terminal it shows nothing at all: a log gets no stream of counters (say what matters there
   * with `info`, when `showsStatus` is false).
   */
  status(line: string): void;
  /** Erases the status line, if one is drawn (the next `status` draws it again). */
  clearStatus(): void;
  /** Whether status lines are shown: stderr is a terminal. */
  readonly showsStatus: boolean;
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

/** Erases the terminal line the cursor is on and returns to its start. */
const ERASE_LINE = '\r\x1b[2K';
/** The width a status line is cut to when the terminal does not say (an 80-column terminal). */
const DEFAULT_COLUMNS = 80;

export function streamReporter(streams: { stdout: Output; stderr: Output }): Reporter {
  const { stdout, stderr } = streams;
  let drawn = false;
  const clearStatus = (): void => {
    if (drawn) stderr.write(ERASE_LINE);
    drawn = false;
  };
  const status = (text: string): void => {
    if (!stderr.isTTY) return;
    // One column short of the width: a line that fills it puts some terminals' cursor on the next.
    const columns = stderr.columns !== undefined && stderr.columns > 1 ? stderr.columns : DEFAULT_COLUMNS;
    const line = [...terminalSafe(text, Infinity)].slice(0, columns - 1).join('');
    stderr.write(`${ERASE_LINE}${line}`);
    drawn = true;
  };
  const info = (line: string): void => {
    clearStatus();
    stderr.write(`${terminalSafe(line, Infinity)}\n`);
  };
  return {
    // Lines may quote names from the files: one line each, never an escape sequence (terminal-text.ts);
    // not cut, as an info line may carry a URL to open.
    info,
    warn(text) {
      clearStatus();
      stderr.write(`${warningLine(text)}\n`);
    },
    status,
    clearStatus,
    // Asked when read, not now: on the lean path, asking creates node's stderr stream (about a tenth
    // of node's start-up time), and env never shows a status line (docs/env.md, "Speed").
    get showsStatus() {
      return stderr.isTTY;
    },
    result(text) {
      clearStatus();
      stdout.write(text);
    },
  };
}

/**
 * `prompter` with the status line cleared before each question, so a question never lands on
 * the end of a half-drawn line (createDeps wraps both prompters with it).
 */
export function statusClearingPrompter(prompter: Prompter, report: Pick<Reporter, 'clearStatus'>): Prompter {
  return {
    get interactive() {
      return prompter.interactive;
    },
    confirm: (q) => (report.clearStatus(), prompter.confirm(q)),
    input: (q) => (report.clearStatus(), prompter.input(q)),
    select: (q) => (report.clearStatus(), prompter.select(q)),
    search: (q) => (report.clearStatus(), prompter.search(q)),
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

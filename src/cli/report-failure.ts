import { CliError, ExitCode } from '../errors/cli-error.js';
import { safeErrorDetail } from '../text/redact.js';
import { terminalSafe } from '../output/terminal-text.js';
import { asFileError } from '../aws-files/file-error.js';
import type { Deps } from '../app/deps.js';

/**
 * How a failed command is reported: a CliError as one line with its hint and exit code, anything
 * else as a short stack and a report line. Apart from main.ts (which turns commander's own errors
 * into UsageErrors first) so the commander-free fast path in entry.ts reports exactly the same way.
 * Every message passes terminalSafe here, the one place errors are printed: whatever name a
 * message quotes (from the command line or a file) stays on its line and cannot drive the terminal.
 */
export function reportFailure(failure: unknown, deps: Pick<Deps, 'stderr'>): number {
  // A file system call that failed where nobody expected it is still the file's problem, not a bug.
  const err = asFileError(failure) ?? failure;
  if (err instanceof CliError) {
    const hint = err.hint ? ` (hint: ${terminalSafe(err.hint)})` : '';
    deps.stderr.write(`awskeys: error: ${terminalSafe(err.message)}${hint}\n`);
    return err.exitCode;
  }
  // Part of the program is missing (a partial dist/, a dependency gone): nothing to report, reinstall.
  if (isModuleNotFound(err)) {
    deps.stderr.write(`awskeys: internal error: ${terminalSafe(safeErrorDetail(err))} (reinstall: npm ci)\n`);
    return ExitCode.Internal;
  }
  // An unexpected error's message may quote what it failed on (a response body, a request): only
  // its safe detail, and of the stack only the frames (its first line repeats the message).
  const { stack } = (err ?? {}) as { stack?: unknown };
  const frames = typeof stack === 'string' ? stack.split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 5) : [];
  deps.stderr.write(`awskeys: internal error: ${terminalSafe(safeErrorDetail(err))}\n${frames.map((f) => `${f}\n`).join('')}`);
  deps.stderr.write('awskeys: this is a bug; please report it with the lines above.\n');
  return ExitCode.Internal;
}

function isModuleNotFound(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

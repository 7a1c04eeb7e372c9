/**
 * `awskeys env | head -c 10` or `| true`: the reader went away before we finished writing. Like
 * `head`'s writer under a shell, that is a quiet end, not a crash: no message (there is no one to
 * read it) and exit 128 + SIGPIPE. Node ignores SIGPIPE, so the write fails with EPIPE instead, and
 * a stream with no 'error' listener would turn it into an uncaught exception. No imports: this is
 * part of the lean entry bundle.
 */

/** 128 + SIGPIPE(13), what a shell reports for a writer ended by a closed pipe (docs/env.md). */
export const CLOSED_PIPE_EXIT = 141;

export function isClosedPipe(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'EPIPE';
}

/** What stdout failing for any other reason (ENOSPC on a full disk, EIO) exits with: ExitCode.OutputFailed. */
export const OUTPUT_FAILED_EXIT = 15;

/**
 * `awskeys env >/dev/full`: the results were lost, and the user must know it, in one line (not a
 * stack trace). Written straight to stderr's file descriptor: stderr may be the same full device.
 */
export function reportOutputFailure(err: unknown, writeStderr: (line: string) => void): void {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  const reason = code === 'ENOSPC' ? 'no space left on the device' : typeof code === 'string' ? code : 'write failed';
  try {
    writeStderr(`awskeys: error: could not write the results to stdout: ${reason}. (hint: free some space, or send stdout somewhere else)\n`);
  } catch {
    // stderr is gone too: the exit code still tells.
  }
  process.exitCode = OUTPUT_FAILED_EXIT;
}

export interface PipeWatch {
  readonly closed: boolean;
}

/**
 * Calls `onClosed` once when `stream` fails with EPIPE, or `onFailed` once when it fails otherwise
 * (a full disk); callers drop further writes while `closed`.
 */
export function watchClosedPipe(stream: NodeJS.WritableStream, onClosed: () => void, onFailed: (err: unknown) => void): PipeWatch {
  let closed = false;
  stream.on('error', (err: unknown) => {
    if (closed) return;
    closed = true;
    if (isClosedPipe(err)) onClosed();
    else onFailed(err);
  });
  return {
    get closed() {
      return closed;
    },
  };
}

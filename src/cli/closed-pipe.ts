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

export interface PipeWatch {
  readonly closed: boolean;
}

/**
 * Calls `onClosed` once when `stream` fails with EPIPE; callers drop further writes while `closed`.
 * Any other write error is rethrown, as before.
 */
export function watchClosedPipe(stream: NodeJS.WritableStream, onClosed: () => void): PipeWatch {
  let closed = false;
  stream.on('error', (err: unknown) => {
    if (!isClosedPipe(err)) throw err;
    if (closed) return;
    closed = true;
    onClosed();
  });
  return {
    get closed() {
      return closed;
    },
  };
}

import { writeSync } from 'node:fs';

/**
 * Writes all of `text` to file descriptor `fd` before returning, or throws the system's error
 * (EPIPE when the reader closed the pipe, ENOSPC on a full disk, EBADF when it was closed). A
 * stream write would only report such an error later, as an 'error' event, after the command had
 * already declared success. A pipe that Node made non-blocking answers EAGAIN while it is full:
 * wait a moment and go on.
 */
export function writeAllSync(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

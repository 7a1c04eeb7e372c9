import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdtemp, open, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface HeldLock {
  /** Resolves once awskeys has found the lock taken: from then on it waits for it (up to 10 s). */
  noticed: Promise<void>;
  /** Removes the lock (the test's afterEach). */
  release(): Promise<void>;
}

/**
 * Holds `<file>.lock` as another live awskeys would (this test process's pid, this host), and
 * tells the test the moment awskeys finds it taken, so a signal can be sent while it waits for the
 * lock, with no guessing about timing. How: the lock starts as a symlink to a FIFO, so awskeys'
 * first look at its content blocks until the test answers, and the test sees that look (a FIFO
 * opens for writing without blocking only once a reader has it open). Before answering, a regular
 * lock file with the same content replaces the symlink, so every later look reads at once.
 */
export async function holdLock(file: string): Promise<HeldLock> {
  const lockPath = `${file}.lock`;
  // Outside the folder of the AWS files, which tests compare before and after.
  const fifoDir = await mkdtemp(join(tmpdir(), 'awskeys-lock-'));
  const fifo = join(fifoDir, 'fifo');
  const content = JSON.stringify({ pid: process.pid, host: hostname(), token: 'held-by-the-test' });
  await promisify(execFile)('mkfifo', ['-m', '600', fifo]);
  await symlink(fifo, lockPath);
  let stop = false;
  const noticed = (async () => {
    for (;;) {
      if (stop) throw new Error(`nobody looked at ${lockPath}`);
      const writer = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).catch((err: unknown) => {
        if ((err as { code?: string }).code === 'ENXIO') return undefined; // no reader yet
        throw err;
      });
      if (writer) {
        await writeFile(`${lockPath}.tmp`, content, { mode: 0o600 });
        await rename(`${lockPath}.tmp`, lockPath);
        await writer.writeFile(content);
        await writer.close();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  return {
    noticed,
    release: async () => {
      stop = true;
      await noticed.catch(() => undefined);
      await unlink(lockPath).catch(() => undefined);
      await rm(fifoDir, { recursive: true, force: true });
    },
  };
}

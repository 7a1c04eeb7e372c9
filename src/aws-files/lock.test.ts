import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeClock } from '../../test/support/fake-clock.js';
import { lockHolders } from '../../test/support/lock-holders.js';
import { systemClock } from '../app/clock.js';
import { ExitCode, InterruptedError, type FileError } from '../errors/cli-error.js';
import { LockTimeoutError, withFileLock } from './lock.js';

const made: string[] = [];
afterAll(() => Promise.all(made.map((d) => rm(d, { recursive: true, force: true }))));

async function tempFile(): Promise<{ dir: string; path: string; lock: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'awskeys-lock-'));
  made.push(dir);
  const path = join(dir, 'credentials');
  return { dir, path, lock: `${path}.lock` };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** For the tests where a holder really is busy for a while: the waiter must wait in real time. */
const real = { clock: systemClock };
const DAY = 86_400_000;

function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', '']);
    child.on('error', reject);
    child.on('exit', () => resolve(child.pid ?? 0));
  });
}

describe('withFileLock', () => {
  it('runs one holder at a time and removes the lock file afterwards', async () => {
    const { dir, path } = await tempFile();
    const events: string[] = [];
    let second: Promise<string> | undefined;
    const first = withFileLock(
      path,
      async () => {
        events.push('a in');
        // b asks for the lock while a holds it, so b cannot get in before a is done.
        second = withFileLock(
          path,
          () => {
            events.push('b in');
            return Promise.resolve('b');
          },
          real,
        );
        await sleep(50);
        events.push('a out');
        return 'a';
      },
      real,
    );
    expect(await first).toBe('a');
    expect(await second).toBe('b');
    expect(events).toEqual(['a in', 'a out', 'b in']);
    expect(await readdir(dir)).toEqual([]);
  });

  it('creates the lock file 0600 with the owner pid, and its folder 0700', async () => {
    const { dir } = await tempFile();
    const path = join(dir, 'new', '.aws', 'credentials');
    const seen = await withFileLock(
      path,
      async () => ({
        lock: JSON.parse(await readFile(`${path}.lock`, 'utf8')) as { pid: number; host: string },
        mode: (await stat(`${path}.lock`)).mode & 0o777,
        dirMode: (await stat(join(dir, 'new', '.aws'))).mode & 0o777,
      }),
      { clock: fakeClock() },
    );
    expect(seen.lock).toMatchObject({ pid: process.pid, host: hostname() });
    expect(seen.mode).toBe(0o600);
    expect(seen.dirMode).toBe(0o700);
  });

  it('releases the lock when the holder throws', async () => {
    const { dir, path } = await tempFile();
    await expect(withFileLock(path, () => Promise.reject(new Error('boom')), { clock: fakeClock() })).rejects.toThrow('boom');
    expect(await readdir(dir)).toEqual([]);
  });

  it('breaks at once a lock left by a process that has exited', async () => {
    const { path, lock } = await tempFile();
    await writeFile(lock, JSON.stringify({ pid: await deadPid(), host: hostname(), token: 'gone' }));
    const clock = fakeClock();
    expect(await withFileLock(path, () => Promise.resolve('got it'), { clock, timeoutMs: 5_000 })).toBe('got it');
    // At once: without a single wait.
    expect(clock.sleeps).toEqual([]);
  });

  it('waits for a live holder by the injected clock, with backoff, then fails with a FileError naming the lock file and the holder', async () => {
    const { path, lock } = await tempFile();
    const held = JSON.stringify({ pid: process.ppid, host: hostname(), token: 'theirs' });
    await writeFile(lock, held);
    // A day ahead: were staleness judged by this clock, the fresh lock would be broken.
    const clock = fakeClock(Date.now() + DAY);
    const error = await withFileLock(path, () => Promise.resolve('never'), { clock, timeoutMs: 10_000 }).catch(
      (e: unknown) => e,
    );
    const waited = clock.sleeps.reduce((sum, ms) => sum + ms, 0);
    expect(waited).toBeGreaterThanOrEqual(10_000);
    expect(waited).toBeLessThan(10_000 + 300);
    // Backoff with jitter: from a few ms up to 200 ms +-50%.
    expect(clock.sleeps[0]).toBeLessThan(7.5);
    expect(Math.max(...clock.sleeps)).toBeLessThan(300);
    expect(error).toBeInstanceOf(LockTimeoutError);
    expect((error as FileError).exitCode).toBe(ExitCode.File);
    expect((error as FileError).message).toBe(
      `Timed out after 10 s waiting for the lock ${lock} held by process ${process.ppid} on ${hostname()}.`,
    );
    expect((error as FileError).hint).toBe(
      `see what it is doing (ps -o pid,stat,etime,args -p ${process.ppid}); run again once it has finished`,
    );
    // Someone else's lock is never removed by a waiter that gave up.
    expect(await readFile(lock, 'utf8')).toBe(held);
  });

  it('stops waiting on Ctrl-C (exit 130), runs nothing and leaves the holder\'s lock alone', async () => {
    const { path, lock } = await tempFile();
    const held = JSON.stringify({ pid: process.ppid, host: hostname(), token: 'theirs' });
    await writeFile(lock, held);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    let ran = false;
    const error = await withFileLock(
      path,
      () => {
        ran = true;
        return Promise.resolve();
      },
      { ...real, timeoutMs: 60_000, signal: controller.signal },
    ).catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as InterruptedError).exitCode).toBe(ExitCode.Interrupted);
    expect((error as InterruptedError).message).toBe(`Interrupted while waiting for the lock ${lock}; nothing was written.`);
    expect(await readFile(lock, 'utf8')).toBe(held);
  });

  it('acquires as soon as a live holder releases', async () => {
    const { path, lock } = await tempFile();
    await writeFile(lock, JSON.stringify({ pid: process.ppid, host: hostname(), token: 'theirs' }));
    setTimeout(() => void unlink(lock), 150);
    expect(await withFileLock(path, () => Promise.resolve('got it'), { ...real, timeoutMs: 5_000 })).toBe('got it');
  });
});

/**
 * The rules in small: a holder touches its lock every 50 ms, and another machine's lock whose
 * heartbeat has stood still for 250 ms is abandoned (the defaults are 2 s and 10 s).
 */
const quick = { clock: systemClock, heartbeatMs: 50, staleMs: 250 };

const holders = lockHolders();
afterAll(() => holders.stopAll());
const startHolder = (path: string, heartbeatMs: number) => holders.start(path, heartbeatMs);

/** Field 22 of /proc/<pid>/stat: the process's start time, which a reused pid does not share. */
async function startTime(pid: number): Promise<string> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ')[19] ?? '';
}

async function setMtime(path: string, msFromNow: number): Promise<void> {
  const when = new Date(Date.now() + msFromNow);
  await utimes(path, when, when);
}

const timeOf = async <T>(work: Promise<T>): Promise<{ value: T; ms: number }> => {
  const start = performance.now();
  const value = await work;
  return { value, ms: performance.now() - start };
};

describe.runIf(process.platform === 'linux')('a lock on this machine: its process decides, never the file\'s age', () => {
  it('a holder stopped with SIGSTOP for longer than the stale window keeps its lock; the waiter times out naming it as stopped', async () => {
    const { path, lock } = await tempFile();
    const holder = await startHolder(path, quick.heartbeatMs);
    const taken = await readFile(lock, 'utf8');
    expect(JSON.parse(taken)).toMatchObject({ pid: holder.pid, host: hostname(), started: await startTime(holder.pid) });
    holder.stop();
    // Its heartbeat has stopped too: by the file's age alone the lock would look abandoned.
    await sleep(quick.staleMs * 2);
    const error = await withFileLock(path, () => Promise.resolve('never'), { ...quick, timeoutMs: 1_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockTimeoutError);
    expect((error as LockTimeoutError).message).toBe(
      `Timed out after 1 s waiting for the lock ${lock} held by process ${holder.pid} on ${hostname()}, which is stopped.`,
    );
    expect((error as LockTimeoutError).hint).toBe(`resume it with kill -CONT ${holder.pid}, or end it, then run again`);
    expect((error as LockTimeoutError).holder).toEqual({ pid: holder.pid, host: hostname() });
    expect(await readFile(lock, 'utf8')).toBe(taken);

    // Resumed, it finishes with its own lock, and then the next one gets in.
    holder.resume();
    expect(await holder.release()).toBe(0);
    expect(await withFileLock(path, () => Promise.resolve('got it'), { ...quick, timeoutMs: 1_000 })).toBe('got it');
  }, 15_000);

  it('a holder touches its lock file every heartbeat while it holds it', async () => {
    const { path, lock } = await tempFile();
    const seen = await withFileLock(
      path,
      async () => {
        const mtimes: number[] = [];
        for (let i = 0; i < 4; i++) {
          mtimes.push((await stat(lock)).mtimeMs);
          await sleep(quick.heartbeatMs * 3);
        }
        return mtimes;
      },
      quick,
    );
    expect(new Set(seen).size).toBe(4);
    expect(await readdir(dirname(path))).toEqual([]);
  });

  it('a lock naming a live pid with another start time (the pid was reused) is broken at once', async () => {
    const { path, lock } = await tempFile();
    const started = await startTime(process.ppid);
    await writeFile(lock, JSON.stringify({ pid: process.ppid, host: hostname(), token: 'old', started: `${Number(started) + 1}` }));
    const clock = fakeClock();
    expect(await withFileLock(path, () => Promise.resolve('got it'), { clock, timeoutMs: 5_000 })).toBe('got it');
    expect(clock.sleeps).toEqual([]);
  });

  it('the same pid with its own start time holds the lock', async () => {
    const { path, lock } = await tempFile();
    await writeFile(lock, JSON.stringify({ pid: process.ppid, host: hostname(), token: 'live', started: await startTime(process.ppid) }));
    const error = await withFileLock(path, () => Promise.resolve('never'), { clock: fakeClock(), timeoutMs: 1_000 }).catch((e: unknown) => e);
    expect((error as LockTimeoutError).holder).toEqual({ pid: process.ppid, host: hostname() });
  });

  it('a lock with a future mtime: a live holder keeps it, a dead one\'s is broken at once', async () => {
    const { path, lock } = await tempFile();
    await writeFile(lock, JSON.stringify({ pid: process.ppid, host: hostname(), token: 'live' }));
    await setMtime(lock, DAY);
    const error = await withFileLock(path, () => Promise.resolve('never'), { clock: fakeClock(), timeoutMs: 1_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockTimeoutError);

    await writeFile(lock, JSON.stringify({ pid: await deadPid(), host: hostname(), token: 'gone' }));
    await setMtime(lock, DAY);
    const clock = fakeClock();
    expect(await withFileLock(path, () => Promise.resolve('got it'), { clock, timeoutMs: 1_000 })).toBe('got it');
    expect(clock.sleeps).toEqual([]);
  });
});

describe('a lock from another machine: its heartbeat decides', () => {
  const remote = JSON.stringify({ pid: process.ppid, host: 'another-host', token: 'theirs' });

  it('is broken once its mtime is out of the stale window and we have seen it stand still for two heartbeats', async () => {
    const { path, lock } = await tempFile();
    await writeFile(lock, remote);
    await setMtime(lock, -60_000);
    const { value, ms } = await timeOf(withFileLock(path, () => Promise.resolve('got it'), { ...quick, timeoutMs: 5_000 }));
    expect(value).toBe('got it');
    expect(ms).toBeGreaterThanOrEqual(2 * quick.heartbeatMs - 5);
    expect(ms).toBeLessThan(1_000);
  });

  it('a mtime far in the future is a stopped heartbeat too, not a lock fresh forever', async () => {
    const { path, lock } = await tempFile();
    await writeFile(lock, remote);
    await setMtime(lock, DAY);
    const { value, ms } = await timeOf(withFileLock(path, () => Promise.resolve('got it'), { ...quick, timeoutMs: 5_000 }));
    expect(value).toBe('got it');
    expect(ms).toBeLessThan(1_000);
  });

  it('a holder whose heartbeat keeps moving keeps its lock, even when its clock is a minute behind ours', async () => {
    const { path, lock } = await tempFile();
    await writeFile(lock, remote);
    // Touched more often than its own 50 ms heartbeat: the test shares its event loop with the waiter.
    const beat = setInterval(() => void setMtime(lock, -60_000), quick.heartbeatMs / 2);
    try {
      const error = await withFileLock(path, () => Promise.resolve('never'), { ...quick, timeoutMs: 1_000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LockTimeoutError);
      expect((error as LockTimeoutError).message).toBe(
        `Timed out after 1 s waiting for the lock ${lock} held by process ${process.ppid} on another-host.`,
      );
      expect((error as LockTimeoutError).hint).toBe(
        `it is still updating the lock; run again once it has finished (if it is gone, delete ${lock})`,
      );
    } finally {
      clearInterval(beat);
    }
    expect(await readFile(lock, 'utf8')).toBe(remote);
  });

  it('a caller that does not wait (timeout 0) still watches a suspect lock to the end before saying it is held', async () => {
    const { path, lock } = await tempFile();
    await writeFile(lock, remote);
    await setMtime(lock, -60_000);
    expect(await withFileLock(path, () => Promise.resolve('got it'), { ...quick, timeoutMs: 0 })).toBe('got it');
    // A recent one is held: no wait at all.
    await writeFile(lock, remote);
    const error = await withFileLock(path, () => Promise.resolve('never'), { ...quick, timeoutMs: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockTimeoutError);
  });

  it.runIf(process.platform === 'linux')('our host name from another boot or pid namespace is another machine: a live-looking pid does not keep a stopped heartbeat', async () => {
    const { path, lock } = await tempFile();
    const started = await startTime(process.ppid);
    await writeFile(lock, JSON.stringify({ pid: process.ppid, host: hostname(), token: 'old', started, machine: 'another-boot/pid:[1]' }));
    await setMtime(lock, -60_000);
    expect(await withFileLock(path, () => Promise.resolve('got it'), { ...quick, timeoutMs: 5_000 })).toBe('got it');
  });
});

describe('a lock file naming no holder (its creator between open and write)', () => {
  it('is given one heartbeat, then broken', async () => {
    const { path, lock } = await tempFile();
    await writeFile(lock, '');
    const { value, ms } = await timeOf(withFileLock(path, () => Promise.resolve('got it'), { ...quick, timeoutMs: 5_000 }));
    expect(value).toBe('got it');
    expect(ms).toBeGreaterThanOrEqual(quick.heartbeatMs - 10);
    expect(ms).toBeLessThan(1_000);
  });

  it('an old one, or a half-written one, is broken at once', async () => {
    const { path, lock } = await tempFile();
    for (const text of ['', '{"pid":12']) {
      await writeFile(lock, text);
      await setMtime(lock, -5_000);
      const clock = fakeClock();
      expect(await withFileLock(path, () => Promise.resolve('got it'), { ...quick, clock, timeoutMs: 5_000 })).toBe('got it');
      expect(clock.sleeps).toEqual([]);
    }
  });
});

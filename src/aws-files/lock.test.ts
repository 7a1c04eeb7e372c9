import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeClock } from '../../test/support/fake-clock.js';
import { systemClock } from '../clock.js';
import { ExitCode, FileError, InterruptedError } from '../errors.js';
import { withFileLock } from './lock.js';

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

  it('breaks a lock older than the stale age even when its process looks alive', async () => {
    const { path, lock } = await tempFile();
    await writeFile(lock, JSON.stringify({ pid: process.ppid, host: 'another-host', token: 'old' }));
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    // The age is the file's real one (its mtime is real time), whatever the injected clock says.
    const clock = fakeClock(Date.now() - DAY);
    expect(await withFileLock(path, () => Promise.resolve('got it'), { clock, timeoutMs: 5_000 })).toBe('got it');
    expect(clock.sleeps).toEqual([]);
  });

  it('waits for a live holder by the injected clock, with backoff, then fails with a FileError naming the lock file', async () => {
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
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).exitCode).toBe(ExitCode.File);
    expect((error as FileError).message).toBe(
      `Timed out after 10 s waiting for the lock ${lock} held by process ${process.ppid} on ${hostname()}.`,
    );
    expect((error as FileError).hint).toBe(`if no other awskeys is running, delete ${lock}`);
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

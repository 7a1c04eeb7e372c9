import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import type { Clock } from '../clock.js';
import { FileError, InterruptedError } from '../errors.js';
import { fileError, isMissing } from './atomic-write.js';

export interface FileLockOptions {
  /** Times the wait and its backoff: the caller's clock (deps.clock), so tests need not wait. */
  clock: Clock;
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** A lock older than this is abandoned and broken (default 10 s); a write holds it for ms. */
  staleMs?: number;
  /** Ctrl-C: stop waiting for the lock (InterruptedError, exit 130); nothing has been written. */
  signal?: AbortSignal | undefined;
}

/** The lock stayed taken (by a live process) for all of timeoutMs; `holder` says whose it is. */
export class LockTimeoutError extends FileError {
  readonly holder: { pid: number; host: string } | undefined;

  constructor(message: string, holder: { pid: number; host: string } | undefined, options: ConstructorParameters<typeof FileError>[1]) {
    super(message, options);
    this.holder = holder;
  }
}

/** What a lock file holds: enough to tell whether its owner is still alive. */
interface LockOwner {
  pid: number;
  host: string;
  token: string;
}

interface LockState {
  /** The raw text: it identifies this lock file among successive ones at the same path. */
  raw: string;
  owner: LockOwner | undefined;
  mtimeMs: number;
}

/**
 * Serializes writers of `path` across processes: `<path>.lock` is created with O_EXCL and holds
 * our pid. A lock whose process is gone (same host) or that is older than staleMs is broken; we
 * wait with backoff up to timeoutMs, then fail with a FileError naming the lock file.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: FileLockOptions): Promise<T> {
  const lockPath = `${path}.lock`;
  const owner: LockOwner = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex') };
  await acquire(path, lockPath, owner, options);
  try {
    return await fn();
  } finally {
    await release(lockPath, owner);
  }
}

async function acquire(path: string, lockPath: string, owner: LockOwner, options: FileLockOptions): Promise<void> {
  const { clock } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 10_000;
  try {
    await mkdir(dirname(lockPath), { recursive: true, mode: 0o700 });
  } catch (err) {
    throw fileError('create the folder for', path, err);
  }
  const started = clock.now().getTime();
  let delay = 5;
  for (;;) {
    if (options.signal?.aborted) throw interruptedWaiting(lockPath);
    if (await tryCreate(lockPath, owner)) return;
    const state = await readLock(lockPath);
    if (state === undefined) continue; // released between our attempt and our look: try again now
    if (isStale(state, staleMs) && (await breakLock(lockPath, state, staleMs))) continue;
    if (clock.now().getTime() - started >= timeoutMs) {
      const holder = state.owner ? ` held by process ${state.owner.pid} on ${state.owner.host}` : '';
      throw new LockTimeoutError(`Timed out after ${timeoutMs / 1000} s waiting for the lock ${lockPath}${holder}.`, state.owner, {
        hint: `if no other awskeys is running, delete ${lockPath}`,
      });
    }
    // Jitter keeps many waiting processes from retrying in lockstep.
    await clock.sleep(delay / 2 + Math.random() * delay, options.signal).catch((err: unknown) => {
      throw err instanceof InterruptedError ? interruptedWaiting(lockPath) : err;
    });
    delay = Math.min(delay * 2, 200);
  }
}

function interruptedWaiting(lockPath: string): InterruptedError {
  return new InterruptedError(`Interrupted while waiting for the lock ${lockPath}; nothing was written.`);
}

async function tryCreate(lockPath: string, owner: LockOwner): Promise<boolean> {
  let handle;
  try {
    handle = await open(lockPath, 'wx', 0o600);
  } catch (err) {
    if ((err as { code?: string }).code === 'EEXIST') return false;
    throw fileError('create the lock file', lockPath, err);
  }
  try {
    await handle.writeFile(JSON.stringify(owner), 'utf8');
  } catch (err) {
    await handle.close();
    await unlink(lockPath).catch(() => undefined);
    throw fileError('write the lock file', lockPath, err);
  }
  await handle.close();
  return true;
}

async function readLock(lockPath: string): Promise<LockState | undefined> {
  try {
    const [raw, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    return { raw, owner: parseOwner(raw), mtimeMs: info.mtimeMs };
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw fileError('read the lock file', lockPath, err);
  }
}

function parseOwner(raw: string): LockOwner | undefined {
  // Empty while its creator is between open and write: then only its age can make it stale.
  try {
    const value = JSON.parse(raw) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string') {
      return { pid: value.pid, host: value.host, token: value.token };
    }
  } catch {
    // not ours or half-written
  }
  return undefined;
}

function isStale(state: LockState, staleMs: number): boolean {
  if (fileAgeMs(state.mtimeMs) > staleMs) return true;
  return state.owner?.host === hostname() && !processAlive(state.owner.pid);
}

/**
 * How old a lock file is. Its mtime is set by the file system from the real clock, and what makes
 * a lock stale is the real time its holder has had (possibly in another process, with another
 * clock), so this is the one place that compares with the real clock rather than the injected one:
 * an injected clock that is frozen or stepped would call every lock fresh, or every lock stale.
 */
function fileAgeMs(mtimeMs: number): number {
  return Date.now() - mtimeMs;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as { code?: string }).code === 'EPERM';
  }
}

/**
 * Breakers take turns through `<lock>.break` (also O_EXCL), and re-check under it that the lock is
 * still the stale one they saw, so a fresh lock taken meanwhile by a live process is never deleted.
 */
async function breakLock(lockPath: string, seen: LockState, staleMs: number): Promise<boolean> {
  const breakPath = `${lockPath}.break`;
  let handle;
  try {
    handle = await open(breakPath, 'wx', 0o600);
  } catch (err) {
    if ((err as { code?: string }).code !== 'EEXIST') throw fileError('create the lock file', breakPath, err);
    // Another process is breaking it; a break file left by a crash is cleared once old enough.
    const info = await stat(breakPath).catch(() => undefined);
    if (info && fileAgeMs(info.mtimeMs) > staleMs) await unlink(breakPath).catch(() => undefined);
    return false;
  }
  try {
    await handle.close();
    const now = await readLock(lockPath);
    if (now?.raw === seen.raw && now.mtimeMs === seen.mtimeMs) {
      await unlink(lockPath).catch((err: unknown) => {
        if (!isMissing(err)) throw fileError('remove the stale lock file', lockPath, err);
      });
    }
    return true;
  } finally {
    await unlink(breakPath).catch(() => undefined);
  }
}

async function release(lockPath: string, owner: LockOwner): Promise<void> {
  // Only our own lock: if we were so slow that it was broken, it now belongs to someone else.
  const state = await readLock(lockPath).catch(() => undefined);
  if (state?.owner?.token === owner.token) await unlink(lockPath).catch(() => undefined);
}

import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../app/clock.js';
import { FileError, InterruptedError } from '../errors/cli-error.js';
import { shellWord } from '../text/shell-word.js';
import { fileError, isMissing } from './atomic-write.js';
import { ownOwner, ownerState, type LockOwner, type OwnerState } from './lock-owner.js';

export interface FileLockOptions {
  /** Times the wait and its backoff: the caller's clock (deps.clock), so tests need not wait. */
  clock: Clock;
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /**
   * How often a holder touches its lock file (default 2 s), so a waiter on another machine can
   * tell it is alive; an empty lock file (its creator between open and write) is given this long.
   */
  heartbeatMs?: number;
  /** A lock from another machine whose heartbeat has stood still this long is abandoned (default 10 s). */
  staleMs?: number;
  /** Ctrl-C, SIGTERM, SIGHUP: stop waiting for the lock (InterruptedError); nothing has been written. */
  signal?: AbortSignal | undefined;
}

export const DEFAULT_HEARTBEAT_MS = 2_000;
export const DEFAULT_STALE_MS = 10_000;

/** The lock stayed taken (by a live process) for all of timeoutMs; `holder` says whose it is. */
export class LockTimeoutError extends FileError {
  readonly holder: { pid: number; host: string } | undefined;

  constructor(message: string, holder: { pid: number; host: string } | undefined, options: ConstructorParameters<typeof FileError>[1]) {
    super(message, options);
    this.holder = holder;
  }
}

interface LockState {
  /** The raw text: it identifies this lock file among successive ones at the same path. */
  raw: string;
  owner: LockOwner | undefined;
  mtimeMs: number;
}

interface Rules {
  heartbeatMs: number;
  staleMs: number;
}

/**
 * Serializes writers of `path` across processes: `<path>.lock` is created with O_EXCL and names
 * its holder, who touches it every heartbeat while it holds it. A lock is broken only when its
 * holder is gone: on this machine, its process has ended (a stopped or busy holder keeps it, however
 * long); from another machine, its heartbeat has stopped. We wait with backoff up to timeoutMs,
 * then fail with a LockTimeoutError naming the holder.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: FileLockOptions): Promise<T> {
  const lockPath = `${path}.lock`;
  const rules = { heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS, staleMs: options.staleMs ?? DEFAULT_STALE_MS };
  const owner = await ownOwner(randomBytes(8).toString('hex'));
  const handle = await acquire(path, lockPath, owner, rules, options);
  const heartbeat = startHeartbeat(handle, rules.heartbeatMs);
  try {
    return await fn();
  } finally {
    await heartbeat.stop();
    await release(lockPath, owner, handle);
  }
}

async function acquire(path: string, lockPath: string, owner: LockOwner, rules: Rules, options: FileLockOptions): Promise<FileHandle> {
  const { clock } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  try {
    await mkdir(dirname(lockPath), { recursive: true, mode: 0o700 });
  } catch (err) {
    throw fileError('create the folder for', path, err);
  }
  const started = clock.now().getTime();
  let delay = 5;
  let watched: Watched | undefined;
  let overtime: number | undefined;
  for (;;) {
    if (options.signal?.aborted) throw interruptedWaiting(lockPath);
    const handle = await tryCreate(lockPath, owner);
    if (handle) return handle;
    const state = await readLock(lockPath);
    if (state === undefined) continue; // released between our attempt and our look: try again now
    watched = watch(watched, state);
    const holder = state.owner ? await ownerState(state.owner) : undefined;
    const verdict = judge(state, holder, watched, rules);
    if (verdict === 'stale' && (await breakLock(lockPath, state, rules))) continue;
    if (clock.now().getTime() - started >= timeoutMs) {
      // A suspect lock is watched for two more heartbeats, even by a caller that does not wait.
      overtime ??= performance.now();
      if (verdict !== 'suspect' || performance.now() - overtime >= 2 * rules.heartbeatMs) {
        throw timedOut(lockPath, timeoutMs, state.owner, holder);
      }
    }
    // Jitter keeps many waiting processes from retrying in lockstep.
    await clock.sleep(delay / 2 + Math.random() * delay, options.signal).catch((err: unknown) => {
      throw err instanceof InterruptedError ? interruptedWaiting(lockPath) : err;
    });
    delay = Math.min(delay * 2, 200);
  }
}

/** Since when (our real time) the lock file has looked exactly as it does now. */
interface Watched {
  raw: string;
  mtimeMs: number;
  since: number;
}

function watch(before: Watched | undefined, state: LockState): Watched {
  if (before?.raw === state.raw && before.mtimeMs === state.mtimeMs) return before;
  return { raw: state.raw, mtimeMs: state.mtimeMs, since: performance.now() };
}

/**
 * On this machine the holder's process decides, whatever the file's times say. From another
 * machine, the heartbeat: the mtime must be out of the stale window by our clock (either way: a
 * lock touched into the future does not stay fresh forever), and we must have seen it stand still
 * for two heartbeats ourselves ('suspect' until then), so a live holder whose clock is far off
 * from ours, and which keeps touching its lock, keeps it. A lock file naming no holder (its
 * creator between open and write, or a crash there) is given one heartbeat.
 */
function judge(state: LockState, holder: OwnerState | undefined, watched: Watched, rules: Rules): 'stale' | 'suspect' | 'held' {
  if (holder?.kind === 'gone') return 'stale';
  if (holder?.kind === 'alive') return 'held';
  const age = Math.abs(fileAgeMs(state.mtimeMs));
  if (holder === undefined) return age > rules.heartbeatMs ? 'stale' : 'held';
  if (age <= rules.staleMs) return 'held';
  return performance.now() - watched.since >= 2 * rules.heartbeatMs ? 'stale' : 'suspect';
}

/**
 * How far the file's mtime is behind the real clock. What makes a lock stale is the real time its
 * holder has had (possibly in another process, with another clock), so this is the one place that
 * compares with the real clock rather than the injected one: an injected clock that is frozen or
 * stepped would call every lock fresh, or every lock stale.
 */
function fileAgeMs(mtimeMs: number): number {
  return Date.now() - mtimeMs;
}

function timedOut(lockPath: string, timeoutMs: number, owner: LockOwner | undefined, holder: OwnerState | undefined): LockTimeoutError {
  const waited = `Timed out after ${timeoutMs / 1000} s waiting for the lock ${lockPath}`;
  if (owner === undefined) {
    return new LockTimeoutError(`${waited}.`, undefined, { hint: `if no other awskeys is running, delete ${shellWord(lockPath)}` });
  }
  const who = { pid: owner.pid, host: owner.host };
  const held = `${waited} held by process ${owner.pid} on ${owner.host}`;
  if (holder?.kind === 'alive' && holder.stopped) {
    return new LockTimeoutError(`${held}, which is stopped.`, who, {
      hint: `resume it with kill -CONT ${owner.pid}, or end it, then run again`,
    });
  }
  if (holder?.kind === 'alive') {
    return new LockTimeoutError(`${held}.`, who, {
      hint: `see what it is doing (ps -o pid,stat,etime,args -p ${owner.pid}); run again once it has finished`,
    });
  }
  return new LockTimeoutError(`${held}.`, who, {
    hint: `it is still updating the lock; run again once it has finished (if it is gone, delete ${shellWord(lockPath)})`,
  });
}

function interruptedWaiting(lockPath: string): InterruptedError {
  return new InterruptedError(`Interrupted while waiting for the lock ${lockPath}; nothing was written.`);
}

/** Our lock's open file (for the heartbeat), or undefined when another one holds the path. */
async function tryCreate(lockPath: string, owner: LockOwner): Promise<FileHandle | undefined> {
  let handle;
  try {
    handle = await open(lockPath, 'wx', 0o600);
  } catch (err) {
    if ((err as { code?: string }).code === 'EEXIST') return undefined;
    throw fileError('create the lock file', lockPath, err);
  }
  try {
    await handle.writeFile(JSON.stringify(owner), 'utf8');
    // Stopped between open and write for longer than the grace an empty lock gets, it may have been
    // broken and taken by another process meanwhile: then the path is no longer our file.
    const [ours, there] = await Promise.all([handle.stat(), stat(lockPath).catch(() => undefined)]);
    if (there?.ino === ours.ino && there.dev === ours.dev) return handle;
    await handle.close();
    return undefined;
  } catch (err) {
    await handle.close().catch(() => undefined);
    await unlink(lockPath).catch(() => undefined);
    throw fileError('write the lock file', lockPath, err);
  }
}

/**
 * Touches the lock file every `ms` while we hold it (an unref'd timer: it never keeps the process
 * alive), through our own open file, so a lock that was broken and taken by another is not touched.
 */
function startHeartbeat(handle: FileHandle, ms: number): { stop(): Promise<void> } {
  let touching: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    touching = touching.then(() => {
      const now = new Date();
      return handle.utimes(now, now).catch(() => undefined);
    });
  }, ms);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await touching;
    },
  };
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
    const value = JSON.parse(raw) as Partial<Record<keyof LockOwner, unknown>>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string') {
      return {
        pid: value.pid,
        host: value.host,
        token: value.token,
        started: typeof value.started === 'string' ? value.started : undefined,
        machine: typeof value.machine === 'string' ? value.machine : undefined,
      };
    }
  } catch {
    // not ours or half-written
  }
  return undefined;
}

/**
 * Breakers take turns through `<lock>.break` (also O_EXCL), and re-check under it that the lock is
 * still the stale one they saw (same text, same mtime: a heartbeat in between moves the mtime), so
 * a fresh lock taken meanwhile by a live process is never deleted.
 */
async function breakLock(lockPath: string, seen: LockState, rules: Rules): Promise<boolean> {
  const breakPath = `${lockPath}.break`;
  let handle;
  try {
    handle = await open(breakPath, 'wx', 0o600);
  } catch (err) {
    if ((err as { code?: string }).code !== 'EEXIST') throw fileError('create the lock file', breakPath, err);
    // Another process is breaking it (for milliseconds); a break file left by a crash is cleared.
    const info = await stat(breakPath).catch(() => undefined);
    if (info && Math.abs(fileAgeMs(info.mtimeMs)) > rules.staleMs) await unlink(breakPath).catch(() => undefined);
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

async function release(lockPath: string, owner: LockOwner, handle: FileHandle): Promise<void> {
  // Only our own lock: had it been broken (we were taken for gone), it now belongs to someone else.
  const state = await readLock(lockPath).catch(() => undefined);
  if (state?.owner?.token === owner.token) await unlink(lockPath).catch(() => undefined);
  await handle.close().catch(() => undefined);
}

import { readFile, readlink } from 'node:fs/promises';
import { hostname } from 'node:os';

/**
 * Who holds a lock, written into the lock file: enough for a waiter on this machine to tell for
 * sure whether the holder is still running. A pid alone is not enough: after the holder died the
 * pid can belong to a new, unrelated process, so Linux records the process start time too, and
 * the boot and pid namespace the pid means something in.
 */
export interface LockOwner {
  pid: number;
  host: string;
  /** Identifies this lock file among successive ones at the same path. */
  token: string;
  /** Linux: the start time of `pid` (/proc/<pid>/stat field 22, clock ticks since boot). */
  started?: string | undefined;
  /** Linux: the boot id and pid namespace in which `pid` is meant; another one is another machine. */
  machine?: string | undefined;
}

/** What a waiter can know about a holder. */
export type OwnerState =
  /** Running on this machine (possibly stopped: SIGSTOP, Ctrl-Z). */
  | { kind: 'alive'; stopped: boolean }
  /** Its process has ended (or its pid now belongs to another process): the lock is abandoned. */
  | { kind: 'gone' }
  /** Another machine (or container): only its heartbeat can say whether it is alive. */
  | { kind: 'elsewhere' };

export async function ownOwner(token: string): Promise<LockOwner> {
  const [self, machine] = await Promise.all([processInfo(process.pid), machineId()]);
  return { pid: process.pid, host: hostname(), token, started: self?.started, machine };
}

export async function ownerState(owner: LockOwner): Promise<OwnerState> {
  if (owner.host !== hostname()) return { kind: 'elsewhere' };
  const machine = await machineId();
  // Same name, another boot or pid namespace: a container sharing the folder, or a reboot since.
  // Its pid says nothing here; its heartbeat does (a lock from before a reboot has stopped beating).
  if (owner.machine !== undefined && machine !== undefined && owner.machine !== machine) return { kind: 'elsewhere' };
  if (!pidExists(owner.pid)) return { kind: 'gone' };
  const info = await processInfo(owner.pid);
  // No /proc (macOS, BSD): the pid's existence is all there is to go by.
  if (info === undefined) return { kind: 'alive', stopped: false };
  if (info.state === 'Z' || info.state === 'X') return { kind: 'gone' };
  if (owner.started !== undefined && info.started !== owner.started) return { kind: 'gone' };
  return { kind: 'alive', stopped: info.state === 'T' || info.state === 't' };
}

/** Whether a process with this pid exists on this machine (whoever owns it). */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as { code?: string }).code === 'EPERM';
  }
}

/** A process's state letter and start time from /proc/<pid>/stat; undefined without /proc. */
async function processInfo(pid: number): Promise<{ state: string; started: string } | undefined> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may itself contain spaces and ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const [state, started] = [fields[0], fields[19]];
  return state && started ? { state, started } : undefined;
}

async function machineId(): Promise<string | undefined> {
  try {
    const [boot, ns] = await Promise.all([readFile('/proc/sys/kernel/random/boot_id', 'utf8'), readlink('/proc/self/ns/pid')]);
    return `${boot.trim()}/${ns}`;
  } catch {
    return undefined;
  }
}

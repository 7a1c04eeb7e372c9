import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, open, readFile, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FileError } from '../errors/cli-error.js';
import { fileError } from './file-error.js';
import { pidExists } from './lock-owner.js';
import { shellWord } from '../text/shell-word.js';

export interface AtomicWriteOptions {
  /**
   * Mode for a file that does not exist yet (default 0600). When it is private (no group or other
   * bits), the data is a secret: an existing file that group or others may use is tightened.
   */
  mode?: number;
}

/**
 * Replaces `path` with `data` so that a reader sees either the old or the new content, never a
 * half-written file: write a temp file in the same folder, fsync it, rename it over the target,
 * fsync the folder. The folder is created 0700 when missing (it holds secrets).
 *
 * An existing file keeps its mode and (when we run as root) its owner, except that a secret
 * (`mode` private) is never left open to other users: their read/write/execute bits are cleared,
 * the owner's and the special bits (setgid, sticky) kept. Returns warnings for the user (text
 * only): that the mode was tightened, and that a hard-linked file's other names keep the old
 * contents (the rename gives `path` a new file; they still name the old one).
 */
export async function writeFileAtomic(path: string, data: string, options: AtomicWriteOptions = {}): Promise<string[]> {
  const dir = dirname(path);
  const wanted = options.mode ?? 0o600;
  let mode = wanted;
  let before: { mode: number; links: number; uid: number; gid: number } | undefined;
  try {
    const info = await stat(path);
    if (!info.isFile()) {
      throw new FileError(`${path} is not a regular file; awskeys writes secrets only to regular files.`, {
        hint: `use the path of a regular file (check: ls -lL ${shellWord(path)})`,
      });
    }
    before = { mode: info.mode & 0o7777, links: info.nlink, uid: info.uid, gid: info.gid };
    // Windows reports 0666 (or 0444) whatever the ACLs say, and chmod sets only the read-only flag.
    const tighten = (wanted & 0o077) === 0 && process.platform !== 'win32';
    mode = tighten ? before.mode & ~0o077 : before.mode;
  } catch (err) {
    if (err instanceof FileError) throw err;
    if (!isMissing(err)) throw fileError('read', path, err);
  }
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw fileError('create the folder for', path, err);
  }
  const temp = join(dir, `.${basename(path)}.awskeys-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    // The temp file is created 0600 whatever the umask, so the secret is never briefly readable.
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    // Run as root (sudo) on a user's file: the replacement must stay the user's, not become root's.
    // Before chmod: chown clears the setgid bit.
    if (before && process.getuid?.() === 0 && (before.uid !== 0 || before.gid !== 0)) {
      await chown(temp, before.uid, before.gid);
    }
    if (mode !== 0o600) await chmod(temp, mode);
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw fileError('write', path, err);
  }
  await syncDir(dir);
  return before ? modeWarnings(path, before, mode) : [];
}

/** What the user should know about a replaced file's mode and other names. */
function modeWarnings(path: string, before: { mode: number; links: number }, mode: number): string[] {
  const warnings: string[] = [];
  if (mode !== before.mode) {
    const open = before.mode & 0o044 ? 'readable' : before.mode & 0o022 ? 'writable' : 'executable';
    warnings.push(`${path} was ${open} by other users (mode ${octal(before.mode)}); it is now ${octal(mode)}`);
  }
  const others = before.links - 1;
  if (others > 0) {
    warnings.push(
      others === 1
        ? `${path} has 1 other name (a hard link); it keeps the old contents`
        : `${path} has ${others} other names (hard links); they keep the old contents`,
    );
  }
  return warnings;
}

function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

const TEMP_NAME = /^\.(.+)\.awskeys-(\d+)-[0-9a-f]{8}\.tmp$/;

/**
 * A run killed between creating its temp file and the rename leaves `.<name>.awskeys-<pid>-*.tmp`
 * beside the file: the whole new file, secrets included. Called under the file's lock, so the only
 * temp files that can still be in use are those of live processes; a dead writer's are removed.
 * Returns the names removed.
 */
export async function removeLeftoverTemps(path: string): Promise<string[]> {
  const dir = dirname(path);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMP_NAME.exec(name);
    if (match?.[1] !== basename(path) || isAlive(Number(match[2]))) continue;
    try {
      await unlink(join(dir, name));
      removed.push(name);
    } catch {
      // Gone already, or not ours to remove: nothing was lost either way.
    }
  }
  return removed;
}

function isAlive(pid: number): boolean {
  return pid === process.pid || pidExists(pid);
}

async function syncDir(dir: string): Promise<void> {
  // Makes the rename durable; not supported on every platform, where it is safe to skip.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // EISDIR/EPERM on some systems: the rename itself is still atomic.
  }
}

export function isMissing(err: unknown): boolean {
  return (err as { code?: string }).code === 'ENOENT';
}

// One errno-to-words mapping for every file awskeys touches (file-error.ts).
export { fileError };

/** A file's UTF-8 text, or undefined when it does not exist; other failures are a FileError. */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw fileError('read', path, err);
  }
}

/**
 * A file that will be written back (an AWS file, a CSV to restore): its text, or undefined when it
 * does not exist. Bytes that are not UTF-8 are refused, since decoding them to U+FFFD and writing
 * the result would lose them; a BOM stays in the text, so it is written back too.
 */
export async function readUtf8ForRewrite(path: string): Promise<string | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw fileError('read', path, err);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (err) {
    throw new FileError(`${path} is not valid UTF-8 text.`, {
      hint: `check the file's encoding (for example: file ${shellWord(path)}) and save it as UTF-8`,
      cause: err,
    });
  }
}

/** Deletes a file; false when it was already gone. Other failures are a FileError. */
export async function removeFileIfExists(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (err) {
    if (isMissing(err)) return false;
    throw fileError('delete', path, err);
  }
}

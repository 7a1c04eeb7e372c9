import { dirname } from 'node:path';
import { FileError } from '../errors/cli-error.js';

/** What went wrong with a file, in words, and what the user does about it. */
export interface FileProblem {
  reason: string;
  hint: string | undefined;
}

/**
 * The failure of a file system call on `path` (node's error code: EACCES, ENOSPC, ELOOP...) as
 * words and a concrete fix, for every file awskeys reads or writes: the AWS files, caches, locks,
 * CSVs. An unknown code is shown as it is, without a hint.
 */
export function fileProblem(path: string, err: unknown): FileProblem {
  const code = (err as { code?: unknown } | null)?.code;
  const folder = dirname(path);
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return { reason: 'permission denied', hint: `check the permissions of ${folder}` };
    case 'ENOSPC':
      return { reason: 'no space left on device', hint: `free space on the disk holding ${folder}` };
    case 'EDQUOT':
      return { reason: 'disk quota exceeded', hint: `free space within your quota on the disk holding ${folder}` };
    case 'EROFS':
      return { reason: 'read-only file system', hint: `${folder} is on a disk mounted read-only: remount it read-write, or use a path on a writable disk` };
    case 'ENOTDIR':
      return { reason: 'a parent is not a folder', hint: `a part of ${folder} is a file, not a folder: fix the path or move that file away` };
    case 'EISDIR':
      return { reason: 'it is a folder', hint: `${path} must be a file: remove or rename the folder, or use another path` };
    case 'ELOOP':
      return { reason: 'a symbolic link loop', hint: `${path} is a symlink loop: fix or remove it (check: ls -l ${path})` };
    case 'ENAMETOOLONG':
      return { reason: 'the path is too long', hint: 'use a shorter path' };
    case 'EMFILE':
    case 'ENFILE':
      return { reason: 'too many open files', hint: 'raise the open-file limit (ulimit -n) or close other programs, and run it again' };
    case 'EIO':
      return { reason: 'input/output error', hint: `the disk holding ${folder} may be failing: check it (dmesg), and run it again` };
    case 'ENOENT':
      return { reason: 'no such file or folder', hint: `check the path (ls -l ${folder})` };
    case 'EBUSY':
      return { reason: 'the file is busy', hint: 'close the program holding it, and run it again' };
    default:
      return { reason: typeof code === 'string' ? code : String((err as Error | null)?.message ?? err), hint: undefined };
  }
}

/** `Cannot <action> <path>: <reason>. (hint: <fix>)`, exit 3. */
export function fileError(action: string, path: string, err: unknown): FileError {
  const { reason, hint } = fileProblem(path, err);
  return new FileError(`Cannot ${action} ${path}: ${reason}.`, { hint, cause: err });
}

/**
 * A file system failure nobody wrapped (node's errors carry `syscall` and `path`): reported as a
 * FileError rather than as a bug with a stack trace.
 */
export function asFileError(err: unknown): FileError | undefined {
  const e = err as { code?: unknown; syscall?: unknown; path?: unknown } | null;
  if (typeof e?.code !== 'string' || typeof e.syscall !== 'string' || typeof e.path !== 'string') return undefined;
  return fileError(SYSCALL_ACTIONS[e.syscall] ?? 'use', e.path, err);
}

const SYSCALL_ACTIONS: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write',
  mkdir: 'create the folder',
  rename: 'replace',
  unlink: 'delete',
  rmdir: 'delete',
  stat: 'read',
  lstat: 'read',
  scandir: 'list',
  chmod: 'change the mode of',
  chown: 'change the owner of',
  fsync: 'write',
  copyfile: 'copy',
};

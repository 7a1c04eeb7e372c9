import { describe, expect, it } from 'vitest';
import { asFileError, fileError } from './file-error.js';

const path = '/home/me/.aws/credentials';
const errno = (code: string, extra: Record<string, string> = {}) => Object.assign(new Error(`${code}: failed`), { code, ...extra });

describe('fileError', () => {
  it.each([
    ['EACCES', 'permission denied', 'check the permissions of /home/me/.aws'],
    ['EPERM', 'permission denied', 'check the permissions of /home/me/.aws'],
    ['ENOSPC', 'no space left on device', 'free space on the disk holding /home/me/.aws'],
    ['EDQUOT', 'disk quota exceeded', 'free space within your quota on the disk holding /home/me/.aws'],
    ['EROFS', 'read-only file system', '/home/me/.aws is on a disk mounted read-only: remount it read-write, or use a path on a writable disk'],
    ['ENOTDIR', 'a parent is not a folder', 'a part of /home/me/.aws is a file, not a folder: fix the path or move that file away'],
    ['EISDIR', 'it is a folder', `${path} must be a file: remove or rename the folder, or use another path`],
    ['ELOOP', 'a symbolic link loop', `${path} is a symlink loop: fix or remove it (check: ls -l ${path})`],
    ['ENAMETOOLONG', 'the path is too long', 'use a shorter path'],
    ['EMFILE', 'too many open files', 'raise the open-file limit (ulimit -n) or close other programs, and run it again'],
    ['ENFILE', 'too many open files', 'raise the open-file limit (ulimit -n) or close other programs, and run it again'],
    ['EIO', 'input/output error', 'the disk holding /home/me/.aws may be failing: check it (dmesg), and run it again'],
    ['EBUSY', 'the file is busy', 'close the program holding it, and run it again'],
  ])('%s: says what happened and how to fix it (exit 3)', (code, reason, hint) => {
    expect(fileError('write', path, errno(code))).toMatchObject({ exitCode: 3, message: `Cannot write ${path}: ${reason}.`, hint });
  });

  it('shows an unknown code as it is, with no hint', () => {
    const err = fileError('read', path, errno('EWEIRD'));
    expect({ message: err.message, hint: err.hint }).toEqual({ message: `Cannot read ${path}: EWEIRD.`, hint: undefined });
  });
});

describe('asFileError', () => {
  it("turns a file system failure nobody wrapped into a FileError named after the call's action", () => {
    expect(asFileError(errno('ENOSPC', { syscall: 'write', path }))).toMatchObject({
      exitCode: 3,
      message: `Cannot write ${path}: no space left on device.`,
      hint: 'free space on the disk holding /home/me/.aws',
    });
    expect(asFileError(errno('ELOOP', { syscall: 'open', path }))?.message).toBe(`Cannot open ${path}: a symbolic link loop.`);
  });

  it('leaves errors that are not about a file alone', () => {
    expect(asFileError(errno('ECONNREFUSED', { syscall: 'connect' }))).toBeUndefined();
    expect(asFileError(new TypeError('x is not a function'))).toBeUndefined();
  });
});

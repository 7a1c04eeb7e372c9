import type { Stats } from 'node:fs';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { FileError } from '../errors/cli-error.js';
import { shellWord } from '../text/shell-word.js';
import { dirname } from 'node:path';
import { fileError, isMissing } from './atomic-write.js';

/**
 * Secrets go only into regular files. A path that is, or through symlinks resolves to, a device,
 * FIFO, socket or folder is refused (exit 3) before anything happens: writing would replace a
 * device node with a 0666-looking file holding the secret, and reading a FIFO would hang forever.
 * A missing path (or a symlink to a missing file) is fine: the file will be created. Call it before
 * any AWS call that would produce something to write.
 */
export function checkWritableTarget(path: string): Promise<void> {
  return checkRegularFile(path, '; awskeys writes secrets only to regular files.', 'use the path of a regular file');
}

/** The same check for a file that is only read: reading a FIFO or a device would hang or never end. */
export function checkReadableTarget(path: string): Promise<void> {
  return checkRegularFile(path, '.', 'point it at a regular file');
}

async function checkRegularFile(path: string, ending: string, fix: string): Promise<void> {
  let info: Stats;
  try {
    // stat follows symlinks and never opens the file, so a FIFO cannot block it.
    info = await stat(path);
  } catch (err) {
    if (isMissing(err)) return;
    throw fileError('read', path, err);
  }
  if (info.isFile()) return;
  throw new FileError(`${path} is ${kindOf(info)}, not a regular file${ending}`, {
    hint: `${fix} (check: ls -lL ${shellWord(path)})`,
  });
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** The nearest existing folder on the way to `path` must let us create files (and the lock). */
export async function assertCreatable(path: string): Promise<void> {
  let dir = dirname(path);
  for (;;) {
    try {
      const s = await stat(dir);
      if (!s.isDirectory()) throw fileError('write', path, Object.assign(new Error('not a folder'), { code: 'ENOTDIR' }));
      await access(dir, constants.W_OK | constants.X_OK);
      return;
    } catch (err) {
      if (err instanceof FileError) throw err;
      if (!isMissing(err) || dirname(dir) === dir) throw fileError('write', path, err);
      dir = dirname(dir);
    }
  }
}

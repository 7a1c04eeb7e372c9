import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileError } from '../../aws-files/atomic-write.js';
import type { FileLockOptions } from '../../aws-files/lock.js';
import type { AwsFileKind } from '../../aws-files/sections.js';
import { updateAwsFile } from '../../aws-files/update-file.js';
import { replaceKey, restoreKey, type KeyHolder, type KeyValues, type NewKey } from './key-holders.js';

/** One AWS file that holds the key being rotated. */
export interface KeyFile {
  kind: AwsFileKind;
  path: string;
}

/** One file the rotation changed: enough to put it back exactly. */
export interface FileChange extends KeyFile {
  before: string;
  after: string;
  replaced: (KeyHolder & { previous: KeyValues })[];
  /** From updateAwsFile, e.g. the file is readable by other users. */
  warnings: string[];
}

/**
 * Rotation changes files only after the new key works, so everything that can be checked about
 * them beforehand is: each folder must let us create the temp file, the lock and do the rename.
 */
export async function assertFilesWritable(files: readonly KeyFile[]): Promise<void> {
  for (const file of files) {
    try {
      await access(dirname(file.path), constants.W_OK | constants.X_OK);
    } catch (err) {
      throw fileError('write', file.path, err);
    }
  }
}

/**
 * Writes the new key into every profile of each file that holds the old key id: one locked,
 * atomic update per file. Each finished write is pushed onto `done` as it happens, so a failure in
 * a later file leaves the caller knowing exactly what to put back.
 */
export async function writeNewKey(
  files: readonly KeyFile[],
  oldKeyId: string,
  next: NewKey,
  done: FileChange[],
  lock: FileLockOptions,
): Promise<void> {
  for (const file of files) {
    let change: Omit<FileChange, 'warnings'> | undefined;
    const result = await updateAwsFile(
      file.path,
      (text) => {
        const edit = replaceKey(text, file.path, file.kind, oldKeyId, next);
        change = { ...file, before: text, after: edit.text, replaced: edit.replaced };
        return edit.text;
      },
      lock,
    );
    if (change && result.changed) done.push({ ...change, warnings: result.warnings });
  }
}

/**
 * Puts each changed file back. When nobody touched the file since our write, its exact previous
 * bytes go back; otherwise only our two settings are reverted, in the sections that still hold the
 * new key. Returns the files that could not be restored, with the reason.
 */
export async function restoreFiles(
  changes: readonly FileChange[],
  newKeyId: string,
  lock: FileLockOptions,
): Promise<{ change: FileChange; error: unknown }[]> {
  const failed: { change: FileChange; error: unknown }[] = [];
  for (const change of changes) {
    try {
      await updateAwsFile(
        change.path,
        (text) => (text === change.after ? change.before : restoreKey(text, change.path, change.kind, newKeyId, change.replaced)),
        lock,
      );
    } catch (error) {
      failed.push({ change, error });
    }
  }
  return failed;
}

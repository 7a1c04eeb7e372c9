import { lstat, readlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { FileError } from '../errors/cli-error.js';
import { fileError, isMissing, readUtf8ForRewrite, removeLeftoverTemps, writeFileAtomic } from './atomic-write.js';
import type { SectionEdit } from './ini-edit.js';
import { editSections } from './ini-edit.js';
import type { IniDocument } from './ini-parse.js';
import { parseIni } from './ini-parse.js';
import type { FileLockOptions } from './lock.js';
import { withFileLock } from './lock.js';
import { privacyWarning } from './privacy.js';
import { checkWritableTarget } from './writable-target.js';

export interface UpdateResult {
  path: string;
  created: boolean;
  changed: boolean;
  /** For the user, on stderr: e.g. the file is readable by other users. */
  warnings: string[];
}

/**
 * The one way any command changes an AWS file: under the lock, read the current text ('' if
 * missing), parse it (a malformed file fails with a FileError naming the line and is not touched),
 * apply the pure `edit`, and write atomically (new file 0600, folder 0700; an existing mode kept,
 * except that group and other bits are cleared, with a warning: the file holds secrets).
 * Nothing is written when the text is unchanged. A symlinked file is written through the link, so
 * a dotfiles setup keeps its link. `options.clock` (the caller's deps.clock) times the wait for the
 * lock.
 */
export interface UpdateOptions extends FileLockOptions {
  /**
   * Check-then-write: runs under the lock on the file as it is now (parsed as botocore reads it),
   * before the edit; throwing stops the update with nothing written. This is where a decision such
   * as "the profile already holds a key: pass --force" belongs, so two runs cannot both pass it.
   */
  decide?: ((current: IniDocument) => void) | undefined;
}

export async function updateAwsFile(
  path: string,
  edit: (text: string) => string,
  options: UpdateOptions,
): Promise<UpdateResult> {
  const target = await followSymlinks(path);
  await checkWritableTarget(target);
  return withFileLock(
    target,
    async () => {
      await removeLeftoverTemps(target);
      const current = await readUtf8ForRewrite(target);
      const before = parseIni(current ?? '', path);
      options.decide?.(before);
      const next = edit(current ?? '');
      const changed = next !== (current ?? '');
      let written: string[] = [];
      if (changed) {
        assertStillReadable(next, path);
        // Tightens a file open to other users (and says so): the file now holds a secret we wrote.
        written = await writeFileAtomic(target, next, { mode: 0o600 });
      }
      // Unchanged, it was not ours to change: say how to fix it.
      const open = changed ? undefined : await privacyWarning(target);
      const warnings = [defaultSectionWarning(path, before.defaults), ...written, open].filter((w) => w !== undefined);
      return { path, created: changed && current === undefined, changed, warnings };
    },
    options,
  );
}

/**
 * Many section edits (creations, updates, removals) applied in one pass under one lock, in one
 * atomic write: `sso populate` writing thousands of profiles takes the lock and rewrites the file
 * once. The same as `updateAwsFile(path, (text) => editSections(text, edits), options)`.
 */
export function updateAwsSections(path: string, edits: readonly SectionEdit[], options: UpdateOptions): Promise<UpdateResult> {
  return updateAwsFile(path, (text) => editSections(text, edits), options);
}

/** botocore adds [DEFAULT]'s keys to every profile of the file: the user should know. Names only, never values. */
function defaultSectionWarning(path: string, defaults: Record<string, string> | undefined): string | undefined {
  if (defaults === undefined) return undefined;
  const keys = [...new Set(Object.keys(defaults).map((k) => k.split('.')[0]))].join(', ');
  return `${path} has a [DEFAULT] section: botocore and the AWS CLI add its keys (${keys}) to every profile in the file; move them into the profiles that need them`;
}

function assertStillReadable(text: string, path: string): void {
  try {
    parseIni(text, path);
  } catch (err) {
    // The edit is ours; a file we would make unreadable is our bug, not the user's.
    throw new Error(`Internal error: an edit would have made ${path} unreadable; nothing was written.`, { cause: err });
  }
}

async function followSymlinks(path: string): Promise<string> {
  let current = path;
  for (let hops = 0; hops < 40; hops++) {
    let isLink: boolean;
    try {
      isLink = (await lstat(current)).isSymbolicLink();
    } catch (err) {
      if (isMissing(err)) return current;
      throw fileError('read', path, err);
    }
    if (!isLink) return current;
    current = resolve(dirname(current), await readlink(current));
  }
  throw new FileError(`Cannot read ${path}: too many levels of symbolic links.`, { hint: `check: ls -l ${path}` });
}

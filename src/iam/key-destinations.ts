import { constants } from 'node:fs';
import { access, chmod, stat, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileError, isMissing, readUtf8ForRewrite, writeFileAtomic } from '../aws-files/atomic-write.js';
import { parseIni } from '../aws-files/ini-parse.js';
import { assertStillAllowed, profileOverwrite, withCurrent, type OverwriteApproval, type ProfileFiles } from '../aws-files/profile-overwrite.js';
import { readIni } from '../aws-files/profiles.js';
import { assertValidSectionName } from '../aws-files/sections.js';
import { checkWritableTarget } from '../aws-files/writable-target.js';
import type { Clock } from '../app/clock.js';
import { CancelledError, FileError, NeedsInputError, OutputFailedError } from '../errors/cli-error.js';
import { renderCredentials } from '../output/formats.js';
import { safeErrorDetail } from '../text/redact.js';
import type { Prompter } from '../prompt/prompter.js';
import { throwIfInterrupted } from '../util/abort.js';
import { renderAccessKeyCsv } from './key-csv.js';
import { writeStaticKey } from './write-static-key.js';

/** `--format`: where the secret may go to stdout. */
export const KEY_FORMATS = ['env', 'json', 'csv'] as const;
export type KeyFormat = (typeof KEY_FORMATS)[number];

/** Where a new key goes; any combination. Paths are absolute. */
export interface Destinations {
  profile?: { name: string; credentialsPath: string; configPath: string } | undefined;
  csvPath?: string | undefined;
  format?: KeyFormat | undefined;
}

export function hasDestination(d: Destinations): boolean {
  return d.profile !== undefined || d.csvPath !== undefined || d.format !== undefined;
}

export interface NewKey {
  userName: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** What was written, for the summary on stderr. */
export type Stored =
  | { kind: 'profile'; name: string; path: string; created: boolean; warnings: string[] }
  | { kind: 'csv'; path: string };

/**
 * Everything that can be checked before the key exists: names, that the credentials file parses,
 * that folders are writable, and that nothing is overwritten without --force (or a yes on a
 * terminal). A failure here means no key is ever created.
 */
export async function checkDestinations(d: Destinations, prompter: Prompter, force: boolean): Promise<Approval> {
  const approval: Approval = { force, replacing: undefined };
  if (d.profile) {
    const { name, credentialsPath } = d.profile;
    assertValidSectionName(name, 'profile name');
    await checkWritableTarget(credentialsPath);
    const files = await profileFiles(d.profile);
    await assertWritable(credentialsPath);
    const verdict = profileOverwrite(files, name, NEW_KEY, { flag: '--write-profile', outcome: 'no key was created' });
    if (verdict.verdict === 'refuse') throw verdict.error;
    if (verdict.verdict === 'replace' && !force) {
      await confirmOrRefuse(prompter, { name: 'create-key.replace-profile', ...verdict });
      approval.replacing = { heldKeyId: verdict.heldKeyId };
    }
  }
  if (d.csvPath !== undefined) {
    await checkWritableTarget(d.csvPath);
    const exists = await fileExists(d.csvPath);
    await assertWritable(d.csvPath);
    if (exists && !force) {
      await confirmOrRefuse(prompter, {
        name: 'create-key.replace-csv',
        situation: `${d.csvPath} already exists`,
        question: 'Replace it?',
        hint: 'pass --force to replace it, or choose another --csv-file',
      });
    }
  }
  return approval;
}

/** What checkDestinations let through: storeKey decides again under the lock against it. */
export type Approval = OverwriteApproval;

/** create-key writes a key that does not exist yet: no profile can already hold it. */
const NEW_KEY = { kind: 'static-key', accessKeyId: undefined } as const;

/**
 * For the "Profile name" prompt: the refusal a name would meet (an SSO or role profile), so it is
 * refused as it is typed. Files that cannot be read are left to checkDestinations to report.
 */
export async function profileNameProblem(paths: { credentialsPath: string; configPath: string }): Promise<(name: string) => string | undefined> {
  const files = await profileFiles({ name: '', ...paths }).catch(() => undefined);
  return (name) => {
    if (!files) return undefined;
    const verdict = profileOverwrite(files, name, NEW_KEY, { flag: '--write-profile', outcome: 'no key was created' });
    return verdict.verdict === 'refuse' ? verdict.error.message : undefined;
  };
}

/** Both AWS files as they are now; the credentials file read as a rewrite reads it (through symlinks). */
async function profileFiles(profile: NonNullable<Destinations['profile']>): Promise<ProfileFiles> {
  const { credentialsPath, configPath } = profile;
  const text = await readUtf8ForRewrite(credentialsPath);
  return {
    paths: { credentials: credentialsPath, config: configPath },
    credentials: parseIni(text ?? '', credentialsPath),
    config: await readIni(configPath),
  };
}

/**
 * Writes the key to stdout and the files. Stdout goes first because it cannot be taken back: when
 * it fails (a closed pipe, a full disk) nothing else has been written yet, and when a file fails
 * after it, what was printed is a key that gets deleted again. The CSV goes next because it can be
 * undone exactly (its old content is kept in memory); if the profile write then fails, or Ctrl-C
 * comes in between, the CSV is put back as it was. The clock times the wait for the credentials
 * file's lock.
 */
export async function storeKey(
  d: Destinations,
  key: NewKey,
  ctx: {
    clock: Clock;
    signal?: AbortSignal | undefined;
    /** Writes all of its text to stdout before returning, or throws (see Output.writeSync). */
    stdout?: ((text: string) => void) | undefined;
    /** What checkDestinations let through: decided again under the lock. */
    approval: Approval;
  },
): Promise<Stored[]> {
  const { signal } = ctx;
  const stored: Stored[] = [];
  let undoCsv: (() => Promise<void>) | undefined;
  const interrupted = 'Interrupted before the new key was stored.';
  if (d.format !== undefined) {
    throwIfInterrupted(signal, interrupted);
    printKey(d.format, key, ctx.stdout);
  }
  if (d.csvPath !== undefined) {
    throwIfInterrupted(signal, interrupted);
    undoCsv = await writeCsv(d.csvPath, key);
    stored.push({ kind: 'csv', path: d.csvPath });
  }
  if (d.profile) {
    const { name, credentialsPath } = d.profile;
    try {
      throwIfInterrupted(signal, interrupted);
      const before = await profileFiles(d.profile);
      const result = await writeStaticKey(credentialsPath, name, key, {
        clock: ctx.clock,
        signal: ctx.signal,
        // Decided again under the lock: another run may have written the profile since the check.
        decide: (current) =>
          assertStillAllowed(withCurrent(before, 'credentials', current), name, NEW_KEY, ctx.approval, {
            flag: '--write-profile',
            outcome: 'the new key was not stored',
          }),
      });
      stored.push({ kind: 'profile', name, path: credentialsPath, created: result.created, warnings: result.warnings });
    } catch (err) {
      await undoCsv?.().catch(() => undefined);
      throw err;
    }
  }
  return stored;
}

function printKey(format: KeyFormat, key: NewKey, stdout: ((text: string) => void) | undefined): void {
  if (!stdout) throw new Error('a --format destination needs stdout');
  const text =
    format === 'csv'
      ? renderAccessKeyCsv(key)
      : renderCredentials({ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey }, format === 'env' ? 'sh' : 'json');
  try {
    stdout(text);
  } catch (err) {
    throw new OutputFailedError(`Could not write the new key to stdout (${outputProblem(err)}).`, {
      hint: 'keep stdout open until awskeys ends (a file, or a reader that reads everything), or use --write-profile or --csv-file',
      cause: err,
    });
  }
}

function outputProblem(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (code === 'EPIPE') return 'the reader closed the pipe';
  if (code === 'ENOSPC') return 'no space left on the device';
  if (code === 'EBADF') return 'stdout is closed';
  return typeof code === 'string' ? code : safeErrorDetail(err);
}

/** Writes the CSV atomically at 0600; returns how to put back what was there. */
async function writeCsv(path: string, key: NewKey): Promise<() => Promise<void>> {
  const previous = await readUtf8ForRewrite(path);
  // writeFileAtomic keeps an existing file's mode; a replaced CSV must not stay readable by others.
  if (previous !== undefined) await chmod(path, 0o600).catch((err: unknown) => Promise.reject(fileError('write', path, err)));
  await writeFileAtomic(path, renderAccessKeyCsv(key), { mode: 0o600 });
  return previous === undefined ? () => unlink(path) : async () => void (await writeFileAtomic(path, previous, { mode: 0o600 }));
}

export function resolvePath(cwd: string, path: string): string {
  return resolve(cwd, path);
}

async function confirmOrRefuse(
  prompter: Prompter,
  q: { name: string; situation: string; question: string; hint: string },
): Promise<void> {
  if (!prompter.interactive) {
    throw new NeedsInputError(`${q.situation}; no key was created.`, { hint: q.hint });
  }
  const yes = await prompter.confirm({ name: q.name, message: `${q.situation}. ${q.question}`, flag: '--force', default: false });
  if (!yes) throw new CancelledError(`${q.situation}; nothing was replaced and no key was created.`, { hint: q.hint });
}


async function fileExists(path: string): Promise<boolean> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new FileError(`${path} is a folder, not a file.`, { hint: 'pass a file path to --csv-file' });
    return true;
  } catch (err) {
    if (isMissing(err)) return false;
    if (err instanceof FileError) throw err;
    throw fileError('read', path, err);
  }
}

/** The nearest existing folder on the way to `path` must let us create files (and the lock). */
async function assertWritable(path: string): Promise<void> {
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

import { chmod, stat, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileError, isMissing, readUtf8ForRewrite, writeFileAtomic } from '../aws-files/atomic-write.js';
import { parseIni } from '../aws-files/ini-parse.js';
import { assertStillAllowed, profileOverwrite, withCurrent, type OverwriteApproval, type ProfileFiles } from '../aws-files/profile-overwrite.js';
import { readIni } from '../aws-files/profiles.js';
import { assertValidSectionName } from '../aws-files/sections.js';
import { assertCreatable, checkWritableTarget } from '../aws-files/writable-target.js';
import type { Clock } from '../app/clock.js';
import { CancelledError, FileError, NeedsInputError, OutputFailedError } from '../errors/cli-error.js';
import { renderCredentials } from '../output/formats.js';
import { safeErrorDetail } from '../text/redact.js';
import type { Prompter } from '../prompt/prompter.js';
import { throwIfInterrupted } from '../util/abort.js';
import { renderAccessKeyCsv } from './key-csv.js';
import { writeStaticKey } from './write-static-key.js';
import { checkVaultProfile, storeInVault, vaultProfileNameProblem, type VaultProfileTarget } from '../vault/vault-profile-key.js';

/** `--format`: where the secret may go to stdout. */
export const KEY_FORMATS = ['env', 'json', 'csv'] as const;
export type KeyFormat = (typeof KEY_FORMATS)[number];

/** Where a new key goes; any combination. Paths are absolute. */
export interface Destinations {
  /** With `vault`: a vault profile, its key in that store (docs/vault.md); else a plaintext profile. */
  profile?: { name: string; credentialsPath: string; configPath: string; vault?: VaultProfileTarget | undefined } | undefined;
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
  /** IAM's creation date: kept in a vault item (vault list shows the key's age). */
  createdAt?: Date | undefined;
}

/** What was written, for the summary on stderr. */
export type Stored =
  | { kind: 'profile'; name: string; path: string; created: boolean; warnings: string[] }
  /** location: where the store keeps it ("the Secret Service keyring", the vault file's path). */
  | { kind: 'vault'; name: string; location: string; configPath: string; warnings: string[] }
  | { kind: 'csv'; path: string };

/**
 * Everything that can be checked before the key exists: names, that the credentials file parses,
 * that folders are writable, and that nothing is overwritten without --force (or a yes on a
 * terminal). A failure here means no key is ever created.
 */
export async function checkDestinations(d: Destinations, prompter: Prompter, force: boolean): Promise<Approval> {
  const approval: Approval = { force, replacing: undefined };
  if (d.profile?.vault) {
    const { name, credentialsPath, configPath, vault } = d.profile;
    assertValidSectionName(name, 'profile name');
    await checkWritableTarget(configPath);
    await assertCreatable(configPath);
    await checkWritableTarget(credentialsPath);
    const verdict = await checkVaultProfile(vault, name, undefined, CHECK_WORDING);
    if (verdict.verdict === 'refuse') throw verdict.error;
    if (verdict.verdict === 'replace' && !force) {
      await confirmOrRefuse(prompter, { name: 'create-key.replace-profile', ...verdict });
      approval.replacing = { heldKeyId: verdict.heldKeyId };
    }
  } else if (d.profile) {
    const { name, credentialsPath } = d.profile;
    assertValidSectionName(name, 'profile name');
    await checkWritableTarget(credentialsPath);
    const files = await profileFiles(d.profile);
    await assertCreatable(credentialsPath);
    const verdict = profileOverwrite(files, name, NEW_KEY, CHECK_WORDING);
    if (verdict.verdict === 'refuse') throw verdict.error;
    if (verdict.verdict === 'replace' && !force) {
      await confirmOrRefuse(prompter, { name: 'create-key.replace-profile', ...verdict });
      approval.replacing = { heldKeyId: verdict.heldKeyId };
    }
  }
  if (d.csvPath !== undefined) {
    await checkWritableTarget(d.csvPath);
    const exists = await fileExists(d.csvPath);
    await assertCreatable(d.csvPath);
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

/** The words of a refusal before the key exists, and of one under the lock after it was made. */
const CHECK_WORDING = { flag: '--write-profile', outcome: 'no key was created' };
const STORE_WORDING = { flag: '--write-profile', outcome: 'the new key was not stored' };

/**
 * For the "Profile name" prompt: the refusal a name would meet (an SSO or role profile), so it is
 * refused as it is typed. Files that cannot be read are left to checkDestinations to report.
 */
export async function profileNameProblem(paths: { credentialsPath: string; configPath: string }, vault: boolean): Promise<(name: string) => string | undefined> {
  const files = await profileFiles({ name: '', ...paths }).catch(() => undefined);
  return (name) => {
    if (!files) return undefined;
    if (vault) return vaultProfileNameProblem(files, name, CHECK_WORDING);
    const verdict = profileOverwrite(files, name, NEW_KEY, CHECK_WORDING);
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
  if (d.profile?.vault) {
    const { name, vault } = d.profile;
    try {
      throwIfInterrupted(signal, interrupted);
      const item = { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, userName: key.userName, createDate: key.createdAt?.toISOString() };
      const warnings = await storeInVault(vault, name, item, { clock: ctx.clock, signal: ctx.signal, approval: ctx.approval, wording: STORE_WORDING });
      stored.push({ kind: 'vault', name, location: vault.store.location, configPath: vault.paths.config, warnings });
    } catch (err) {
      await undoCsv?.().catch(() => undefined);
      throw err;
    }
  } else if (d.profile) {
    const { name, credentialsPath } = d.profile;
    try {
      throwIfInterrupted(signal, interrupted);
      const before = await profileFiles(d.profile);
      const result = await writeStaticKey(credentialsPath, name, key, {
        clock: ctx.clock,
        signal: ctx.signal,
        // Decided again under the lock: another run may have written the profile since the check.
        decide: (current) =>
          assertStillAllowed(withCurrent(before, 'credentials', current), name, NEW_KEY, ctx.approval, STORE_WORDING),
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

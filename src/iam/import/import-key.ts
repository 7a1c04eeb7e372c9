import { readFile } from 'node:fs/promises';
import { fileError, isMissing } from '../../aws-files/atomic-write.js';
import type { AwsFilePaths } from '../../aws-files/paths.js';
import { getProfile, readAwsFiles } from '../../aws-files/profiles.js';
import { assertStillAllowed, profileOverwrite, withCurrent, type Overwrite, type OverwriteApproval } from '../../aws-files/profile-overwrite.js';
import { assertValidSectionName } from '../../aws-files/sections.js';
import type { Clock } from '../../app/clock.js';
import { CancelledError, FileError, NeedsInputError } from '../../errors/cli-error.js';
import type { Prompter } from '../../prompt/prompter.js';
import { throwIfInterrupted } from '../../util/abort.js';
import { parseAccessKeyCsv, type CsvAccessKey } from './parse-key-csv.js';
import { checkVaultProfile, storeInVault, type VaultProfileTarget } from '../../vault/vault-profile-key.js';
import { writeStaticKey } from '../write-static-key.js';

export interface ImportContext {
  paths: AwsFilePaths;
  prompter: Prompter;
  /** Times the wait for the credentials file's lock. */
  clock: Clock;
  /** Ctrl-C, SIGTERM, SIGHUP: stop waiting for the lock (or at the question); nothing is written. */
  signal: AbortSignal;
  /** With --store keychain|file: the vault profile's store (vault-profile-key.ts). */
  vault?: VaultProfileTarget | undefined;
}

export interface ImportOptions {
  /** The CSV file, absolute (the command resolves a relative --csv against deps.cwd). */
  csvPath: string;
  profile: string;
  /** Replace the credentials the profile already has. */
  force?: boolean | undefined;
}

export interface ImportResult {
  profile: string;
  /** Where the secret is now: the credentials file, or the vault store's location. */
  path: string;
  /** Set for a vault profile: the config file that has its credential_process line. */
  configPath?: string | undefined;
  accessKeyId: string;
  userName: string | undefined;
  /** False when the profile already held exactly this key. */
  changed: boolean;
  created: boolean;
  warnings: string[];
}

/**
 * Reads the access key from the console's CSV and stores it in a profile of the credentials file,
 * through the safe writer. The secret goes from file to file, never through the command line. What
 * may be replaced is profile-overwrite.ts's answer: another key only with --force or a yes on a
 * terminal, a profile that gets credentials another way (SSO, a role) never.
 */
export async function importAccessKey(ctx: ImportContext, options: ImportOptions): Promise<ImportResult> {
  const { profile } = options;
  assertValidSectionName(profile, 'profile name');
  const key = parseAccessKeyCsv(await readCsv(options.csvPath), options.csvPath);
  if (ctx.vault) return importIntoVault(ctx, ctx.vault, options, key);
  const files = await readAwsFiles(ctx.paths);
  const existing = getProfile(files, profile) ?? {};
  const path = ctx.paths.credentials;
  const result = { profile, path, accessKeyId: key.accessKeyId, userName: key.userName };

  if (existing.aws_access_key_id === key.accessKeyId && existing.aws_secret_access_key === key.secretAccessKey) {
    return { ...result, changed: false, created: false, warnings: [] };
  }
  const write = { kind: 'static-key', accessKeyId: key.accessKeyId } as const;
  const verdict = profileOverwrite(files, profile, write, WORDING);
  const approval = await approved(ctx, verdict, profile, key.accessKeyId, options.force);

  // A stop that came while the question was open is not an answer.
  throwIfInterrupted(ctx.signal);
  const written = await writeStaticKey(path, profile, key, {
    clock: ctx.clock,
    signal: ctx.signal,
    // Decided again under the lock: another run may have written the profile since the check.
    decide: (current) => assertStillAllowed(withCurrent(files, 'credentials', current), profile, write, approval, WORDING),
  });
  return { ...result, changed: written.changed, created: written.created, warnings: written.warnings };
}

const WORDING = { flag: '--profile', outcome: 'nothing was written' };

/**
 * `--store keychain|file`: the key into the store (read back), the profile made a vault profile,
 * any plaintext copy of its key removed from the AWS files (vault-profile-key.ts). The store is
 * probed before anything is written: an unusable store is exit 26 with the files as they were.
 */
async function importIntoVault(ctx: ImportContext, target: VaultProfileTarget, options: ImportOptions, key: CsvAccessKey): Promise<ImportResult> {
  const { profile } = options;
  const result = { profile, path: target.store.location, configPath: target.paths.config, accessKeyId: key.accessKeyId, userName: key.userName, created: false };
  const verdict = await checkVaultProfile(target, profile, key.accessKeyId, WORDING);
  if (verdict.verdict === 'same') return { ...result, changed: false, warnings: [] };
  const approval = await approved(ctx, verdict, profile, key.accessKeyId, options.force);
  throwIfInterrupted(ctx.signal);
  const warnings = await storeInVault(target, profile, key, { clock: ctx.clock, signal: ctx.signal, approval, wording: WORDING });
  return { ...result, changed: true, warnings };
}

/** The overwrite verdict turned into what the user allowed: a refusal thrown, a replace asked (or --force). */
async function approved(ctx: ImportContext, verdict: Overwrite, profile: string, accessKeyId: string, force: boolean | undefined): Promise<OverwriteApproval> {
  if (verdict.verdict === 'refuse') throw verdict.error;
  const approval: OverwriteApproval = { force: force ?? false };
  if (verdict.verdict === 'replace' && !approval.force) {
    if (!ctx.prompter.interactive) throw new NeedsInputError(`${verdict.situation}; nothing was written.`, { hint: verdict.hint });
    const yes = await ctx.prompter.confirm({
      name: 'import.replace-profile',
      message: `${verdict.situation}. Replace it with access key ${accessKeyId}?`,
      flag: '--force',
      default: false,
    });
    if (!yes) throw new CancelledError(`Not confirmed; profile ${profile} was not changed.`);
    approval.replacing = { heldKeyId: verdict.heldKeyId };
  }
  return approval;
}

async function readCsv(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    if (isMissing(err)) throw new FileError(`${path} does not exist.`, { hint: 'pass the path of the CSV the IAM console downloaded to --csv' });
    throw fileError('read', path, err);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    throw new FileError(`${path} is not UTF-8 text, so it is not the IAM console's access key CSV.`, { cause: err });
  }
}

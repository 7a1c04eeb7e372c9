import { readFile } from 'node:fs/promises';
import { fileError, isMissing } from '../../aws-files/atomic-write.js';
import type { AwsFilePaths } from '../../aws-files/paths.js';
import { getProfile, readAwsFiles } from '../../aws-files/profiles.js';
import { assertValidSectionName } from '../../aws-files/sections.js';
import type { Clock } from '../../clock.js';
import { CancelledError, FileError, NeedsInputError } from '../../errors.js';
import type { Prompter } from '../../prompt/prompter.js';
import { isSsoProfile } from '../../sso/sso-profile.js';
import { throwIfInterrupted } from '../../util/abort.js';
import { parseAccessKeyCsv } from './parse-key-csv.js';
import { writeStaticKey } from '../write-static-key.js';

export interface ImportContext {
  paths: AwsFilePaths;
  prompter: Prompter;
  /** Times the wait for the credentials file's lock. */
  clock: Clock;
  /** Ctrl-C, SIGTERM, SIGHUP: stop waiting for the lock (or at the question); nothing is written. */
  signal: AbortSignal;
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
  path: string;
  accessKeyId: string;
  userName: string | undefined;
  /** False when the profile already held exactly this key. */
  changed: boolean;
  created: boolean;
  warnings: string[];
}

/**
 * Reads the access key from the console's CSV and stores it in a profile of the credentials file,
 * through the safe writer. The secret goes from file to file, never through the command line. A
 * profile that already has credentials is replaced only with --force or a yes on a terminal.
 */
export async function importAccessKey(ctx: ImportContext, options: ImportOptions): Promise<ImportResult> {
  const { profile } = options;
  assertValidSectionName(profile, 'profile name');
  const key = parseAccessKeyCsv(await readCsv(options.csvPath), options.csvPath);
  const files = await readAwsFiles(ctx.paths);
  const existing = getProfile(files, profile) ?? {};
  const path = ctx.paths.credentials;
  const result = { profile, path, accessKeyId: key.accessKeyId, userName: key.userName };

  if (existing.aws_access_key_id === key.accessKeyId && existing.aws_secret_access_key === key.secretAccessKey) {
    return { ...result, changed: false, created: false, warnings: [] };
  }
  const held = heldCredentials(existing);
  if (held !== undefined && !options.force) {
    const situation = `Profile ${profile} already ${held}`;
    const hint = 'pass --force to replace it, or choose another --profile';
    if (!ctx.prompter.interactive) throw new NeedsInputError(`${situation}; nothing was written.`, { hint });
    const yes = await ctx.prompter.confirm({
      name: 'import.replace-profile',
      message: `${situation}. Replace it with access key ${key.accessKeyId}?`,
      flag: '--force',
      default: false,
    });
    if (!yes) throw new CancelledError(`Not confirmed; profile ${profile} was not changed.`);
  }

  // A stop that came while the question was open is not an answer.
  throwIfInterrupted(ctx.signal);
  const written = await writeStaticKey(path, profile, key, { clock: ctx.clock, signal: ctx.signal });
  return { ...result, changed: written.changed, created: written.created, warnings: written.warnings };
}

/** What the profile already gets its credentials from, or undefined when nothing. */
function heldCredentials(values: Record<string, string>): string | undefined {
  if (values.aws_access_key_id !== undefined) return `holds access key ${values.aws_access_key_id}`;
  if (values.aws_secret_access_key !== undefined) return 'holds a secret access key';
  if (isSsoProfile(values)) return 'is an SSO profile, and keys in the credentials file would take its place';
  if (values.role_arn !== undefined) return 'assumes a role (role_arn), and keys would change what it signs as';
  if (values.credential_process !== undefined) return 'uses credential_process, and keys would take its place';
  return undefined;
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

import type { Deps } from '../deps.js';
import type { SectionUpdate } from '../aws-files/ini-edit.js';
import { editSection } from '../aws-files/ini-edit.js';
import type { AwsFilePaths } from '../aws-files/paths.js';
import type { AwsFiles } from '../aws-files/profiles.js';
import { getProfile, readAwsFiles } from '../aws-files/profiles.js';
import { assertValidSectionName, profileSectionName, ssoSessionSectionName } from '../aws-files/sections.js';
import { updateAwsFile } from '../aws-files/update-file.js';
import { UsageError } from '../errors.js';
import type { AwsCredentials } from '../output/credentials.js';
import { renderCredentials } from '../output/formats.js';
import { shellWord } from '../shell-word.js';
import type { SsoSessionRef } from './token-cache.js';
import { warningLine } from '../reporter.js';
import { formatTimestamp } from '../util/timestamp.js';

/** `--write`: where `sso login` puts its result. */
export const WRITE_TARGETS = ['config', 'credentials', 'env', 'json'] as const;
export type WriteTarget = (typeof WRITE_TARGETS)[number];

/** Keys that make a profile get its credentials some other way; SSO keys beside them would be ignored. */
const OTHER_SOURCES = ['role_arn', 'source_profile', 'credential_source', 'credential_process', 'web_identity_token_file'];

/** Messages go to stderr; the clock times the wait for the file lock. */
type WriterDeps = Pick<Deps, 'stderr' | 'clock'> & { signal?: AbortSignal | undefined };

export interface SsoProfileValues {
  ref: SsoSessionRef;
  accountId: string;
  roleName: string;
  /** The profile's default region; written only when given or when the profile has none. */
  region: string | undefined;
}

/**
 * Refuses a profile whose existing settings the write would contradict or destroy: another
 * credential source (config); long-lived access keys (credentials: they are never replaced by
 * temporary ones) or SSO settings in the config file (credentials: keys there would shadow them).
 */
export async function assertProfileWritable(paths: AwsFilePaths, name: string, target: WriteTarget): Promise<void> {
  const problem = profileWriteProblem(await readAwsFiles(paths), name, target);
  if (problem) throw problem;
}

/**
 * The error writing `name` would meet, or undefined: synchronous over files read once, so the
 * "Profile name" prompt refuses such a name as it is typed instead of after every other choice.
 */
export function profileWriteProblem(files: AwsFiles, name: string, target: WriteTarget): UsageError | undefined {
  if (target === 'env' || target === 'json') return undefined;
  try {
    assertValidSectionName(name);
  } catch (err) {
    return err instanceof UsageError ? err : new UsageError((err as Error).message);
  }
  const paths = files.paths;
  const existing = getProfile(files, name);
  if (!existing) return undefined;
  if (target === 'config') {
    const other = OTHER_SOURCES.find((k) => existing[k] !== undefined) ?? staticKeysIn(files.credentials, name);
    if (other !== undefined) {
      return new UsageError(`Profile "${name}" already gets credentials another way (${other}); it was not changed.`, {
        hint: 'choose another name with --profile',
      });
    }
  }
  if (target === 'credentials') {
    const sso = ssoSettingsInConfig(files, name);
    if (sso !== undefined) {
      // The JS SDK reads static keys before SSO settings: an hour later the profile would just fail.
      const message =
        `Profile "${name}" has SSO settings in ${paths.config}; temporary keys under [${name}] in ` +
        `${paths.credentials} would hide them from the JS SDK and stop working when they expire.`;
      return new UsageError(message, {
        hint: `keep it an SSO profile (--write config, env or json), or write the keys under another name: ${credentialsCommand(sso)}`,
      });
    }
    const section = files.credentials.sections.filter((s) => s.name === name).at(-1);
    if (section?.values.aws_access_key_id !== undefined && section.values.aws_session_token === undefined) {
      const message = `Profile "${name}" in ${paths.credentials} holds long-lived access keys; they were not replaced.`;
      return new UsageError(message, { hint: 'choose another name with --profile' });
    }
  }
  return undefined;
}

/** Keys that make the JS SDK treat a profile as SSO (its isSsoProfile). */
const SSO_KEYS = ['sso_session', 'sso_start_url', 'sso_region', 'sso_account_id', 'sso_role_name'];

/** The config file's own values of a profile when any of them is an SSO setting. */
function ssoSettingsInConfig(files: AwsFiles, name: string): Record<string, string> | undefined {
  const values = getProfile({ ...files, credentials: { sections: [] } }, name);
  return values && SSO_KEYS.some((k) => values[k] !== undefined) ? values : undefined;
}

/** `sso login` writing that SSO profile's role credentials under a name still to be chosen. */
function credentialsCommand(sso: Record<string, string>): string {
  const source =
    sso.sso_session !== undefined
      ? `--sso-session ${shellWord(sso.sso_session)}`
      : `--start-url ${shellWord(sso.sso_start_url ?? 'URL')} --region ${shellWord(sso.sso_region ?? 'REGION')}`;
  const account = sso.sso_account_id !== undefined ? shellWord(sso.sso_account_id) : 'ID';
  const role = sso.sso_role_name !== undefined ? shellWord(sso.sso_role_name) : 'NAME';
  return `awskeys sso login ${source} --account-id ${account} --role-name ${role} --write credentials --profile NEW_NAME`;
}

function staticKeysIn(credentials: { sections: { name: string; values: Record<string, string> }[] }, name: string) {
  return credentials.sections.some((s) => s.name === name && s.values.aws_access_key_id !== undefined)
    ? 'aws_access_key_id in the credentials file'
    : undefined;
}

/**
 * What `aws configure sso` writes: the [profile NAME] (sso_session or, for a legacy start URL,
 * sso_start_url/sso_region; account; role; region and output when unset) and the
 * [sso-session NAME], through the locked atomic writer that leaves every other line alone.
 */
export async function writeSsoProfile(
  paths: AwsFilePaths,
  profile: string,
  values: SsoProfileValues,
  deps: WriterDeps,
): Promise<void> {
  const existing = getProfile(await readAwsFiles(paths), profile) ?? {};
  const { ref } = values;
  const source: SectionUpdate =
    ref.sessionName !== undefined
      ? { sso_session: ref.sessionName, sso_start_url: null, sso_region: null }
      : { sso_start_url: ref.startUrl, sso_region: ref.region };
  const region = values.region ?? (existing.region === undefined ? ref.region : undefined);
  const result = await updateAwsFile(paths.config, (text) => {
    let next = editSection(text, profileSectionName('config', profile), {
      ...source,
      sso_account_id: values.accountId,
      sso_role_name: values.roleName,
      ...(region !== undefined ? { region } : {}),
      ...(existing.output === undefined ? { output: 'json' } : {}),
    });
    if (ref.sessionName !== undefined) {
      next = editSection(next, ssoSessionSectionName(ref.sessionName), {
        sso_start_url: ref.startUrl,
        sso_region: ref.region,
        ...(ref.scopes ? { sso_registration_scopes: ref.scopes.join(', ') } : {}),
      });
    }
    return next;
  }, { clock: deps.clock, signal: deps.signal });
  for (const warning of result.warnings) deps.stderr.write(`${warningLine(warning)}\n`);
  deps.stderr.write(
    `Profile "${profile}" is ${result.changed ? 'saved in' : 'already up to date in'} ${paths.config}.\n` +
      `Try: aws sts get-caller-identity --profile ${shellWord(profile)}\n`,
  );
}

/** The temporary keys in the credentials file, for tools that read only that file. */
export async function writeCredentialsProfile(
  paths: AwsFilePaths,
  profile: string,
  creds: AwsCredentials,
  deps: WriterDeps,
): Promise<void> {
  const result = await updateAwsFile(paths.credentials, (text) =>
    editSection(text, profileSectionName('credentials', profile), {
      aws_access_key_id: creds.accessKeyId,
      aws_secret_access_key: creds.secretAccessKey,
      aws_session_token: creds.sessionToken ?? null,
      // botocore's old alias would shadow nothing, but a stale one confuses readers.
      aws_security_token: null,
    }),
    { clock: deps.clock, signal: deps.signal },
  );
  for (const warning of result.warnings) deps.stderr.write(`${warningLine(warning)}\n`);
  const until = creds.expiration ? ` (valid until ${formatTimestamp(creds.expiration)})` : '';
  deps.stderr.write(`Temporary credentials for "${profile}" written to ${paths.credentials}${until}.\n`);
}

/** env (POSIX sh exports) or json (credential_process) text for stdout. */
export function renderForStdout(target: 'env' | 'json', creds: AwsCredentials, region: string | undefined): string {
  return target === 'json' ? renderCredentials(creds, 'json') : renderCredentials(creds, 'sh', { region });
}

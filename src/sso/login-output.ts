import type { Deps } from '../app/deps.js';
import type { SectionUpdate } from '../aws-files/ini-edit.js';
import { editSection } from '../aws-files/ini-edit.js';
import type { AwsFilePaths } from '../aws-files/paths.js';
import { getProfile, readAwsFiles } from '../aws-files/profiles.js';
import { assertValidSectionName, profileSectionName, ssoSessionSectionName } from '../aws-files/sections.js';
import { updateAwsFile } from '../aws-files/update-file.js';
import { profileOverwrite, withCurrent, type ProfileFiles, type ProfileWrite } from '../aws-files/profile-overwrite.js';
import { UsageError } from '../errors/cli-error.js';
import type { AwsCredentials } from '../output/credentials.js';
import { renderCredentials } from '../output/formats.js';
import { shellWord } from '../text/shell-word.js';
import type { SsoSessionRef } from './token-cache.js';
import { formatTimestamp } from '../util/timestamp.js';

/** `--write`: where `sso login` puts its result. */
export const WRITE_TARGETS = ['config', 'credentials', 'env', 'json'] as const;
export type WriteTarget = (typeof WRITE_TARGETS)[number];

/** Messages go through the reporter; the clock times the wait for the file lock. */
type WriterDeps = Pick<Deps, 'report' | 'clock'> & { signal?: AbortSignal | undefined };

export interface SsoProfileValues {
  ref: SsoSessionRef;
  accountId: string;
  roleName: string;
  /** The profile's default region; written only when given or when the profile has none. */
  region: string | undefined;
}

/**
 * The error writing `name` would meet, or undefined: synchronous over files read once, so the
 * "Profile name" prompt refuses such a name as it is typed instead of after every other choice.
 * `startUrl` undefined (not known yet): any SSO profile passes, and is checked again once it is.
 */
export function profileWriteProblem(files: ProfileFiles, name: string, target: WriteTarget, startUrl?: string): UsageError | undefined {
  if (target === 'env' || target === 'json') return undefined;
  try {
    assertValidSectionName(name);
  } catch (err) {
    return err instanceof UsageError ? err : new UsageError((err as Error).message);
  }
  const verdict = profileOverwrite(files, name, profileWrite(target, startUrl), WORDING);
  return verdict.verdict === 'refuse' ? verdict.error : undefined;
}

const WORDING = { flag: '--profile', outcome: 'it was not changed' };

function profileWrite(target: 'config' | 'credentials', startUrl: string | undefined): ProfileWrite {
  return target === 'config' ? { kind: 'sso-profile', startUrl } : { kind: 'temporary-keys' };
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
  const files = await readAwsFiles(paths);
  const existing = getProfile(files, profile) ?? {};
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
  }, { clock: deps.clock, signal: deps.signal, decide: (current) => assertAllowed(withCurrent(files, 'config', current), profile, 'config', ref.startUrl) });
  for (const warning of result.warnings) deps.report.warn(warning);
  deps.report.info(`Profile "${profile}" is ${result.changed ? 'saved in' : 'already up to date in'} ${paths.config}.`);
  deps.report.info(`Try: aws sts get-caller-identity --profile ${shellWord(profile)}`);
}

/** The temporary keys in the credentials file, for tools that read only that file. */
export async function writeCredentialsProfile(
  paths: AwsFilePaths,
  profile: string,
  creds: AwsCredentials,
  deps: WriterDeps,
): Promise<void> {
  const files = await readAwsFiles(paths);
  const result = await updateAwsFile(
    paths.credentials,
    (text) =>
      editSection(text, profileSectionName('credentials', profile), {
        aws_access_key_id: creds.accessKeyId,
        aws_secret_access_key: creds.secretAccessKey,
        aws_session_token: creds.sessionToken ?? null,
        // botocore's old alias would shadow nothing, but a stale one confuses readers.
        aws_security_token: null,
      }),
    { clock: deps.clock, signal: deps.signal, decide: (current) => assertAllowed(withCurrent(files, 'credentials', current), profile, 'credentials', undefined) },
  );
  for (const warning of result.warnings) deps.report.warn(warning);
  const until = creds.expiration ? ` (valid until ${formatTimestamp(creds.expiration)})` : '';
  deps.report.info(`Temporary credentials for "${profile}" written to ${paths.credentials}${until}.`);
}

/** Under the file's lock: another process may have written the profile since the check. */
function assertAllowed(files: ProfileFiles, name: string, target: 'config' | 'credentials', startUrl: string | undefined): void {
  const problem = profileWriteProblem(files, name, target, startUrl);
  if (problem) throw problem;
}

/** env (POSIX sh exports) or json (credential_process) text for stdout. */
export function renderForStdout(target: 'env' | 'json', creds: AwsCredentials, region: string | undefined): string {
  return target === 'json' ? renderCredentials(creds, 'json') : renderCredentials(creds, 'sh', { region });
}

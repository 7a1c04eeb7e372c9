import { NeedsInputError, UsageError } from '../errors/cli-error.js';
import { shellWord } from '../text/shell-word.js';
import type { IniDocument } from './ini-parse.js';
import type { AwsFilePaths } from './paths.js';
import { getProfile, getSsoSession } from './profiles.js';
import { normalStartUrl, SSO_KEYS } from './sso-settings.js';

/** Both AWS files as read (or, under a lock, the locked one as it is now). */
export interface ProfileFiles {
  paths: Pick<AwsFilePaths, 'config' | 'credentials'>;
  config: IniDocument;
  credentials: IniDocument;
}

/**
 * THE answer to "may I write this profile?" for every command that writes one (docs/decisions.md,
 * D25): `iam create-key --write-profile` and `iam import` (a long-lived access key in the
 * credentials file), `sso login --write credentials` (temporary keys there) and `sso login
 * --write config` (an SSO profile). Pure: the caller reads the files, and runs it again under the
 * file's lock (updateAwsFile's `decide`) on the file as it is then.
 *
 * - free: nothing there that the write would lose or contradict (no profile, or only settings
 *   such as region);
 * - same: the same kind holding the same thing (the same key id; temporary keys, which are fetched
 *   again at will; an SSO profile of the same IAM Identity Center): written without asking;
 * - replace: a long-lived or temporary key where a long-lived key goes: its secret would be lost,
 *   so it needs --force, or a yes on a terminal;
 * - refuse: anything else, a profile that gets its credentials another way (SSO, a role, a
 *   process, web identity, an `aws login` session), or long-lived keys where temporary keys or an
 *   SSO profile would go. Never replaced, not even with --force: the result would be a profile
 *   each SDK reads differently. Exit 2, with the hint to choose another name.
 */
export type ProfileWrite =
  /** accessKeyId undefined: a key not created yet (create-key checks before CreateAccessKey). */
  | { kind: 'static-key'; accessKeyId: string | undefined }
  | { kind: 'temporary-keys' }
  /** startUrl undefined: not known yet (checked before the login); any SSO profile passes until it is. */
  | { kind: 'sso-profile'; startUrl: string | undefined }
  /** loginSession undefined: before the sign-in (any login_session passes until it is known). */
  | { kind: 'login-session'; loginSession: string | undefined };

export interface OverwriteWording {
  /** The flag that names the profile, for hints: `--write-profile` or `--profile`. */
  flag: string;
  /** What a refusal leaves, ending the message: "nothing was written", "no key was created". */
  outcome: string;
}

export type Overwrite =
  | { verdict: 'free' }
  | { verdict: 'same' }
  | {
      verdict: 'replace';
      /** The key the profile holds now (undefined: only a secret, no id). */
      heldKeyId: string | undefined;
      /** "Profile "p" in PATH already holds access key AKIA..." */
      situation: string;
      /** The yes/no question on a terminal. */
      question: string;
      hint: string;
    }
  | { verdict: 'refuse'; error: UsageError };

/** Settings that make a profile get credentials some other way than keys or SSO. */
const OTHER_SOURCES = ['role_arn', 'source_profile', 'credential_source', 'credential_process', 'web_identity_token_file', 'login_session'];

export function profileOverwrite(files: ProfileFiles, name: string, write: ProfileWrite, wording: OverwriteWording): Overwrite {
  const found = describeProfile(files, name);
  switch (write.kind) {
    case 'static-key':
      return staticKeyOver(found, files, name, write.accessKeyId, wording);
    case 'temporary-keys':
      return temporaryKeysOver(found, files, name, wording);
    case 'sso-profile':
      return ssoProfileOver(found, files, name, write.startUrl, wording);
    case 'login-session':
      return loginSessionOver(found, files, name, write.loginSession, wording);
  }
}

/** `profileOverwrite` with one file as it is now (under its lock) and the other as read before. */
export function withCurrent(files: ProfileFiles, kind: 'config' | 'credentials', current: IniDocument): ProfileFiles {
  return { ...files, [kind]: current };
}

/** What the user allowed before the write: --force, or replacing the key the profile held then. */
export interface OverwriteApproval {
  force: boolean;
  /** Set when the user said yes to replacing what the profile held (heldKeyId: the key it held). */
  replacing?: { heldKeyId: string | undefined } | undefined;
}

/**
 * The check again, under the file's lock (updateAwsFile's `decide`), on the files as they are now:
 * throws when another process has since made the write something the user did not allow.
 */
export function assertStillAllowed(files: ProfileFiles, name: string, write: ProfileWrite, approval: OverwriteApproval, wording: OverwriteWording): void {
  const now = profileOverwrite(files, name, write, wording);
  if (now.verdict === 'refuse') throw now.error;
  if (now.verdict !== 'replace' || approval.force || (approval.replacing && approval.replacing.heldKeyId === now.heldKeyId)) return;
  throw new NeedsInputError(`${now.situation}, written by another process since this run checked; ${wording.outcome}.`, { hint: now.hint });
}

function staticKeyOver(found: Found, files: ProfileFiles, name: string, keyId: string | undefined, wording: OverwriteWording): Overwrite {
  if (found.other) return refuseOtherSource(name, found.other, wording);
  if (found.sso) return refuseOtherSource(name, found.sso, wording);
  const keys = found.keys;
  if (!keys) return { verdict: 'free' };
  if (keyId !== undefined && keys.accessKeyId === keyId) return { verdict: 'same' };
  const path = files.paths[keys.file];
  const what =
    keys.accessKeyId === undefined
      ? 'a secret access key'
      : keys.temporary
        ? `temporary keys (${keys.accessKeyId}, with aws_session_token)`
        : `access key ${keys.accessKeyId}`;
  return {
    verdict: 'replace',
    heldKeyId: keys.accessKeyId,
    situation: `Profile "${name}" in ${path} already holds ${what}`,
    question: keys.temporary ? 'Replace them?' : 'Replace it (its secret is lost)?',
    hint: `pass --force to replace ${keys.temporary ? 'them' : 'it'}, or choose another ${wording.flag}`,
  };
}

function temporaryKeysOver(found: Found, files: ProfileFiles, name: string, wording: OverwriteWording): Overwrite {
  const { paths } = files;
  if (found.sso?.file === 'config') {
    // The JS SDK reads static keys before SSO settings: an hour later the profile would just fail.
    const message =
      `Profile "${name}" has SSO settings in ${paths.config}; temporary keys under [${name}] in ` +
      `${paths.credentials} would hide them from the JS SDK and stop working when they expire.`;
    return refuse(message, `keep it an SSO profile (--write config, env or json), or write the keys under another name: ${credentialsCommand(found.sso.values)}`);
  }
  if (found.keys && !found.keys.temporary) {
    return refuse(`Profile "${name}" in ${paths[found.keys.file]} holds long-lived access keys; they were not replaced.`, `choose another name with ${wording.flag}`);
  }
  if (found.other) return refuseOtherSource(name, found.other, wording);
  if (found.sso) return refuseOtherSource(name, found.sso, wording);
  return found.keys ? { verdict: 'same' } : { verdict: 'free' };
}

function ssoProfileOver(found: Found, files: ProfileFiles, name: string, startUrl: string | undefined, wording: OverwriteWording): Overwrite {
  if (found.other) return refuseOtherSource(name, found.other, wording);
  if (found.keys) return refuseOtherSource(name, { setting: 'aws_access_key_id', file: found.keys.file }, wording);
  if (!found.sso) return { verdict: 'free' };
  const held = portalOf(files, found.sso.values);
  if (startUrl === undefined || held === undefined || normalStartUrl(held) === normalStartUrl(startUrl)) return { verdict: 'same' };
  return refuse(`Profile "${name}" is an SSO profile of another IAM Identity Center (${held}); ${wording.outcome}.`, `choose another name with ${wording.flag}`);
}

/**
 * `awskeys login`, as `aws login` decides: a profile with keys, SSO, a role, a process or web
 * identity is refused (they would win over login_session); the same session is written again;
 * another session is replaced only when the user says so (the AWS CLI's y/n question).
 */
function loginSessionOver(found: Found, files: ProfileFiles, name: string, loginSession: string | undefined, wording: OverwriteWording): Overwrite {
  const other = found.other?.setting === 'login_session' ? found.otherThanLogin : found.other;
  if (other) return refuseOtherSource(name, other, wording);
  if (found.sso) return refuseOtherSource(name, found.sso, wording);
  if (found.keys) return refuseOtherSource(name, { setting: 'aws_access_key_id', file: found.keys.file }, wording);
  const held = found.loginSession;
  if (held === undefined || loginSession === undefined || held === loginSession) return held === undefined ? { verdict: 'free' } : { verdict: 'same' };
  return {
    verdict: 'replace',
    heldKeyId: held,
    situation: `Profile "${name}" in ${files.paths.config} is already configured to use session ${held}`,
    question: `Overwrite it to use ${loginSession} instead?`,
    hint: `pass --force to use the new session, or choose another ${wording.flag}`,
  };
}

function refuseOtherSource(name: string, source: { setting: string; file: 'config' | 'credentials' }, wording: OverwriteWording): Overwrite {
  return refuse(
    `Profile "${name}" already gets credentials another way (${source.setting} in the ${source.file} file); ${wording.outcome}.`,
    `choose another name with ${wording.flag}`,
  );
}

function refuse(message: string, hint: string): Overwrite {
  return { verdict: 'refuse', error: new UsageError(message, { hint }) };
}

interface Found {
  /** The first setting that makes the profile get credentials another way, and its file. */
  other?: { setting: string; file: 'config' | 'credentials' } | undefined;
  /** The same, not counting login_session (what `awskeys login` may not replace). */
  otherThanLogin?: { setting: string; file: 'config' | 'credentials' } | undefined;
  /** The profile's login_session ARN, when it has one. */
  loginSession?: string | undefined;
  sso?: { setting: string; file: 'config' | 'credentials'; values: Record<string, string> } | undefined;
  keys?: { accessKeyId: string | undefined; temporary: boolean; file: 'config' | 'credentials' } | undefined;
}

/** What the profile holds, file by file (the credentials file's values win, as the readers merge them). */
function describeProfile(files: ProfileFiles, name: string): Found {
  const inFile = {
    credentials: getProfile({ ...files, config: { sections: [] } }, name) ?? {},
    config: getProfile({ ...files, credentials: { sections: [] } }, name) ?? {},
  };
  const where = (keys: readonly string[]) => {
    for (const file of ['credentials', 'config'] as const) {
      const setting = keys.find((k) => inFile[file][k] !== undefined);
      if (setting !== undefined) return { setting, file };
    }
    return undefined;
  };
  const merged = { ...inFile.config, ...inFile.credentials };
  const found: Found = {
    other: where(OTHER_SOURCES),
    otherThanLogin: where(OTHER_SOURCES.filter((k) => k !== 'login_session')),
    loginSession: nonEmptyText(merged.login_session),
  };
  const sso = where(SSO_KEYS);
  if (sso) found.sso = { ...sso, values: merged };
  const key = where(['aws_access_key_id', 'aws_secret_access_key']);
  if (key) {
    const accessKeyId = merged.aws_access_key_id === '' ? undefined : merged.aws_access_key_id;
    found.keys = { accessKeyId, temporary: merged.aws_session_token !== undefined && merged.aws_session_token !== '', file: key.file };
  }
  return found;
}

/** The start URL of an SSO profile's IAM Identity Center, when the files say. */
function portalOf(files: ProfileFiles, values: Record<string, string>): string | undefined {
  const session = values.sso_session?.trim();
  if (session) return getSsoSession(files, session)?.sso_start_url ?? values.sso_start_url;
  return values.sso_start_url;
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

/** A setting's value, trimmed, or undefined when it is missing or blank. */
function nonEmptyText(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

import type { AwsFiles } from '../aws-files/profiles.js';
import { getSsoSession } from '../aws-files/profiles.js';
import { normalStartUrl, SSO_KEYS } from '../aws-files/sso-settings.js';
import { FileError } from '../errors/cli-error.js';
import { shellWord } from '../text/shell-word.js';
import type { SsoSessionRef } from './token-cache.js';

export { normalStartUrl };

/**
 * THE model of an SSO profile and its session, shared by `sso login`, `sso logout`, `env`,
 * `credential-process` and `status` (docs/decisions.md, D13). Part of the lean env
 * bundle: no SDK, no prompts, only the parsed files.
 *
 * A profile has SSO settings in one of two forms (protocol-reference §4.3): `sso_session` naming
 * an `[sso-session NAME]` section with the start URL and region (refreshable tokens, PKCE login),
 * or the legacy form with `sso_start_url` / `sso_region` on the profile itself. A profile that
 * names a section the file lacks, or whose section lacks a setting, is a broken config file:
 * FileError, exit 3, wherever it is met (login, env, credential-process, status).
 */

/** The JS SDK's test: any one sso_* key makes a profile an SSO profile. */
export function isSsoProfile(profile: Record<string, string>): boolean {
  return SSO_KEYS.some((k) => profile[k] !== undefined);
}

/** An SSO profile: its session, and the account and role it names (when it names them). */
export interface SsoProfile {
  ref: SsoSessionRef;
  accountId: string | undefined;
  roleName: string | undefined;
}

/** sso_registration_scopes, comma-separated as the AWS CLI writes it; undefined when unset or empty. */
export function scopesOf(section: Record<string, string> | undefined): string[] | undefined {
  const scopes = section?.sso_registration_scopes
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return scopes && scopes.length > 0 ? scopes : undefined;
}

/** `awskeys sso login` that (re)creates the section `name`, for hints. */
export function createSessionCommand(name: string, profile?: string): string {
  const forProfile = profile !== undefined ? ` --profile ${shellWord(profile)}` : '';
  return `awskeys sso login --sso-session ${shellWord(name)} --start-url URL --region REGION${forProfile}`;
}

/**
 * The settings of `[sso-session NAME]`. `profile` is the profile that named it, for the message.
 * Missing section or missing start URL / region: FileError (exit 3).
 */
export function ssoSessionOf(files: AwsFiles, name: string, profile?: string): SsoSessionRef {
  const section = getSsoSession(files, name);
  const from = profile !== undefined ? `Profile ${profile} uses sso_session ${name}, but ` : '';
  if (!section) {
    throw new FileError(`${from}${files.paths.config} has no [sso-session ${name}] section.`, {
      hint: `add it with sso_start_url and sso_region, or create it: ${createSessionCommand(name)}`,
    });
  }
  const startUrl = nonEmpty(section.sso_start_url);
  const region = nonEmpty(section.sso_region);
  if (startUrl === undefined || region === undefined) {
    const missing = [startUrl === undefined ? 'sso_start_url' : '', region === undefined ? 'sso_region' : ''].filter(Boolean);
    throw new FileError(`${from}[sso-session ${name}] in ${files.paths.config} lacks ${missing.join(' and ')}.`, {
      hint: `set it there, or create the section again: ${createSessionCommand(name)}`,
    });
  }
  return { sessionName: name, startUrl, region, scopes: scopesOf(section) };
}

/**
 * The SSO settings of a profile in either form, merged with its session as the JS SDK merges
 * them (a profile value that repeats the session's is fine, a different one is an error).
 * undefined when the profile has neither a session nor a start URL and region of its own.
 */
export function ssoProfileOf(files: AwsFiles, name: string, profile: Record<string, string>): SsoProfile | undefined {
  const sessionName = nonEmpty(profile.sso_session?.trim());
  const accountId = nonEmpty(profile.sso_account_id);
  const roleName = nonEmpty(profile.sso_role_name);
  if (sessionName !== undefined) {
    const ref = ssoSessionOf(files, sessionName, name);
    for (const [key, value] of [
      ['sso_start_url', ref.startUrl],
      ['sso_region', ref.region],
    ] as const) {
      if (profile[key] !== undefined && profile[key] !== value) {
        throw new FileError(
          `Profile ${name} sets ${key} = ${profile[key]}, which conflicts with ${value} in [sso-session ${sessionName}].`,
          { hint: `remove ${key} from the profile in ${files.paths.config}` },
        );
      }
    }
    return { ref, accountId, roleName };
  }
  const startUrl = nonEmpty(profile.sso_start_url);
  const region = nonEmpty(profile.sso_region);
  if (startUrl === undefined || region === undefined) return undefined;
  // The legacy form: the token is cached under the start URL and is never refreshed.
  return { ref: { startUrl, region }, accountId, roleName };
}

/** An SSO profile with everything needed to fetch its role credentials. */
export interface SsoRoleTarget extends SsoSessionRef {
  /** The profile the user named: messages and hints refer to it. */
  profile: string;
  accountId: string;
  roleName: string;
}

/**
 * An SSO profile as `env` / `credential-process` / `status` use it: all four settings present
 * (start URL, region, account, role), as the JS SDK requires. Missing ones: FileError (exit 3).
 */
export function ssoTargetOf(name: string, profile: Record<string, string>, files: AwsFiles): SsoRoleTarget {
  const sso = ssoProfileOf(files, name, profile);
  const sessionName = nonEmpty(profile.sso_session?.trim());
  const missing = Object.entries({
    sso_start_url: sso?.ref.startUrl ?? nonEmpty(profile.sso_start_url),
    sso_region: sso?.ref.region ?? nonEmpty(profile.sso_region),
    sso_account_id: nonEmpty(profile.sso_account_id),
    sso_role_name: nonEmpty(profile.sso_role_name),
  })
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (sso?.accountId === undefined || sso.roleName === undefined) {
    const from = sessionName === undefined ? `[profile ${name}]` : `[profile ${name}] and [sso-session ${sessionName}]`;
    throw new FileError(`SSO profile ${name} is incomplete: ${from} in ${files.paths.config} lack ${missing.join(', ')}.`, {
      hint: `add the missing settings, or set the profile up again with: awskeys sso login --profile ${shellWord(name)}${sso ? '' : ' --start-url URL --region REGION'}`,
    });
  }
  return { profile: name, ...sso.ref, accountId: sso.accountId, roleName: sso.roleName };
}


function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

import type { AwsFiles } from '../aws-files/profiles.js';
import { getSsoSession } from '../aws-files/profiles.js';
import { FileError, NotFoundError } from '../errors.js';
import type { SsoRoleTarget } from '../sso/role-credentials.js';
import { loginCommand, nonEmpty } from './hints.js';

const SSO_KEYS = ['sso_session', 'sso_start_url', 'sso_region', 'sso_account_id', 'sso_role_name'] as const;

/** The JS SDK's test: any one sso_* key makes a profile an SSO profile. */
export function isSsoProfile(profile: Record<string, string>): boolean {
  return SSO_KEYS.some((k) => profile[k] !== undefined);
}

/**
 * The SSO settings of a profile, both forms (protocol-reference §4.3): `sso_session` naming an
 * `[sso-session]` section that holds the start URL and region, or the legacy form with them on
 * the profile. Mirrors the JS SDK's checks: all four settings present, no conflict between the
 * profile and its session.
 */
export function ssoTargetOf(profileName: string, profile: Record<string, string>, files: AwsFiles): SsoRoleTarget {
  const sessionName = nonEmpty(profile.sso_session?.trim());
  let startUrl = profile.sso_start_url;
  let region = profile.sso_region;
  let scopes: string[] | undefined;
  if (sessionName !== undefined) {
    const session = getSsoSession(files, sessionName);
    if (!session) {
      throw new NotFoundError(
        `Profile ${profileName} uses sso_session ${sessionName}, but ${files.paths.config} has no [sso-session ${sessionName}] section.`,
        { hint: `add the section (sso_start_url, sso_region), or set it up with: ${loginCommand(profileName)}` },
      );
    }
    for (const [key, value] of [
      ['sso_start_url', session.sso_start_url],
      ['sso_region', session.sso_region],
    ] as const) {
      if (profile[key] !== undefined && value !== undefined && profile[key] !== value) {
        throw new FileError(
          `Profile ${profileName} sets ${key} = ${profile[key]}, which conflicts with ${value} in [sso-session ${sessionName}].`,
          { hint: `remove ${key} from the profile in ${files.paths.config}` },
        );
      }
    }
    startUrl = session.sso_start_url;
    region = session.sso_region;
    scopes = session.sso_registration_scopes
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
  const accountId = profile.sso_account_id;
  const roleName = profile.sso_role_name;
  const missing = Object.entries({ sso_start_url: startUrl, sso_region: region, sso_account_id: accountId, sso_role_name: roleName })
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (!startUrl || !region || !accountId || !roleName) {
    const from = sessionName === undefined ? `[profile ${profileName}]` : `[profile ${profileName}] and [sso-session ${sessionName}]`;
    throw new FileError(`SSO profile ${profileName} is incomplete: ${from} in ${files.paths.config} lack ${missing.join(', ')}.`, {
      hint: `add the missing settings, or set the profile up again with: ${loginCommand(profileName)}`,
    });
  }
  return { profile: profileName, sessionName, startUrl, region, scopes, accountId, roleName };
}

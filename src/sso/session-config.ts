import type { AwsFiles } from '../aws-files/profiles.js';
import { getProfile, getSsoSession } from '../aws-files/profiles.js';
import { assertValidSectionName } from '../aws-files/sections.js';
import { NotFoundError, UsageError } from '../errors/cli-error.js';
import { shellWord } from '../text/shell-word.js';
import { assertRegion } from './regions.js';
import { sha1HexUtf8 } from '../util/sha1.js';
import { normalStartUrl, scopesOf, ssoProfileOf, ssoSessionOf } from './sso-profile.js';
import type { SsoSessionRef } from './token-cache.js';

/** The scope `aws configure sso` offers by default; sessions with it get refresh tokens. */
export const DEFAULT_SCOPES = ['sso:account:access'];

export interface SsoSettingsInput {
  profile?: string | undefined;
  startUrl?: string | undefined;
  region?: string | undefined;
  sessionName?: string | undefined;
}

/** An SSO session to log in to, and the profile it was read from (if any). */
export interface ResolvedSsoSettings {
  ref: SsoSessionRef;
  /** The existing profile named by --profile, merged from both files; undefined when new. */
  profile?: Record<string, string> | undefined;
  /** The account and role the profile names, when its SSO settings are the ones in use. */
  accountId?: string | undefined;
  roleName?: string | undefined;
}

/**
 * Which SSO session `sso login` means, from its flags and the config file (the model itself is
 * sso-profile.ts): --start-url and --region (a named session, by default derived from the URL),
 * --sso-session for an existing [sso-session], or --profile for a profile's sso_session or its
 * legacy sso_start_url/sso_region.
 */
export function resolveSsoSettings(files: AwsFiles, input: SsoSettingsInput): ResolvedSsoSettings {
  const profile = input.profile !== undefined ? getProfile(files, input.profile) : undefined;
  if (input.startUrl !== undefined) {
    assertStartUrl(input.startUrl);
    if (input.region === undefined) throw new UsageError('--start-url needs --region (the IAM Identity Center region).');
    assertRegion(input.region);
    const sessionName = input.sessionName ?? defaultSessionName(input.startUrl, files);
    assertValidSectionName(sessionName, 'session name');
    const existing = getSsoSession(files, sessionName);
    for (const [key, wanted] of [
      ['sso_start_url', input.startUrl],
      ['sso_region', input.region],
    ] as const) {
      const have = existing?.[key];
      if (have !== undefined && !sameSetting(key, have, wanted)) {
        const message = `The sso-session "${sessionName}" in ${files.paths.config} has ${key} = ${have}, not ${wanted}.`;
        throw new UsageError(message, { hint: 'pass --sso-session with another name, or edit that section' });
      }
    }
    // An existing section's spelling of the URL wins, so its token file and the AWS CLI's agree.
    const startUrl = existing?.sso_start_url ?? input.startUrl;
    const scopes = scopesOf(existing);
    return { ref: { sessionName, startUrl, region: input.region, scopes: scopes ?? DEFAULT_SCOPES }, profile };
  }
  if (input.region !== undefined) throw new UsageError('--region goes with --start-url.');
  if (input.sessionName !== undefined) return { ref: ssoSessionOf(files, input.sessionName), profile };
  if (input.profile === undefined) {
    throw new UsageError('Which SSO session? Pass --start-url URL --region REGION, --sso-session NAME, or --profile NAME.', {
      hint: 'for example: awskeys sso login --start-url https://my-sso-portal.awsapps.com/start --region us-east-1',
    });
  }
  if (!profile) {
    throw new NotFoundError(`Profile "${input.profile}" is not in ${files.paths.config}.`, {
      hint: `create it: awskeys sso login --profile ${shellWord(input.profile)} --start-url URL --region REGION`,
    });
  }
  const sso = ssoProfileOf(files, input.profile, profile);
  if (!sso) {
    throw new UsageError(`Profile "${input.profile}" has no SSO settings (sso_session, or sso_start_url and sso_region).`, {
      hint: `add them: awskeys sso login --profile ${shellWord(input.profile)} --start-url URL --region REGION`,
    });
  }
  return { ref: sso.ref, profile, accountId: sso.accountId, roleName: sso.roleName };
}

/** A start URL with or without its trailing slash names the same portal. */
function sameSetting(key: string, have: string, wanted: string): boolean {
  return key === 'sso_start_url' ? normalStartUrl(have) === normalStartUrl(wanted) : have === wanted;
}

/**
 * The session name used when only a start URL is given, stable for a URL so the same portal
 * always reuses the same session and token file: the first label of the host
 * (https://my-sso-portal.awsapps.com/start -> my-sso-portal), or, for portals whose host is
 * shared (GovCloud's https://start.us-gov-home.awsapps.com/directory/d-906752b7a0), the directory
 * id. An IP address or localhost gives sso-<host>. A trailing slash does not matter. When that
 * name is taken by a section for another portal, a short hash of the URL is appended, so two
 * portals never share a session.
 */
export function defaultSessionName(startUrl: string, files?: AwsFiles): string {
  const url = new URL(normalStartUrl(startUrl));
  const host = url.hostname;
  let name: string;
  if (/^[\d.]+$/.test(host) || host.includes(':') || !host.includes('.')) {
    name = `sso-${host.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
  } else {
    const label = host.split('.')[0] ?? host;
    const directory = /\/directory\/([A-Za-z0-9-]+)/.exec(url.pathname)?.[1];
    name = directory ?? label;
  }
  const taken = files ? getSsoSession(files, name)?.sso_start_url : undefined;
  if (taken !== undefined && normalStartUrl(taken) !== normalStartUrl(startUrl)) {
    name = `${name}-${sha1HexUtf8(normalStartUrl(startUrl)).slice(0, 8)}`;
  }
  return name;
}

function assertStartUrl(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed?.protocol !== 'https:' && parsed?.protocol !== 'http:') {
    throw new UsageError(`Invalid --start-url ${JSON.stringify(url)}: expected an https:// URL.`, {
      hint: 'copy it from the IAM Identity Center console, e.g. https://my-sso-portal.awsapps.com/start',
    });
  }
}

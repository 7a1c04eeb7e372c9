import type { AwsFiles } from '../aws-files/profiles.js';
import { getProfile, getSsoSession } from '../aws-files/profiles.js';
import { assertValidSectionName } from '../aws-files/sections.js';
import { FileError, NotFoundError, UsageError } from '../errors.js';
import { shellWord } from '../shell-word.js';
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
}

/**
 * Finds the SSO session from flags or the config file, as `aws sso login` does: --start-url and
 * --region (a named session, by default derived from the URL), --session-name for an existing
 * [sso-session], or --profile for a profile's sso_session or its legacy sso_start_url/sso_region.
 */
export function resolveSsoSettings(files: AwsFiles, input: SsoSettingsInput): ResolvedSsoSettings {
  const profile = input.profile !== undefined ? getProfile(files, input.profile) : undefined;
  if (input.startUrl !== undefined) {
    assertStartUrl(input.startUrl);
    if (input.region === undefined) throw new UsageError('--start-url needs --region (the IAM Identity Center region).');
    assertRegion(input.region);
    const sessionName = input.sessionName ?? defaultSessionName(input.startUrl);
    assertValidSectionName(sessionName, 'session name');
    const existing = getSsoSession(files, sessionName);
    for (const [key, wanted] of [
      ['sso_start_url', input.startUrl],
      ['sso_region', input.region],
    ] as const) {
      const have = existing?.[key];
      if (have !== undefined && have !== wanted) {
        const message = `The sso-session "${sessionName}" in ${files.paths.config} has ${key} = ${have}, not ${wanted}.`;
        throw new UsageError(message, { hint: 'pass --session-name with another name, or edit that section' });
      }
    }
    return {
      ref: { sessionName, startUrl: input.startUrl, region: input.region, scopes: scopesOf(existing) ?? DEFAULT_SCOPES },
      profile,
    };
  }
  if (input.region !== undefined) throw new UsageError('--region goes with --start-url.');
  if (input.sessionName !== undefined) return { ref: sessionRef(files, input.sessionName, undefined), profile };
  if (input.profile === undefined) {
    throw new UsageError('Which SSO session? Pass --start-url URL --region REGION, or --profile NAME.', {
      hint: 'for example: awskeys sso login --start-url https://my-sso-portal.awsapps.com/start --region us-east-1',
    });
  }
  if (!profile) {
    throw new NotFoundError(`Profile "${input.profile}" is not in ${files.paths.config}.`, {
      hint: `create it: awskeys sso login --profile ${shellWord(input.profile)} --start-url URL --region REGION`,
    });
  }
  if (profile.sso_session !== undefined) {
    return { ref: sessionRef(files, profile.sso_session, input.profile), profile };
  }
  if (profile.sso_start_url !== undefined && profile.sso_region !== undefined) {
    // A legacy profile: the token is cached under its start URL and is never refreshed.
    return { ref: { startUrl: profile.sso_start_url, region: profile.sso_region }, profile };
  }
  throw new UsageError(`Profile "${input.profile}" has no SSO settings (sso_session, or sso_start_url and sso_region).`, {
    hint: `add them: awskeys sso login --profile ${shellWord(input.profile)} --start-url URL --region REGION`,
  });
}

/** The settings of an existing [sso-session NAME]; throws when it is missing or incomplete. */
export function sessionRef(files: AwsFiles, name: string, profile: string | undefined): SsoSessionRef {
  const section = getSsoSession(files, name);
  const from = profile !== undefined ? `Profile "${profile}" uses sso-session "${name}", but ` : '';
  if (!section) {
    throw new FileError(`${from}there is no [sso-session ${name}] in ${files.paths.config}.`, {
      hint: `create it: awskeys sso login --start-url URL --region REGION --session-name ${shellWord(name)}`,
    });
  }
  const startUrl = section.sso_start_url;
  const region = section.sso_region;
  if (startUrl === undefined || region === undefined) {
    throw new FileError(`${from}[sso-session ${name}] in ${files.paths.config} lacks sso_start_url or sso_region.`, {
      hint: `set both, e.g.: awskeys sso login --start-url URL --region REGION --session-name ${shellWord(name)}`,
    });
  }
  return { sessionName: name, startUrl, region, scopes: scopesOf(section) };
}

/**
 * The session name used when only a start URL is given: the first label of its host
 * (https://my-sso-portal.awsapps.com/start -> my-sso-portal), so the same URL always maps to the
 * same session and token file. An IP address or localhost gives sso-<host>.
 */
export function defaultSessionName(startUrl: string): string {
  const host = new URL(startUrl).hostname;
  if (/^[\d.]+$/.test(host) || host.includes(':') || !host.includes('.')) {
    return `sso-${host.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
  }
  return host.split('.')[0] ?? host;
}

function scopesOf(section: Record<string, string> | undefined): string[] | undefined {
  const raw = section?.sso_registration_scopes;
  if (raw === undefined) return undefined;
  const scopes = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return scopes.length > 0 ? scopes : undefined;
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

export function assertRegion(region: string): void {
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new UsageError(`Invalid region ${JSON.stringify(region)}.`, { hint: 'for example: us-east-1, eu-west-2' });
  }
}

/**
 * The settings that make a profile an SSO profile, and how start URLs compare: facts of the file
 * format, here below both their readers (sso/sso-profile.ts, and the overwrite policy in
 * profile-overwrite.ts), so each reads them from one place.
 */

/** Any one of these makes a profile an SSO profile for the JS SDK (its isSsoProfile). */
export const SSO_KEYS = ['sso_session', 'sso_start_url', 'sso_region', 'sso_account_id', 'sso_role_name'] as const;

/** A start URL with or without its trailing slash (or surrounding spaces) names the same portal. */
export function normalStartUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

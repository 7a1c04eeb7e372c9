import { shellWord } from '../text/shell-word.js';
import type { SsoSessionRef } from './token-cache.js';

/**
 * The one hint for a missing or expired SSO login: `awskeys sso login` for the profile the user
 * named, else for the session (start URL, region, sso-session name). Kept free of heavy imports:
 * `env` builds it on its lean path.
 */
export function loginCommand(ref: Pick<SsoSessionRef, 'startUrl' | 'region' | 'sessionName'>, profile?: string): string {
  if (profile !== undefined) return `awskeys sso login --profile ${shellWord(profile)}`;
  const session = ref.sessionName !== undefined ? ` --sso-session ${shellWord(ref.sessionName)}` : '';
  return `awskeys sso login --start-url ${shellWord(ref.startUrl)} --region ${shellWord(ref.region)}${session}`;
}

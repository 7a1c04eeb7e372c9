import { shellWord } from '../shell-word.js';

/** The command that fixes a missing or expired SSO login for `profile`. */
export function loginCommand(profile: string): string {
  return `awskeys sso login --profile ${shellWord(profile)}`;
}

/** undefined for an unset or empty setting: an empty value in a file or variable means "not set". */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

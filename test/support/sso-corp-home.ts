import { join } from 'node:path';
import { tokenCachePath, writeToken } from '../../src/sso/token-cache.js';
import { tempHome, type TempHomeOptions } from './temp-home.js';
import { startSsoEmulator } from '../../emulators/sso/index.js';
import type { IssueTokenOptions, SsoEmulator } from '../../emulators/sso/types.js';

export interface SsoCorpHome {
  emulator: SsoEmulator;
  home: string;
  /** HOME, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE and the emulator's endpoint variables. */
  env: Record<string, string>;
  /** The emulator's start URL, the one `[sso-session corp]` names. */
  startUrl: string;
  /** ~/.aws/sso/cache (the tokens) and ~/.aws/cli/cache (the role credentials). */
  ssoCacheDir: string;
  cliCacheDir: string;
  /**
   * Logs in the way `awskeys sso login` leaves things: a token from the emulator in the AWS CLI's
   * token cache, under `ref` (default the "corp" session). Returns the token file's path.
   */
  logIn(options?: IssueTokenOptions, ref?: { sessionName?: string; startUrl: string }): Promise<string>;
  close(): Promise<void>;
}

/** The lines of a profile on the "corp" session: the role `role` in account `account`. */
export function corpProfile(name: string, account: string, role: string): string[] {
  return [`[profile ${name}]`, 'sso_session = corp', `sso_account_id = ${account}`, `sso_role_name = ${role}`];
}

/**
 * A temp HOME whose ~/.aws/config holds the given profile lines and then an `[sso-session corp]`
 * on a real (real-clock) SSO emulator in us-east-1. `profiles` gets the start URL, for legacy
 * profiles that name it themselves.
 */
export async function ssoCorpHome(
  options: { profiles: (startUrl: string) => string[] } & Pick<TempHomeOptions, 'credentials' | 'modes'>,
): Promise<SsoCorpHome> {
  const emulator = await startSsoEmulator();
  const startUrl = `${emulator.url}/start`;
  const { home, env } = await tempHome({
    config: [
      ...options.profiles(startUrl),
      '[sso-session corp]',
      `sso_start_url = ${startUrl}`,
      'sso_region = us-east-1',
      'sso_registration_scopes = sso:account:access',
      '',
    ].join('\n'),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
    ...(options.modes !== undefined ? { modes: options.modes } : {}),
  });
  const ssoCacheDir = join(home, '.aws', 'sso', 'cache');
  return {
    emulator,
    home,
    env: { ...env, ...emulator.env },
    startUrl,
    ssoCacheDir,
    cliCacheDir: join(home, '.aws', 'cli', 'cache'),
    async logIn(issue = {}, ref = { sessionName: 'corp', startUrl }) {
      const path = tokenCachePath(ssoCacheDir, ref);
      await writeToken(path, { startUrl, region: 'us-east-1', ...emulator.issueToken({ startUrl, ...issue }) });
      return path;
    },
    close: () => emulator.close(),
  };
}

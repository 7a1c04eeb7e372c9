import { ssoLogin } from '../../sso/login.js';
import type { Deps } from '../../app/deps.js';
import { UsageError } from '../../errors/cli-error.js';

/** `awskeys sso login`: flags -> ssoLogin -> env/json text on stdout (files are written by the service). */
export async function ssoLoginCommand(flags: SsoLoginFlags, deps: Deps): Promise<void> {
  if (flags.ssoSession !== undefined && flags.sessionName !== undefined && flags.ssoSession !== flags.sessionName) {
    throw new UsageError('--sso-session and --session-name name different sessions; pass one.');
  }
  const sessionName = flags.ssoSession ?? flags.sessionName;
  // Like `aws sso login`: with no session named on the command line, AWS_PROFILE says which profile.
  const envProfile = deps.env.AWS_PROFILE === '' ? undefined : deps.env.AWS_PROFILE;
  const profile = flags.profile ?? (flags.startUrl === undefined && sessionName === undefined ? envProfile : undefined);
  const result = await ssoLogin(
    {
      startUrl: flags.startUrl,
      region: flags.region,
      sessionName,
      profile,
      accountId: flags.accountId,
      roleName: flags.roleName,
      write: flags.write,
      profileRegion: flags.profileRegion,
      browser: flags.browser,
      force: flags.force ?? false,
      flow: flags.useDeviceCode ? 'device-code' : flags.useAuthCode ? 'auth-code' : undefined,
      authTimeoutMs: flags.timeout === undefined ? undefined : timeoutMs(flags.timeout),
    },
    deps,
  );
  if (result.stdout !== undefined) deps.stdout.write(result.stdout);
}

/** --timeout SECONDS (1..3600) as milliseconds; shared by `sso login` and `login`. */
export function timeoutMs(value: string): number {
  const seconds = Number(value);
  if (!/^\d+$/.test(value.trim()) || seconds < 1 || seconds > 3600) {
    throw new UsageError(`Invalid --timeout ${JSON.stringify(value)}: expected whole seconds from 1 to 3600.`);
  }
  return seconds * 1000;
}

export interface SsoLoginFlags {
  startUrl?: string;
  region?: string;
  ssoSession?: string;
  sessionName?: string;
  useDeviceCode?: boolean;
  useAuthCode?: boolean;
  timeout?: string;
  profile?: string;
  accountId?: string;
  roleName?: string;
  write: 'config' | 'credentials' | 'env' | 'json';
  profileRegion?: string;
  browser: boolean;
  force?: boolean;
}

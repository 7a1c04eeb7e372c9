import type { Deps } from '../../app/deps.js';
import { consoleLogin } from '../../login/login.js';
import { timeoutMs } from './sso-login.js';

/** The flags of `awskeys login`. */
export interface LoginFlags {
  profile?: string;
  region?: string;
  remote?: boolean;
  browser?: boolean;
  force?: boolean;
  timeout?: string;
}

/** `awskeys login`: flags -> consoleLogin; it reports on stderr (the result is the cache and the profile). */
export async function loginCommand(flags: LoginFlags, deps: Deps): Promise<void> {
  await consoleLogin(
    {
      profile: flags.profile,
      region: flags.region,
      remote: flags.remote ?? false,
      openBrowser: flags.browser ?? true,
      force: flags.force ?? false,
      timeoutMs: flags.timeout === undefined ? undefined : timeoutMs(flags.timeout),
    },
    deps,
  );
}

import { ssoLogout } from '../../sso/logout.js';
import type { Deps } from '../../app/deps.js';

/** `awskeys sso logout`: flags -> ssoLogout; it reports on stderr (there is no result to print). */
export async function ssoLogoutCommand(flags: SsoLogoutFlags, deps: Deps): Promise<void> {
  await ssoLogout({ profile: flags.profile, session: flags.session, all: flags.all ?? false }, deps);
}

export interface SsoLogoutFlags {
  profile?: string;
  session?: string;
  all?: boolean;
}

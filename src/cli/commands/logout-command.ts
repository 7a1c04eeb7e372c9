import type { Deps } from '../../app/deps.js';
import { loginLogout } from '../../login/logout.js';

/** The flags of `awskeys logout`. */
export interface LogoutFlags {
  profile?: string;
  all?: boolean;
}

/** `awskeys logout`: flags -> loginLogout; it reports on stderr (there is no result to print). */
export async function logoutCommand(flags: LogoutFlags, deps: Deps): Promise<void> {
  await loginLogout({ profile: flags.profile, all: flags.all ?? false }, deps);
}

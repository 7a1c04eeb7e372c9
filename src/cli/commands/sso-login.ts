import { ssoLogin } from '../../sso/login.js';
import type { Deps } from '../../deps.js';
import type { SsoLoginFlags } from './sso.cli.js';

/** `awskeys sso login`: flags -> ssoLogin -> env/json text on stdout (files are written by the service). */
export async function ssoLoginCommand(flags: SsoLoginFlags, deps: Deps): Promise<void> {
  const result = await ssoLogin(
    {
      startUrl: flags.startUrl,
      region: flags.region,
      sessionName: flags.sessionName,
      profile: flags.profile,
      accountId: flags.accountId,
      roleName: flags.roleName,
      write: flags.write,
      profileRegion: flags.profileRegion,
      browser: flags.browser,
      force: flags.force ?? false,
    },
    deps,
  );
  if (result.stdout !== undefined) deps.stdout.write(result.stdout);
}

import type { Deps } from '../../app/deps.js';
import { ssoPopulate } from '../../sso/populate/populate.js';
import type { SsoPopulateFlags } from './sso.cli.js';

/** `awskeys sso populate`: flags -> ssoPopulate -> the plan on stdout with --dry-run. */
export async function ssoPopulateCommand(flags: SsoPopulateFlags, deps: Deps): Promise<void> {
  const result = await ssoPopulate(
    {
      ssoSession: flags.ssoSession,
      profile: flags.profile,
      startUrl: flags.startUrl,
      region: flags.region,
      template: flags.template,
      profileRegion: flags.profileRegion,
      prune: flags.prune ?? false,
      dryRun: flags.dryRun ?? false,
      yes: flags.yes ?? false,
    },
    deps,
  );
  if (result.stdout !== undefined) deps.stdout.write(result.stdout);
}

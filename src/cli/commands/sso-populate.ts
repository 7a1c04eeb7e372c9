import type { Deps } from '../../app/deps.js';
import { ssoPopulate } from '../../sso/populate/populate.js';

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

export interface SsoPopulateFlags {
  ssoSession?: string;
  profile?: string;
  startUrl?: string;
  region?: string;
  template: string;
  profileRegion?: string;
  prune?: boolean;
  dryRun?: boolean;
  yes?: boolean;
}

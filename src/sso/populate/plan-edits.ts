import type { SectionEdit } from '../../aws-files/ini-edit.js';
import { profileSectionName, ssoSessionSectionName } from '../../aws-files/sections.js';
import type { PopulatePlan } from './populate-plan.js';
import { profileValues } from './populate-plan.js';

export interface SessionSection {
  name: string;
  startUrl: string;
  region: string;
  scopes?: string[] | undefined;
}

/**
 * The plan as edits of the config file: new profiles (region: --profile-region, else the SSO
 * region), changed ones (only the keys populate owns; region only with --profile-region), pruned
 * ones removed, and the [sso-session] when the session was named by --start-url.
 */
export function planEdits(
  plan: PopulatePlan,
  session: string,
  regions: { profileRegion: string | undefined; defaultRegion: string },
  sessionSection: SessionSection | undefined,
): SectionEdit[] {
  const edits: SectionEdit[] = [];
  if (sessionSection) {
    edits.push({
      section: ssoSessionSectionName(sessionSection.name),
      update: {
        sso_start_url: sessionSection.startUrl,
        sso_region: sessionSection.region,
        ...(sessionSection.scopes ? { sso_registration_scopes: sessionSection.scopes.join(', ') } : {}),
      },
    });
  }
  for (const p of plan.change) {
    edits.push({ section: profileSectionName('config', p.name), update: profileValues(p, session, regions.profileRegion) });
  }
  for (const p of plan.prune) edits.push({ section: profileSectionName('config', p.name), remove: true });
  const region = regions.profileRegion ?? regions.defaultRegion;
  for (const p of plan.add) {
    edits.push({ section: profileSectionName('config', p.name), update: profileValues(p, session, region) });
  }
  return edits;
}

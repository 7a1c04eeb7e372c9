import { getRoleCredentials } from '../../sso/role-credentials.js';
import { isSsoProfile, ssoTargetOf } from '../../sso/sso-profile.js';
import type { ProfileKind } from '../profile-kind.js';

/** sso_session (or the legacy sso_start_url) with an account and role: IAM Identity Center. */
export const ssoKind: ProfileKind = {
  name: 'sso',
  claims: (profile) => isSsoProfile(profile),
  credentials: async (name, profile, _use, { deps, files }) => {
    const target = ssoTargetOf(name, profile, files);
    const credentials = await getRoleCredentials(target, {
      aws: deps.aws,
      clock: deps.clock,
      ssoCacheDir: files.paths.ssoCacheDir,
      cliCacheDir: files.paths.cliCacheDir,
      report: deps.report,
    });
    return { credentials, kind: 'sso', ssoStartUrl: target.startUrl };
  },
};

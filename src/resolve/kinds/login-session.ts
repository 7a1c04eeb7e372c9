import { loginSessionCredentials } from '../login-session.js';
import type { ProfileKind } from '../profile-kind.js';

/**
 * `login_session = <arn>`: an `aws login` console sign-in session (../login-session.ts). A valid cache is served on the lean path; only a renewal loads more (login/renew.ts, behind import()).
 */
export const loginSessionKind: ProfileKind = {
  name: 'login_session',
  claims: (profile) => Boolean(profile.login_session?.trim()),
  credentials: async (name, profile, _use, ctx) => {
    const credentials = await loginSessionCredentials(name, profile.login_session!.trim(), ctx.region ?? profile.region, ctx.deps);
    return { credentials, kind: 'login-session' };
  },
};

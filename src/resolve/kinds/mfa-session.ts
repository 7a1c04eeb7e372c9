import type { AwsCredentials } from '../../output/credentials.js';
import { cacheOrWarn } from '../cache-or-warn.js';
import { accountOfArn, type AssumedRoleCredentials } from '../assume-role-cache.js';
import { nonEmpty } from '../hints.js';
import { readCachedSession, SESSION_DURATION, writeCachedSession } from '../mfa-session-cache.js';
import type { ProfileContext, ProfileKind } from '../profile-kind.js';
import type { RoleProfile } from '../role-profile.js';
import { hasStaticKeys, staticKeys } from './static-keys.js';

/**
 * Long-term keys with mfa_serial: an MFA session (GetSessionToken). Named on its own, a 12 h
 * session; feeding a role, a 1 h one that proves the device for every role of the chain, one code
 * for all of them. AWS refuses roles longer than 1 h from temporary credentials, so those get the
 * long-term keys and the serial, and AssumeRole asks the code itself (as aws-vault does).
 * The console (mfaSession: false) takes the long-term keys: the federation endpoint refuses sessions.
 */
export const mfaSessionKind: ProfileKind = {
  name: 'MFA session',
  claims: (profile, use, options) =>
    hasStaticKeys(profile) &&
    nonEmpty(profile.mfa_serial) !== undefined &&
    nonEmpty(profile.aws_session_token) === undefined &&
    (use.as === 'source' || options.mfaSession !== false),
  credentials: async (name, profile, use, ctx) => {
    const serial = profile.mfa_serial!;
    const keys = staticKeys(name, profile);
    if (use.as === 'named') return { credentials: await mfaSessionOf(name, keys, serial, 'alone', ctx), kind: 'mfa-session' };
    if (feedsFromSession(use.role)) {
      return { credentials: await mfaSessionOf(name, keys, serial, 'feedingRole', ctx), kind: 'mfa-session', provenSerial: serial };
    }
    return { credentials: keys, kind: 'long-term', serialForRole: serial };
  },
};

/** Whether a role fed by an MFA user's keys is assumed with an MFA session (see above). */
export function feedsFromSession(role: RoleProfile): boolean {
  return (role.durationSeconds ?? SESSION_DURATION.feedingRole) <= SESSION_DURATION.feedingRole;
}

/**
 * An MFA session for profile `name`'s long-term `keys`: from awskeys' session cache when one has
 * more than 15 minutes left, else with a code, and cached. Exported for other kinds whose keys
 * live elsewhere (the same session, whatever holds the keys).
 */
export async function mfaSessionOf(
  name: string,
  keys: AwsCredentials,
  serialNumber: string,
  use: keyof typeof SESSION_DURATION,
  ctx: ProfileContext,
): Promise<AssumedRoleCredentials> {
  const { deps, files } = ctx;
  const dir = files.paths.sessionCacheDir;
  const durations = use === 'alone' ? [SESSION_DURATION.alone, SESSION_DURATION.feedingRole] : [SESSION_DURATION.feedingRole];
  const accountId = keys.accountId ?? accountOfArn(serialNumber);
  const cached = async (): Promise<AssumedRoleCredentials | undefined> => {
    for (const durationSeconds of durations) {
      const hit = await readCachedSession(dir, { profile: name, accessKeyId: keys.accessKeyId, serialNumber, durationSeconds }, deps.clock.now());
      if (hit) return { ...hit, accountId };
    }
    return undefined;
  };
  const hit = await cached();
  if (hit) return hit;
  const key = { profile: name, accessKeyId: keys.accessKeyId, serialNumber, durationSeconds: SESSION_DURATION[use] };
  // Loaded only on a miss: they bring the SDK (in the lean bundle, the hand-over); the code is asked after it, never twice.
  const [{ getMfaSession }, { oneMfaPromptAtATime }] = await Promise.all([import('../mfa-session.js'), import('../mfa-prompt-lock.js')]);
  return oneMfaPromptAtATime(serialNumber, dir, deps, async () => {
    // Another run may have asked while this one waited: its session serves this one too.
    const theirs = await cached();
    if (theirs) return theirs;
    const session = await getMfaSession({ ...key, keys }, { aws: deps.aws, region: ctx.region, codes: ctx.codes });
    await cacheOrWarn(deps, 'MFA session', () => writeCachedSession(dir, key, session));
    return { ...session, accountId };
  });
}

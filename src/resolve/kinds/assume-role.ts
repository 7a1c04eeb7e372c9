import { getProfile } from '../../aws-files/profiles.js';
import { FileError } from '../../errors/cli-error.js';
import type { AwsCredentials } from '../../output/credentials.js';
import { shellWord } from '../../text/shell-word.js';
import { readCachedAssumedRole, writeCachedAssumedRole } from '../assume-role-cache.js';
import { cacheOrWarn } from '../cache-or-warn.js';
import { environmentSource } from '../environment-credentials.js';
import { nonEmpty } from '../hints.js';
import type { KindCredentials, ProfileContext, ProfileKind, ProfileSettings } from '../profile-kind.js';
import { NotResolvedHereError } from '../resolved.js';
import { roleProfileOf, type RoleProfile } from '../role-profile.js';
import { feedsFromSession } from './mfa-session.js';
import { hasStaticKeys } from './static-keys.js';

/** How many roles one profile may chain through source_profile (the AWS CLI sets no limit). */
export const MAX_ROLE_CHAIN = 5;

/**
 * role_arn: AssumeRole with the source credentials. Named, it wins over static keys, SSO and
 * credential_process, as in botocore and the JS SDK (only web_identity_token_file beats it, as in
 * both). As a source, static keys win over it (both agree): that is how a role profile may name
 * itself as source_profile for its own keys.
 */
export const assumeRoleKind: ProfileKind = {
  name: 'assume role',
  claims: (profile, use) => isRoleProfile(profile) && !(use.as === 'source' && hasStaticKeys(profile)),
  credentials: async (name, profile, use, ctx) => {
    if (use.as === 'named') {
      const role = roleProfileOf(name, profile);
      return { credentials: await roleCredentials(role, ctx, []), kind: 'assumed-role', chained: isTemporarySource(role, ctx) };
    }
    const { chain } = use;
    if (chain.includes(name)) {
      throw new FileError(`The source_profile settings of profile ${chain[0]} loop: ${[...chain, name].join(' -> ')}.`, {
        hint: `point one of them at a profile with access keys or SSO settings`,
      });
    }
    if (chain.length >= MAX_ROLE_CHAIN) {
      throw new FileError(`Profile ${chain[0]} chains more than ${MAX_ROLE_CHAIN} roles: ${[...chain, name].join(' -> ')}.`, {
        hint: 'shorten the chain: point a source_profile at a profile with access keys or SSO settings',
      });
    }
    return { credentials: await roleCredentials(roleProfileOf(name, profile), ctx, chain), kind: 'assumed-role' };
  },
};

function isRoleProfile(profile: ProfileSettings): boolean {
  return profile.role_arn !== undefined && profile.web_identity_token_file === undefined;
}

/**
 * The AWS CLI's assume-role cache when it holds credentials good for more than five minutes (no
 * source credentials, no SDK, no MFA code needed), else AssumeRole with the source credentials
 * (and an MFA code when the profile has mfa_serial that the source's own MFA session has not
 * proven already), and the result cached. `chain` is the role profiles that led here.
 */
async function roleCredentials(role: RoleProfile, ctx: ProfileContext, chain: readonly string[]): Promise<AwsCredentials> {
  const { deps, files } = ctx;
  const cliCacheDir = files.paths.cliCacheDir;
  const cached = await readCachedAssumedRole(cliCacheDir, role, deps.clock.now());
  if (cached) return cached;
  const source = await roleSource(role, ctx, [...chain, role.profile]);
  const serial = role.mfaSerial ?? source.serialForRole;
  const mfa = serial !== undefined && serial !== source.provenSerial ? { serial, codes: ctx.codes } : undefined;
  // Loaded only on a miss: it brings the SDK (and, in the lean bundle, hands over to the full one).
  const { assumeRole } = await import('../assume-role.js');
  const assume = async (): Promise<AwsCredentials> => {
    const result = await assumeRole(role, source.credentials, { aws: deps.aws, clock: deps.clock, region: ctx.region, mfa });
    await cacheOrWarn(deps, 'assumed-role', () => writeCachedAssumedRole(cliCacheDir, role, result));
    return result.credentials;
  };
  if (mfa === undefined) return assume();
  // A code is asked: one prompt per device at a time (mfa-prompt-lock.ts). The lock is taken only
  // now, after the source (which may hold it for its own code meanwhile) is resolved.
  const { oneMfaPromptAtATime } = await import('../mfa-prompt-lock.js');
  return oneMfaPromptAtATime(mfa.serial, files.paths.sessionCacheDir, deps, async () => {
    // Another run may have assumed this role while this one waited: its credentials serve this one too.
    return (await readCachedAssumedRole(cliCacheDir, role, deps.clock.now())) ?? (await assume());
  });
}

/** The credentials AssumeRole is called with: the environment's, or the source profile's, through the whole chain. */
async function roleSource(role: RoleProfile, ctx: ProfileContext, chain: readonly string[]): Promise<KindCredentials> {
  if (role.source.kind === 'credential_source') {
    if (role.source.value === 'Environment') return { credentials: environmentSource(role.profile, ctx.deps.env), kind: 'temporary' };
    throw new NotResolvedHereError(
      `Profile ${role.profile} takes its source credentials from credential_source = ${role.source.value}, which awskeys does not resolve.`,
      { hint: `use the AWS CLI for it: aws configure export-credentials --profile ${shellWord(role.profile)} --format env` },
    );
  }
  const name = role.source.name;
  const profile = getProfile(ctx.files, name);
  if (!profile) {
    throw new FileError(
      `Profile ${role.profile} names source_profile ${name}, which is in neither ${ctx.files.paths.config} nor ${ctx.files.paths.credentials}.`,
      { hint: `fix source_profile of profile ${role.profile}` },
    );
  }
  return ctx.resolve(name, profile, { as: 'source', role, chain });
}

/**
 * Whether `role` is assumed with temporary credentials, read from the configuration alone (so
 * it holds for cached credentials too): AWS then caps the role's console session at one hour.
 */
function isTemporarySource(role: RoleProfile, ctx: ProfileContext): boolean {
  if (role.source.kind === 'credential_source') return nonEmpty(ctx.deps.env.AWS_SESSION_TOKEN) !== undefined;
  const profile = getProfile(ctx.files, role.source.name);
  if (!profile || !hasStaticKeys(profile)) return true;
  if (nonEmpty(profile.aws_session_token) !== undefined) return true;
  return nonEmpty(profile.mfa_serial) !== undefined && feedsFromSession(role);
}

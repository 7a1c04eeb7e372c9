import { CredentialsError } from '../errors/cli-error.js';
import { shellWord } from '../text/shell-word.js';
import { assumeRoleKind } from './kinds/assume-role.js';
import { loginSessionKind } from './kinds/login-session.js';
import { mfaSessionKind } from './kinds/mfa-session.js';
import { credentialProcessKind, webIdentityKind } from './kinds/not-resolved-here.js';
import { ssoKind } from './kinds/sso.js';
import { staticKeysKind } from './kinds/static-keys.js';
import { vaultKind } from './kinds/vault.js';
import type { KindCredentials, ProfileContext, ProfileKind, ProfileSettings, ProfileUse } from './profile-kind.js';
import type { ResolveOptions } from './resolved.js';

/**
 * Every kind of profile, in the order the JS SDK's provider chain tries them (botocore agrees), so
 * a profile with both static keys and sso_* settings gives its static keys, and one with role_arn
 * assumes the role. The first kind that claims a profile gives its credentials; a new kind is a
 * file in kinds/ and a line here.
 */
export const PROFILE_KINDS: readonly ProfileKind[] = [
  assumeRoleKind,
  vaultKind,
  mfaSessionKind,
  staticKeysKind,
  webIdentityKind,
  credentialProcessKind,
  loginSessionKind,
  ssoKind,
];

/** The credentials of profile `name`, from the first kind that claims it. */
export async function credentialsOfProfile(
  name: string,
  profile: ProfileSettings,
  use: ProfileUse,
  ctx: Omit<ProfileContext, 'resolve'>,
): Promise<KindCredentials> {
  const full: ProfileContext = { ...ctx, resolve: (n, p, u) => credentialsOfProfile(n, p, u, ctx) };
  const kind = kindFor(profile, use, ctx.options);
  if (!kind) {
    throw new CredentialsError(`Profile ${name} has no credentials: no access keys and no SSO settings.`, {
      hint: `add aws_access_key_id/aws_secret_access_key, or set it up with: awskeys sso login --profile ${shellWord(name)}`,
    });
  }
  return kind.credentials(name, profile, use, full);
}

/** The kind that gives a profile's credentials, if any. */
export function kindFor(profile: ProfileSettings, use: ProfileUse, options: ResolveOptions): ProfileKind | undefined {
  return PROFILE_KINDS.find((k) => k.claims(profile, use, options));
}

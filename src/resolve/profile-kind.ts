import type { AwsFiles } from '../aws-files/profiles.js';
import type { AwsCredentials } from '../output/credentials.js';
import type { MfaCodes } from './mfa-code.js';
import type { CredentialKind, ResolveDeps, ResolveOptions } from './resolved.js';
import type { RoleProfile } from './role-profile.js';

/** A profile's settings as both AWS files merge them. */
export type ProfileSettings = Record<string, string>;

/**
 * Why a profile is being resolved: it is the one the user named, or the source_profile of a role
 * (`role`, reached through the role profiles in `chain`). Some kinds answer differently for a
 * source: static keys win over role_arn there, and an MFA user's keys feed a role either as a
 * session or directly with the serial (kinds/mfa-session.ts).
 */
export type ProfileUse = { as: 'named' } | { as: 'source'; role: RoleProfile; chain: readonly string[] };

/** What one kind gives for a profile. */
export interface KindCredentials {
  credentials: AwsCredentials;
  kind: CredentialKind;
  /** For SSO credentials: the portal's start URL. */
  ssoStartUrl?: string | undefined;
  /** For an assumed role: its source credentials are temporary (console sessions cap at 1 h). */
  chained?: boolean | undefined;
  /** As a source: the MFA device these credentials' session proved (AssumeRole needs no new code). */
  provenSerial?: string | undefined;
  /** As a source: long-term keys whose mfa_serial the AssumeRole call must send with a code. */
  serialForRole?: string | undefined;
}

/** Everything a kind may use while resolving, for one resolution. */
export interface ProfileContext {
  deps: ResolveDeps;
  options: ResolveOptions;
  files: AwsFiles;
  /**
   * The named profile's region: every AssumeRole of its chain is sent there, as botocore (the
   * session's region) and the JS SDK (one role assumer for the chain) do, not to each hop's own.
   */
  region: string | undefined;
  codes: MfaCodes;
  /** Runs the whole chain for another profile (a role's source): kinds never import the chain. */
  resolve(name: string, profile: ProfileSettings, use: ProfileUse): Promise<KindCredentials>;
}

/**
 * One kind of profile (static keys, an assumed role, SSO, ...). The chain (profile-chain.ts) asks
 * each kind in order whether it claims a profile; the first that does gives its credentials, as
 * the SDK's provider chain does. A new kind of profile is a new file in kinds/ and one line there.
 */
export interface ProfileKind {
  /** For tests and the reader: which settings this kind stands for. */
  readonly name: string;
  claims(profile: ProfileSettings, use: ProfileUse, options: ResolveOptions): boolean;
  credentials(name: string, profile: ProfileSettings, use: ProfileUse, ctx: ProfileContext): Promise<KindCredentials>;
}

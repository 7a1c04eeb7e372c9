import { FileError } from '../errors.js';
import { nonEmpty } from './hints.js';

/** Where a role profile's source credentials come from. */
export type RoleSource = { kind: 'profile'; name: string } | { kind: 'credential_source'; value: CredentialSource };

/** The credential_source values botocore accepts (case-sensitive, as there). */
export const CREDENTIAL_SOURCES = ['Environment', 'Ec2InstanceMetadata', 'EcsContainer'] as const;
export type CredentialSource = (typeof CREDENTIAL_SOURCES)[number];

/** An assume-role profile (`role_arn` set), validated. */
export interface RoleProfile {
  profile: string;
  roleArn: string;
  source: RoleSource;
  /** undefined: a fresh `awskeys-<epoch seconds>` per AssumeRole call, left out of the cache key. */
  roleSessionName: string | undefined;
  externalId: string | undefined;
  mfaSerial: string | undefined;
  durationSeconds: number | undefined;
}

/**
 * Reads the role settings of profile `name` as botocore's AssumeRoleProvider does: exactly one of
 * source_profile and credential_source. A broken setting is a FileError (exit 3) naming it.
 */
export function roleProfileOf(name: string, profile: Record<string, string>): RoleProfile {
  const roleArn = nonEmpty(profile.role_arn);
  if (roleArn === undefined) throw configError(name, 'has an empty role_arn', 'set role_arn to the ARN of the role to assume');
  const sourceProfile = nonEmpty(profile.source_profile);
  const credentialSource = nonEmpty(profile.credential_source);
  if (sourceProfile !== undefined && credentialSource !== undefined) {
    throw configError(name, 'has both source_profile and credential_source', 'keep only one of them');
  }
  let source: RoleSource;
  if (sourceProfile !== undefined) {
    source = { kind: 'profile', name: sourceProfile };
  } else if (credentialSource !== undefined) {
    if (!isCredentialSource(credentialSource)) {
      throw configError(
        name,
        `has credential_source = ${credentialSource}, which is not one of ${CREDENTIAL_SOURCES.join(', ')}`,
        'set credential_source = Environment, or use source_profile',
      );
    }
    source = { kind: 'credential_source', value: credentialSource };
  } else {
    throw configError(name, 'has role_arn but neither source_profile nor credential_source', 'add source_profile = PROFILE');
  }
  return {
    profile: name,
    roleArn,
    source,
    roleSessionName: nonEmpty(profile.role_session_name),
    externalId: nonEmpty(profile.external_id),
    mfaSerial: nonEmpty(profile.mfa_serial),
    durationSeconds: durationOf(name, profile.duration_seconds),
  };
}

function durationOf(name: string, raw: string | undefined): number | undefined {
  const value = nonEmpty(raw?.trim());
  if (value === undefined) return undefined;
  // botocore silently drops a value int() rejects; a typo here is better reported than ignored.
  if (!/^\d+$/.test(value)) {
    throw configError(name, `has duration_seconds = ${value}, which is not a whole number of seconds`, 'set e.g. duration_seconds = 3600');
  }
  return Number(value);
}

function isCredentialSource(value: string): value is CredentialSource {
  return (CREDENTIAL_SOURCES as readonly string[]).includes(value);
}

function configError(name: string, problem: string, fix: string): FileError {
  return new FileError(`Profile ${name} ${problem}.`, { hint: fix });
}

import { FileError } from '../errors/cli-error.js';
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
    roleSessionName: sessionNameOf(name, profile.role_session_name),
    externalId: externalIdOf(name, profile.external_id),
    mfaSerial: nonEmpty(profile.mfa_serial),
    durationSeconds: durationOf(name, profile.duration_seconds),
  };
}

/** The DurationSeconds AssumeRole accepts at all; the role's MaxSessionDuration may allow less. */
export const DURATION_RANGE = { min: 900, max: 43_200 } as const;

function durationOf(name: string, raw: string | undefined): number | undefined {
  const value = nonEmpty(raw?.trim());
  if (value === undefined) return undefined;
  // botocore silently drops a value int() rejects, and STS refuses one out of range only after
  // the source credentials were resolved: a typo here is better reported at once.
  const seconds = /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
  if (!(seconds >= DURATION_RANGE.min && seconds <= DURATION_RANGE.max)) {
    throw configError(
      name,
      `has duration_seconds = ${value}, which is not a whole number of seconds from ${DURATION_RANGE.min} to ${DURATION_RANGE.max}`,
      'set e.g. duration_seconds = 3600',
    );
  }
  return seconds;
}

/** AWS's RoleSessionName pattern; `\w` is ASCII in both JavaScript and AWS's definition. */
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

function sessionNameOf(name: string, raw: string | undefined): string | undefined {
  const value = nonEmpty(raw);
  if (value !== undefined && !SESSION_NAME.test(value)) {
    throw configError(
      name,
      `has role_session_name = ${JSON.stringify(value)}, which is not 2 to 64 of the characters A-Z a-z 0-9 _ + = , . @ -`,
      'set e.g. role_session_name = my-name',
    );
  }
  return value;
}

/** AWS's ExternalId pattern. */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

function externalIdOf(name: string, raw: string | undefined): string | undefined {
  const value = nonEmpty(raw);
  // Never echoed: an external id is handed out like a shared secret (the confused-deputy guard).
  if (value !== undefined && !EXTERNAL_ID.test(value)) {
    throw configError(
      name,
      'has an external_id that is not 2 to 1224 of the characters A-Z a-z 0-9 _ + = , . @ : / -',
      'copy external_id exactly as the role owner gave it',
    );
  }
  return value;
}

function isCredentialSource(value: string): value is CredentialSource {
  return (CREDENTIAL_SOURCES as readonly string[]).includes(value);
}

function configError(name: string, problem: string, fix: string): FileError {
  return new FileError(`Profile ${name} ${problem}.`, { hint: fix });
}

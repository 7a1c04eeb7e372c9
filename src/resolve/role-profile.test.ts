import { describe, expect, it } from 'vitest';
import { ExitCode, type CliError } from '../errors/cli-error.js';
import { roleProfileOf } from './role-profile.js';

const ARN = 'arn:aws:iam::123456789012:role/Deploy';

describe('roleProfileOf', () => {
  it('reads every setting of a source_profile role', () => {
    expect(
      roleProfileOf('p', {
        role_arn: ARN,
        source_profile: 'base',
        role_session_name: 'ci',
        external_id: 'ext-1',
        mfa_serial: 'arn:aws:iam::123456789012:mfa/me',
        duration_seconds: ' 900 ',
      }),
    ).toEqual({
      profile: 'p',
      roleArn: ARN,
      source: { kind: 'profile', name: 'base' },
      roleSessionName: 'ci',
      externalId: 'ext-1',
      mfaSerial: 'arn:aws:iam::123456789012:mfa/me',
      durationSeconds: 900,
    });
  });

  it('reads credential_source and treats empty settings as unset', () => {
    expect(roleProfileOf('p', { role_arn: ARN, credential_source: 'Environment', role_session_name: '', duration_seconds: '' })).toEqual({
      profile: 'p',
      roleArn: ARN,
      source: { kind: 'credential_source', value: 'Environment' },
      roleSessionName: undefined,
      externalId: undefined,
      mfaSerial: undefined,
      durationSeconds: undefined,
    });
  });

  it.each([
    [{ role_arn: '', source_profile: 'b' }, 'Profile p has an empty role_arn.'],
    [{ role_arn: ARN }, 'Profile p has role_arn but neither source_profile nor credential_source.'],
    [{ role_arn: ARN, source_profile: 'b', credential_source: 'Environment' }, 'Profile p has both source_profile and credential_source.'],
    [{ role_arn: ARN, credential_source: 'environment' }, 'Profile p has credential_source = environment, which is not one of Environment, Ec2InstanceMetadata, EcsContainer.'],
    [{ role_arn: ARN, source_profile: 'b', duration_seconds: '1h' }, 'Profile p has duration_seconds = 1h, which is not a whole number of seconds from 900 to 43200.'],
    [{ role_arn: ARN, source_profile: 'b', duration_seconds: '899' }, 'Profile p has duration_seconds = 899, which is not a whole number of seconds from 900 to 43200.'],
    [{ role_arn: ARN, source_profile: 'b', duration_seconds: '43201' }, 'Profile p has duration_seconds = 43201, which is not a whole number of seconds from 900 to 43200.'],
    [{ role_arn: ARN, source_profile: 'b', duration_seconds: '99999999999999999999' }, 'Profile p has duration_seconds = 99999999999999999999, which is not a whole number of seconds from 900 to 43200.'],
    [{ role_arn: ARN, source_profile: 'b', role_session_name: 'my session' }, 'Profile p has role_session_name = "my session", which is not 2 to 64 of the characters A-Z a-z 0-9 _ + = , . @ -.'],
    [{ role_arn: ARN, source_profile: 'b', role_session_name: 'x' }, 'Profile p has role_session_name = "x", which is not 2 to 64 of the characters A-Z a-z 0-9 _ + = , . @ -.'],
    [{ role_arn: ARN, source_profile: 'b', role_session_name: 'é'.repeat(3) }, 'Profile p has role_session_name = "ééé", which is not 2 to 64 of the characters A-Z a-z 0-9 _ + = , . @ -.'],
    [{ role_arn: ARN, source_profile: 'b', role_session_name: 'a'.repeat(65) }, `Profile p has role_session_name = "${'a'.repeat(65)}", which is not 2 to 64 of the characters A-Z a-z 0-9 _ + = , . @ -.`],
    [{ role_arn: ARN, source_profile: 'b', external_id: 's3cr3t id' }, 'Profile p has an external_id that is not 2 to 1224 of the characters A-Z a-z 0-9 _ + = , . @ : / -.'],
    [{ role_arn: ARN, source_profile: 'b', external_id: 'x' }, 'Profile p has an external_id that is not 2 to 1224 of the characters A-Z a-z 0-9 _ + = , . @ : / -.'],
  ])('refuses %o with a file error', (settings: Record<string, string>, message) => {
    let error: CliError | undefined;
    try {
      roleProfileOf('p', settings);
    } catch (err) {
      error = err as CliError;
    }
    expect([error?.exitCode, error?.message]).toEqual([ExitCode.File, message]);
    expect(error?.hint).toMatch(/^\S/);
  });

  it.each([
    ['duration_seconds', '900', 900],
    ['duration_seconds', '43200', 43_200],
    ['role_session_name', 'a+=,.@-_Z9', 'a+=,.@-_Z9'],
    ['role_session_name', 'n'.repeat(64), 'n'.repeat(64)],
    ['external_id', 'urn:acme:tenant/42-x', 'urn:acme:tenant/42-x'],
  ])('accepts %s = %s, the edge of what AWS accepts', (key, value, expected) => {
    const role = roleProfileOf('p', { role_arn: ARN, source_profile: 'b', [key]: value });
    expect({ duration_seconds: role.durationSeconds, role_session_name: role.roleSessionName, external_id: role.externalId }[key]).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { ExitCode, type CliError } from '../errors.js';
import { roleProfileOf } from './role-profile.js';

const ARN = 'arn:aws:iam::123456789012:role/Deploy';

describe('roleProfileOf', () => {
  it('reads every setting of a source_profile role', () => {
    expect(
      roleProfileOf('p', {
        role_arn: ARN,
        source_profile: 'base',
        role_session_name: 'ci',
        external_id: 'x',
        mfa_serial: 'arn:aws:iam::123456789012:mfa/me',
        duration_seconds: ' 900 ',
      }),
    ).toEqual({
      profile: 'p',
      roleArn: ARN,
      source: { kind: 'profile', name: 'base' },
      roleSessionName: 'ci',
      externalId: 'x',
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
    [{ role_arn: ARN, source_profile: 'b', duration_seconds: '1h' }, 'Profile p has duration_seconds = 1h, which is not a whole number of seconds.'],
  ])('refuses %o with a file error', (settings: Record<string, string>, message) => {
    let error: CliError | undefined;
    try {
      roleProfileOf('p', settings);
    } catch (err) {
      error = err as CliError;
    }
    expect([error?.exitCode, error?.message]).toEqual([ExitCode.File, message]);
  });
});

import { describe, expect, it } from 'vitest';
import { kindFor, PROFILE_KINDS } from './profile-chain.js';
import type { ProfileSettings, ProfileUse } from './profile-kind.js';
import { roleProfileOf } from './role-profile.js';

/** Which kind gives a profile's credentials: the JS SDK's order, as botocore reads the same settings. */

const KEYS = { aws_access_key_id: 'AKIAEXAMPLE', aws_secret_access_key: 'secret' };
const ROLE = { role_arn: 'arn:aws:iam::123456789012:role/Deploy', source_profile: 'base' };
const SSO = { sso_session: 'corp', sso_account_id: '111122223333', sso_role_name: 'Admin' };
const named: ProfileUse = { as: 'named' };
const asSource = (durationSeconds?: string): ProfileUse => ({
  as: 'source',
  role: roleProfileOf('top', { ...ROLE, ...(durationSeconds ? { duration_seconds: durationSeconds } : {}) }),
  chain: ['top'],
});
const kind = (profile: ProfileSettings, use: ProfileUse = named, mfaSession?: boolean) => kindFor(profile, use, { mfaSession })?.name;

describe('the profile chain', () => {
  it('tries the kinds in the SDK order', () => {
    expect(PROFILE_KINDS.map((k) => k.name)).toEqual([
      'assume role',
      'vault',
      'MFA session',
      'static keys',
      'web_identity_token_file',
      'credential_process',
      'login_session',
      'sso',
    ]);
  });

  it.each<[string, ProfileSettings, string | undefined]>([
    ['role_arn beats keys, SSO and credential_process', { ...ROLE, ...KEYS, ...SSO, credential_process: '/bin/false' }, 'assume role'],
    ['web_identity_token_file beats role_arn', { ...ROLE, web_identity_token_file: '/t' }, 'web_identity_token_file'],
    ['keys with mfa_serial make an MFA session', { ...KEYS, mfa_serial: 'arn:aws:iam::1:mfa/a' }, 'MFA session'],
    ['keys with a session token are used as they are, mfa_serial or not', { ...KEYS, aws_session_token: 't', mfa_serial: 'arn:aws:iam::1:mfa/a' }, 'static keys'],
    ['half a key pair is still a static-key profile (its error names the missing half)', { aws_access_key_id: 'AKIA' }, 'static keys'],
    ['keys beat SSO settings', { ...KEYS, ...SSO }, 'static keys'],
    ['credential_process beats login_session and SSO', { credential_process: '/bin/true', login_session: 'arn:aws:iam::1:user/a', ...SSO }, 'credential_process'],
    ['login_session beats SSO', { login_session: 'arn:aws:iam::1:user/a', ...SSO }, 'login_session'],
    ['an empty login_session is not one', { login_session: ' ', ...SSO }, 'sso'],
    ['awskeys_vault beats credential_process (that line is for the other tools) and keys a stopped move left', { credential_process: 'awskeys credential-process --profile p', awskeys_vault: 'keychain', ...KEYS, mfa_serial: 'arn:aws:iam::1:mfa/a' }, 'vault'],
    ['awskeys_vault = file is a vault profile too', { credential_process: 'awskeys credential-process --profile p', awskeys_vault: ' file ' }, 'vault'],
    ['an awskeys_vault naming no store is not a vault profile', { credential_process: '/bin/true', awskeys_vault: 'gpg' }, 'credential_process'],
    ['nothing usable: no kind', { region: 'eu-west-1' }, undefined],
  ])('named: %s', (_, profile, expected) => {
    expect(kind(profile)).toBe(expected);
  });

  it('the console (no MFA sessions) takes an MFA user’s long-term keys', () => {
    expect(kind({ ...KEYS, mfa_serial: 'arn:aws:iam::1:mfa/a' }, named, false)).toBe('static keys');
  });

  it('as a source, static keys beat role_arn (a role may name itself for its own keys)', () => {
    expect(kind({ ...ROLE, ...KEYS }, asSource())).toBe('static keys');
    expect(kind(ROLE, asSource())).toBe('assume role');
  });

  it('as a source, an MFA user feeds a role through the MFA kind whatever the console wants', () => {
    expect(kind({ ...KEYS, mfa_serial: 'arn:aws:iam::1:mfa/a' }, asSource(), false)).toBe('MFA session');
  });
});

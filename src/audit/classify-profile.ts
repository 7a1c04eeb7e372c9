import { getProfile, type AwsFiles } from '../aws-files/profiles.js';
import type { AwsFileKind } from '../aws-files/sections.js';
import { nonEmpty } from '../resolve/hints.js';
import { isSsoProfile, ssoTargetOf } from '../sso/sso-profile.js';
import type { SsoRoleTarget } from '../sso/role-credentials.js';
import { vaultStoreOf } from '../vault/vault-marker.js';
import type { VaultStoreKind } from '../vault/vault-types.js';

/** A long-term key in plaintext in an AWS file: the file that holds its secret. */
export interface PlaintextKey {
  accessKeyId: string;
  secretAccessKey: string;
  in: AwsFileKind;
}

/** What kind of credentials a profile gives, as far as the files alone tell. */
export type ProfileCredentials =
  | { kind: 'static'; accessKeyId: string; secretAccessKey: string; in: AwsFileKind }
  /**
   * A vault profile (`awskeys_vault`): its key is in the store; `plaintext` is a copy left in the
   * AWS files (a move stopped before its last step), which botocore would use first.
   */
  | { kind: 'vault'; store: VaultStoreKind; plaintext: PlaintextKey | undefined }
  /** A static key with a part missing: the SDKs refuse it. */
  | { kind: 'static'; accessKeyId: string | undefined; secretAccessKey?: undefined; problem: string }
  | { kind: 'sso'; target: SsoRoleTarget }
  | { kind: 'sso'; target?: undefined; problem: string }
  | { kind: 'other'; source: string };

/**
 * Sorts a profile the way the SDKs pick its credentials: a role to assume first, then static keys
 * (temporary ones, with a session token, are "other": there is nothing to rotate or age), then
 * SSO, then the rest. A vault profile is sorted as awskeys reads it (src/resolve/profile-chain.ts:
 * after a role, before static keys).
 */
export function classifyProfile(name: string, values: Record<string, string>, files: AwsFiles): ProfileCredentials {
  if (values.role_arn !== undefined && (values.source_profile !== undefined || values.credential_source !== undefined)) {
    const via = values.source_profile !== undefined ? `source_profile ${values.source_profile}` : `credential_source ${values.credential_source ?? ''}`;
    return { kind: 'other', source: `role_arn ${values.role_arn} (${via})` };
  }
  const id = nonEmpty(values.aws_access_key_id);
  const secret = nonEmpty(values.aws_secret_access_key);
  const plaintext = id !== undefined && secret !== undefined && values.aws_session_token === undefined ? { accessKeyId: id, secretAccessKey: secret, in: secretFile(name, files) } : undefined;
  const store = vaultStoreOf(values);
  if (store) return { kind: 'vault', store, plaintext };
  if (id !== undefined || secret !== undefined) {
    if (values.aws_session_token !== undefined) return { kind: 'other', source: 'temporary keys (aws_session_token)' };
    if (id === undefined || secret === undefined) {
      const missing = id === undefined ? 'aws_access_key_id' : 'aws_secret_access_key';
      return { kind: 'static', accessKeyId: id, problem: `only half a key pair: ${missing} is missing or empty` };
    }
    return { kind: 'static', accessKeyId: id, secretAccessKey: secret, in: secretFile(name, files) };
  }
  if (values.login_session !== undefined) return { kind: 'other', source: `aws login session (login_session ${values.login_session})` };
  if (isSsoProfile(values)) {
    try {
      return { kind: 'sso', target: ssoTargetOf(name, values, files) };
    } catch (err) {
      return { kind: 'sso', problem: (err as Error).message };
    }
  }
  if (values.role_arn !== undefined) return { kind: 'other', source: `role_arn ${values.role_arn}` };
  if (values.credential_process !== undefined) return { kind: 'other', source: 'credential_process' };
  if (values.web_identity_token_file !== undefined) return { kind: 'other', source: 'web_identity_token_file' };
  return { kind: 'other', source: 'no credentials (settings only)' };
}

/** The file whose secret the profile's merged settings hold: the credentials file wins, as in getProfile. */
function secretFile(name: string, files: AwsFiles): AwsFileKind {
  const inCredentials = getProfile({ config: { sections: [] }, credentials: files.credentials }, name)?.aws_secret_access_key;
  return nonEmpty(inCredentials) !== undefined ? 'credentials' : 'config';
}

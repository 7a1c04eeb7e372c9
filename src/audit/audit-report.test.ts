import { describe, expect, it } from 'vitest';
import type { AwsFiles } from '../aws-files/profiles.js';
import type { AuditReport } from './audit.js';
import { expiry, renderAudit } from './audit-report.js';
import { classifyProfile } from './classify-profile.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const HOUR = 3_600_000;

describe('expiry', () => {
  it.each<[Date | null, string]>([
    [null, 'none cached'],
    [new Date(NOW.getTime() + 30_000), 'expires 2025-06-01 12:00 UTC (in less than a minute)'],
    [new Date(NOW.getTime() + 45 * 60_000), 'expires 2025-06-01 12:45 UTC (in 45 min)'],
    [new Date(NOW.getTime() + 8 * HOUR + 59 * 60_000), 'expires 2025-06-01 20:59 UTC (in 8 h)'],
    [new Date(NOW.getTime() - 3 * 24 * HOUR), 'expired 2025-05-29 12:00 UTC (3 days ago)'],
    [NOW, 'expired 2025-06-01 12:00 UTC (less than a minute ago)'],
  ])('%s', (at, text) => {
    expect(expiry(at, NOW)).toBe(text);
  });
});

/** A report of these profiles at NOW, with the default limits and nothing else to say. */
function reportOf(...entries: AuditReport['entries']): AuditReport {
  return { now: NOW, maxAgeDays: 90, maxUnusedDays: 45, files: [], warnings: [], notes: [], entries };
}

describe('renderAudit', () => {
  it('aligns PROFILE and KIND, one line per profile, and marks a last use that includes the audit\'s own call', () => {
    const report = reportOf(
        {
          name: 'production.admin',
          files: ['credentials'],
          kind: 'static',
          accessKeyId: 'AKIAPRODPRODPRODPROD',
          facts: {
            iam: 'ok',
            userName: 'admin',
            status: 'Inactive',
            createdAt: new Date('2025-01-01T00:00:00Z'),
            lastUsed: { at: new Date('2025-05-30T08:00:00Z'), service: 's3', region: 'eu-west-1' },
            lastUseIncludesAudit: false,
          },
          attention: [],
        },
        {
          name: 'self',
          files: ['credentials'],
          kind: 'static',
          accessKeyId: 'AKIASELFSELFSELFSELF',
          facts: {
            iam: 'ok',
            userName: 'me',
            status: 'Active',
            createdAt: new Date('2025-05-01T00:00:00Z'),
            lastUsed: { at: NOW, service: 'iam', region: 'us-east-1' },
            lastUseIncludesAudit: true,
          },
          attention: [],
        },
        { name: 'n', files: ['credentials'], kind: 'static', accessKeyId: 'AKIANEVERNEVERNEVER1', facts: { iam: 'ok', userName: 'n', status: 'Active', createdAt: NOW, lastUsed: undefined, lastUseIncludesAudit: false }, attention: [] },
        { name: 'dev', files: ['config'], kind: 'sso', accountId: '111122223333', roleName: 'Dev', expiry: { tokenExpiresAt: null, credentialsExpireAt: null, files: [] }, attention: [] },
        { name: 'x', files: ['config'], kind: 'other', source: 'credential_process', attention: [] },
    );
    expect(renderAudit(report)).toBe(
      [
        'PROFILE           KIND    DETAILS',
        'production.admin  static  AKIAPRODPRODPRODPROD  Inactive, 151 days old, last used 2025-05-30 (s3, eu-west-1)',
        "self              static  AKIASELFSELFSELFSELF  Active, 31 days old, last used 2025-06-01 (iam, us-east-1) (includes this audit's call)",
        'n                 static  AKIANEVERNEVERNEVER1  Active, 0 days old, never used',
        'dev               sso     111122223333/Dev  not logged in (no cached token)',
        'x                 other   credential_process',
        '',
      ].join('\n'),
    );
  });
});

describe('classifyProfile', () => {
  const files = { paths: { config: '/c', credentials: '/k', ssoCacheDir: '', cliCacheDir: '', sessionCacheDir: '' }, config: { sections: [] }, credentials: { sections: [] } } as AwsFiles;
  it.each<[Record<string, string>, unknown]>([
    [{ aws_access_key_id: 'AKIA1', aws_secret_access_key: 's' }, { kind: 'static', accessKeyId: 'AKIA1', secretAccessKey: 's', in: 'config' }],
    // A vault profile as awskeys reads it (before static keys); a plaintext copy beside it is kept in view.
    [{ credential_process: 'awskeys credential-process --profile p', awskeys_vault: 'keychain' }, { kind: 'vault', store: 'keychain', plaintext: undefined }],
    [
      { awskeys_vault: 'file', aws_access_key_id: 'AKIA1', aws_secret_access_key: 's' },
      { kind: 'vault', store: 'file', plaintext: { accessKeyId: 'AKIA1', secretAccessKey: 's', in: 'config' } },
    ],
    [{ awskeys_vault: 'somewhere', credential_process: 'x' }, { kind: 'other', source: 'credential_process' }],
    [{ aws_access_key_id: 'AKIA1', aws_secret_access_key: '' }, { kind: 'static', accessKeyId: 'AKIA1', problem: 'only half a key pair: aws_secret_access_key is missing or empty' }],
    [{ aws_access_key_id: 'ASIA1', aws_secret_access_key: 's', aws_session_token: 't' }, { kind: 'other', source: 'temporary keys (aws_session_token)' }],
    // The SDKs assume the role even when the profile also has keys.
    [{ role_arn: 'arn:r', source_profile: 'base', aws_access_key_id: 'AKIA1', aws_secret_access_key: 's' }, { kind: 'other', source: 'role_arn arn:r (source_profile base)' }],
    [{ role_arn: 'arn:r', credential_source: 'Ec2InstanceMetadata' }, { kind: 'other', source: 'role_arn arn:r (credential_source Ec2InstanceMetadata)' }],
    [{ credential_process: 'x' }, { kind: 'other', source: 'credential_process' }],
    [{ region: 'eu-west-1' }, { kind: 'other', source: 'no credentials (settings only)' }],
    [
      { sso_start_url: 'https://x/start', sso_region: 'us-east-1', sso_account_id: '1', sso_role_name: 'R' },
      { kind: 'sso', target: { profile: 'p', sessionName: undefined, startUrl: 'https://x/start', region: 'us-east-1', scopes: undefined, accountId: '1', roleName: 'R' } },
    ],
  ])('%j', (values, expected) => {
    expect(classifyProfile('p', values, files)).toEqual(expected);
  });

  it('names the file that holds the secret: the credentials file wins, as for the SDKs', () => {
    const both = {
      ...files,
      config: { sections: [{ name: 'profile p', values: { aws_secret_access_key: 's' } }] },
      credentials: { sections: [{ name: 'p', values: { aws_access_key_id: 'AKIA1', aws_secret_access_key: 's' } }] },
    } as unknown as AwsFiles;
    expect(classifyProfile('p', { aws_access_key_id: 'AKIA1', aws_secret_access_key: 's' }, both)).toMatchObject({ in: 'credentials' });
  });
});

describe('renderAudit: vault profiles say their store', () => {
  it('in the keychain or the vault file, before the facts; a store that gave no key says why', () => {
    const facts = { iam: 'ok' as const, userName: 'u', status: 'Active', createdAt: NOW, lastUsed: undefined, lastUseIncludesAudit: false };
    const base = { files: ['config' as const], kind: 'static' as const, attention: [] };
    const report = reportOf(
        { ...base, name: 'kc', accessKeyId: 'AKIAKEYCHAINKEYCHAIN', store: 'keychain', facts },
        { ...base, name: 'vf', accessKeyId: 'AKIAFILEFILEFILEFILE', store: 'file', facts: { iam: 'offline' } },
        { ...base, name: 'gone', accessKeyId: undefined, store: 'keychain', facts: { iam: 'offline' }, storeProblem: { code: 'vault-missing', detail: '…' } },
        { ...base, name: 'nobus', accessKeyId: undefined, store: 'keychain', facts: { iam: 'offline' }, storeProblem: { code: 'vault-unavailable', detail: 'No D-Bus session' } },
        { ...base, name: 'wrong', accessKeyId: undefined, store: 'file', facts: { iam: 'offline' }, storeProblem: { code: 'vault-unreadable', detail: 'Wrong passphrase' } },
    );
    expect(renderAudit(report)).toBe(
      [
        'PROFILE  KIND    DETAILS',
        'kc       static  AKIAKEYCHAINKEYCHAIN  in the keychain, Active, 0 days old, never used',
        'vf       static  AKIAFILEFILEFILEFILE  in the vault file, age and last use not checked (--offline)',
        'gone     static  -  the keychain holds no key for this profile',
        'nobus    static  -  the keychain cannot be read here (No D-Bus session)',
        'wrong    static  -  the vault file cannot be read (Wrong passphrase)',
        '',
      ].join('\n'),
    );
  });
});

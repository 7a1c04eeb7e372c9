import { describe, expect, it } from 'vitest';
import { iamUserOf } from './rotation-plan.js';
import { describeAftermath, failureHead, oldKeyLeftInactive, type Aftermath } from './rotation-report.js';

const base: Aftermath = {
  profile: 'dev',
  oldKeyId: 'AKIAOLD',
  newKeyId: 'AKIANEW',
  oldKey: 'active',
  filesWritten: false,
  restoreFailures: [],
  newKey: 'deleted',
};

describe('describeAftermath', () => {
  it.each<[string, Partial<Aftermath>, string]>([
    ['nothing created', { newKeyId: undefined, newKey: 'none' }, 'Now: profile dev still uses AKIAOLD (Active); the files are unchanged; no new key was created.'],
    ['new key deleted', {}, 'Now: profile dev still uses AKIAOLD (Active); the files are unchanged; the new key AKIANEW was deleted.'],
    [
      'files restored, old key reactivated',
      { filesWritten: true, oldKey: 'reactivated' },
      'Now: profile dev still uses AKIAOLD (Active again); the files were restored; the new key AKIANEW was deleted.',
    ],
    [
      'new key not deleted',
      { newKey: { deleteFailed: 'Delete access key AKIANEW: AccessDenied.' } },
      'Now: profile dev still uses AKIAOLD (Active); the files are unchanged; the new key AKIANEW could not be deleted (Delete access key AKIANEW: AccessDenied); it is Active and stored nowhere.',
    ],
    [
      'a file not restored that holds the profile',
      { filesWritten: true, newKey: 'kept', restoreFailures: [{ path: '/h/credentials', profiles: ['dev', 'dev2'], reason: 'locked.' }] },
      'Now: /h/credentials could not be restored (locked), so profiles dev and dev2 there still use the new key AKIANEW, which works; the old key AKIAOLD is Active too.',
    ],
    [
      'a file not restored that does not hold the profile',
      { filesWritten: true, newKey: 'kept', restoreFailures: [{ path: '/h/config', profiles: ['ci'], reason: 'locked' }] },
      'Now: /h/config could not be restored (locked), so profile ci there still uses the new key AKIANEW, which works; profile dev still uses AKIAOLD (Active).',
    ],
    [
      'a vault profile whose store never got the new key (no file holds the key)',
      { noFiles: true, store: { location: 'the Secret Service keyring', restored: false } },
      'Now: profile dev still uses AKIAOLD (Active), still in the Secret Service keyring; the new key AKIANEW was deleted.',
    ],
    [
      'a vault profile whose old item was put back, and a file profile holding the same key restored',
      { filesWritten: true, store: { location: '/h/.aws/awskeys/vault.enc', restored: true } },
      'Now: profile dev still uses AKIAOLD (Active), put back in /h/.aws/awskeys/vault.enc; the files were restored; the new key AKIANEW was deleted.',
    ],
    [
      'a vault profile whose store could not be put back: which key it holds is unknown, both stay',
      { noFiles: true, newKey: 'kept', store: { location: 'the Secret Service keyring', restored: false, unknown: 'The keychain (Secret Service) is locked.' } },
      'Now: the Secret Service keyring could not be put back (The keychain (Secret Service) is locked), so profile dev there holds AKIAOLD or the new key AKIANEW; both are Active.',
    ],
    [
      'old key state unknown',
      { filesWritten: true, newKey: 'kept', oldKey: { unknown: 'cannot reach AWS.' } },
      'Now: profile dev uses the new key AKIANEW, which works; the old key AKIAOLD may be Inactive (reactivating it failed: cannot reach AWS).',
    ],
    [
      'a lost CreateAccessKey answer, and a key IAM lists besides the old one',
      { newKeyId: undefined, newKey: 'none', strayKeys: ['AKIASTRAY'] },
      'Now: profile dev still uses AKIAOLD (Active); the files are unchanged; no new key was handed over, yet IAM now lists AKIASTRAY as well: created by the failed request without its secret reaching awskeys (so nothing can use it), or by someone else meanwhile.',
    ],
    [
      'a failed CreateAccessKey, and no other key',
      { newKeyId: undefined, newKey: 'none', strayKeys: [] },
      'Now: profile dev still uses AKIAOLD (Active); the files are unchanged; no new key was created.',
    ],
    [
      'a failed CreateAccessKey, and the keys could not be listed',
      { newKeyId: undefined, newKey: 'none', strayKeys: { listFailed: 'cannot reach AWS.' } },
      'Now: profile dev still uses AKIAOLD (Active); the files are unchanged; no new key was handed over, and whether IAM created one is unknown (listing the keys failed: cannot reach AWS).',
    ],
    [
      'other key deleted earlier',
      { otherDeleted: 'AKIAOTHER' },
      'Now: profile dev still uses AKIAOLD (Active); the files are unchanged; the new key AKIANEW was deleted; the other key AKIAOTHER had been deleted to make room.',
    ],
  ])('%s', (_, change, expected) => {
    expect(describeAftermath({ ...base, ...change })).toBe(expected);
  });
});

describe('failure messages', () => {
  it('name the step, and Ctrl-C as such', () => {
    expect(failureHead('dev', 'write', 'Cannot write /x: permission denied.')).toBe(
      'Rotation of profile dev failed at "write the new key into the files": Cannot write /x: permission denied.',
    );
    expect(failureHead('dev', 'verify', undefined)).toBe('Rotation of profile dev was interrupted (Ctrl-C) at "check that the new key works".');
  });

  it('after the point of no return, say the profile works and the old key is Inactive', () => {
    expect(oldKeyLeftInactive('dev', 'AKIAOLD', 'AKIANEW', 'Throttled.')).toBe(
      'Rotated profile dev to AKIANEW, which works, but could not delete (Throttled) the old key AKIAOLD. It is Inactive: nothing can sign with it.',
    );
    expect(oldKeyLeftInactive('dev', 'AKIAOLD', 'AKIANEW', undefined)).toBe(
      'Rotated profile dev to AKIANEW, which works, but was interrupted (Ctrl-C) before deleting the old key AKIAOLD. It is Inactive: nothing can sign with it.',
    );
  });
});

describe('iamUserOf', () => {
  it.each([
    ['arn:aws:iam::123456789012:user/alice', 'alice'],
    ['arn:aws:iam::123456789012:user/division/team/bob', 'bob'],
    ['arn:aws-cn:iam::123456789012:user/carol', 'carol'],
    ['arn:aws:iam::123456789012:root', undefined],
    ['arn:aws:sts::123456789012:assumed-role/Admin/session', undefined],
    ['arn:aws:sts::123456789012:user/moto', undefined],
  ])('%s -> %s', (arn, user) => {
    expect(iamUserOf(arn)).toBe(user);
  });
});

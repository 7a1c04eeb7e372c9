/**
 * The sentences that tell the user, after a failed or interrupted rotation, exactly which key each
 * profile holds and which keys exist. Pure functions of what the rollback found, tested with exact
 * strings: this text is the user's only guide to the state they are in.
 */

import { INTERRUPTED_BY_CTRL_C } from '../../errors/stop-signal.js';

export type RotationStep = 'create' | 'verify' | 'store' | 'write' | 'deactivate';

export const STEP_TITLE: Record<RotationStep, string> = {
  create: 'create the new key',
  verify: 'check that the new key works',
  store: 'write the new key into the vault',
  write: 'write the new key into the files',
  deactivate: 'deactivate the old key',
};

/** What the rollback achieved. */
export interface Aftermath {
  profile: string;
  oldKeyId: string;
  /** Undefined when CreateAccessKey never returned a key. */
  newKeyId?: string | undefined;
  /** 'active': never deactivated; 'reactivated': put back; otherwise why its state is unknown. */
  oldKey: 'active' | 'reactivated' | { unknown: string };
  /** Whether any file had been written before the failure. */
  filesWritten: boolean;
  /** No file holds the key (a vault profile whose key no other profile shares): the files go unmentioned. */
  noFiles?: boolean | undefined;
  /** A vault profile's store (its location), and whether its item was put back. */
  store?: { location: string; restored: boolean; unknown?: string | undefined } | undefined;
  /** Files that could not be put back: they still give these profiles the new key. */
  restoreFailures: { path: string; profiles: string[]; reason: string }[];
  /** 'kept': still in use by a file (or the old key's state is unknown), so it must stay. */
  newKey: 'none' | 'deleted' | 'kept' | { deleteFailed: string };
  /**
   * After a CreateAccessKey that failed once sent: the user's keys IAM lists besides the old one
   * (the request may have created a key whose answer, with its secret, never arrived), or why
   * they could not be listed. Undefined when no such request was sent.
   */
  strayKeys?: string[] | { listFailed: string } | undefined;
  /** The user's other key, deleted to make room before the rotation began. */
  otherDeleted?: string | undefined;
}

/**
 * "Rotation of profile dev failed at "create the new key": <reason>."; without a reason, interrupted
 * (worded for Ctrl-C; the run's report names SIGTERM or SIGHUP instead: src/errors/stop-signal.ts).
 */
export function failureHead(profile: string, step: RotationStep, reason: string | undefined): string {
  return reason === undefined
    ? `Rotation of profile ${profile} was ${INTERRUPTED_BY_CTRL_C} at "${STEP_TITLE[step]}".`
    : `Rotation of profile ${profile} failed at "${STEP_TITLE[step]}": ${reason.replace(/\.$/, '')}.`;
}

/** "Now: profile dev still uses AKIA... (Active); the new key AKIA... was deleted; the files are unchanged." */
export function describeAftermath(a: Aftermath): string {
  const parts: string[] = [];
  const newKey = `the new key ${a.newKeyId ?? '?'}`;
  if (typeof a.oldKey === 'object') {
    parts.push(`profile ${a.profile} uses ${newKey}, which works`);
    parts.push(`the old key ${a.oldKeyId} may be Inactive (reactivating it failed: ${a.oldKey.unknown.replace(/\.$/, '')})`);
  } else {
    const status = a.oldKey === 'active' ? 'Active' : 'Active again';
    const failedHere = a.restoreFailures.find((f) => f.profiles.includes(a.profile));
    const storeUnknown = a.store?.unknown;
    if (a.store && storeUnknown !== undefined) {
      // The write that failed may or may not have landed, and the store cannot be read to tell.
      parts.push(`${a.store.location} could not be put back (${storeUnknown.replace(/\.$/, '')}), so profile ${a.profile} there holds ${a.oldKeyId} or ${newKey}; both are ${status}`);
    }
    for (const f of a.restoreFailures) {
      parts.push(`${f.path} could not be restored (${f.reason.replace(/\.$/, '')}), so ${profileList(f.profiles)} there still ${f.profiles.length === 1 ? 'uses' : 'use'} ${newKey}, which works`);
    }
    if (failedHere && storeUnknown === undefined) {
      parts.push(`the old key ${a.oldKeyId} is ${status} too`);
    } else if (storeUnknown === undefined) {
      const store = a.store ? `, ${a.store.restored ? 'put back in' : 'still in'} ${a.store.location}` : '';
      parts.push(`profile ${a.profile} still uses ${a.oldKeyId} (${status})${store}`);
      if (a.restoreFailures.length === 0 && !a.noFiles) parts.push(a.filesWritten ? 'the files were restored' : 'the files are unchanged');
    }
  }
  if (a.newKey === 'none') parts.push(noNewKey(a.strayKeys));
  else if (a.newKey === 'deleted') parts.push(`${newKey} was deleted`);
  else if (typeof a.newKey === 'object') {
    parts.push(`${newKey} could not be deleted (${a.newKey.deleteFailed.replace(/\.$/, '')}); it is Active and stored nowhere`);
  }
  if (a.otherDeleted !== undefined) parts.push(`the other key ${a.otherDeleted} had been deleted to make room`);
  return `Now: ${parts.join('; ')}.`;
}

/** After the point of no return: the profile works with the new key, the old one is Inactive. */
export function oldKeyLeftInactive(profile: string, oldKeyId: string, newKeyId: string, reason: string | undefined): string {
  const why = reason === undefined ? `was ${INTERRUPTED_BY_CTRL_C} before deleting` : `could not delete (${reason.replace(/\.$/, '')})`;
  return `Rotated profile ${profile} to ${newKeyId}, which works, but ${why} the old key ${oldKeyId}. It is Inactive: nothing can sign with it.`;
}

function noNewKey(stray: Aftermath['strayKeys']): string {
  if (stray === undefined || (Array.isArray(stray) && stray.length === 0)) return 'no new key was created';
  if (!Array.isArray(stray)) return `no new key was handed over, and whether IAM created one is unknown (listing the keys failed: ${stray.listFailed.replace(/\.$/, '')})`;
  const ids = stray.join(' and ');
  return `no new key was handed over, yet IAM now lists ${ids} as well: created by the failed request without its secret reaching awskeys (so nothing can use it), or by someone else meanwhile`;
}

function profileList(profiles: readonly string[]): string {
  if (profiles.length === 1) return `profile ${profiles[0] ?? ''}`;
  return `profiles ${profiles.slice(0, -1).join(', ')} and ${profiles.at(-1) ?? ''}`;
}

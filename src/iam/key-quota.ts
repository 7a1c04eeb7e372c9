import type { IAMClient } from '@aws-sdk/client-iam';
import type { Clock } from '../app/clock.js';
import { CancelledError, KeyQuotaError } from '../errors/cli-error.js';
import type { Prompter } from '../prompt/prompter.js';
import { ageInDays, withLastUse, type AccessKeyInfo, type AccessKeySummary } from './access-keys.js';
import { throwIfInterrupted } from '../util/abort.js';
import { applyKeyChange, DONE, keyChangeCommand } from './apply-key-change.js';
import { ago, days, describeKey } from './key-report.js';
import { describeUsers } from './local-key-users.js';

/** IAM's AccessKeysPerUser quota; Inactive keys count too. */
export const KEYS_PER_USER = 2;

/** Keys used this recently are probably still in service: changing one needs its id typed. */
export const RECENT_USE_DAYS = 30;

export interface QuotaContext {
  iam: IAMClient;
  prompter: Prompter;
  clock: Clock;
  /** One line of explanation on stderr. */
  log(line: string): void;
  /** The source profile given by flag, repeated in the commands we suggest. */
  sourceProfile?: string | undefined;
  /** Aborted on Ctrl-C: reads stop, and no key is changed after it. */
  signal: AbortSignal;
  /**
   * Who on this machine signs with a key (local-key-users.ts): such a key is named with its
   * profiles, never the default choice, and deleted or deactivated only once its id is typed.
   */
  localUsers?: ((keyId: string) => Promise<string[]>) | undefined;
}

/** "delete:AKIA...", "deactivate:AKIA..." or "cancel". */
type Choice = `${'delete' | 'deactivate'}:${string}` | 'cancel';

/** The key to delete (or only deactivate) before the new one is created. */
export interface RoomPlan {
  action: 'delete' | 'deactivate';
  key: AccessKeyInfo;
}

/**
 * When the user already has two keys: shows them, then without a terminal fails with the command
 * that frees a slot; on a terminal asks which key to delete (or only deactivate). Each key is shown
 * with the local profiles that sign with it; such a key is never the default choice, and it (or a
 * key that is Active and was used in the last 30 days) is chosen only after its id is typed.
 * Nothing is changed yet: the caller checks the destinations first, then calls makeRoom.
 */
export async function chooseRoomForNewKey(
  ctx: QuotaContext,
  userName: string,
  keys: readonly AccessKeySummary[],
): Promise<RoomPlan | undefined> {
  if (keys.length < KEYS_PER_USER) return undefined;
  const now = ctx.clock.now();
  const detailed = await withLastUse(ctx.iam, keys, ctx.signal);
  ctx.log(`IAM user "${userName}" already has ${keys.length} access keys, the most IAM allows (inactive keys count too):`);

  const users = new Map<string, string[]>();
  for (const key of detailed) users.set(key.accessKeyId, (await ctx.localUsers?.(key.accessKeyId)) ?? []);
  const usersOf = (key: AccessKeyInfo) => users.get(key.accessKeyId) ?? [];
  for (const key of detailed) ctx.log(`  ${describeKey(key, now)}${usedHere(usersOf(key))}`);

  // The safe choice is a key no local profile holds; when every key is held there is none.
  const unheld = detailed.filter((key) => usersOf(key).length === 0);
  const safe = unheld.length > 0 ? pickKeyToDelete(unheld) : undefined;
  const hint = quotaHint(ctx, userName, detailed, usersOf, safe);
  if (!ctx.prompter.interactive) {
    throw new KeyQuotaError(`IAM user "${userName}" already has ${KEYS_PER_USER} access keys; no key was created.`, { hint });
  }

  const choice = await ctx.prompter.select<Choice>({
    name: 'create-key.make-room',
    message: 'Make room for the new key:',
    choices: [
      ...detailed.map((key): { label: string; value: Choice } => ({
        label: `Delete ${key.accessKeyId} (${summary(key, now)}${usedHereShort(usersOf(key))})`,
        value: `delete:${key.accessKeyId}`,
      })),
      ...detailed
        .filter((key) => key.status === 'Active')
        .map((key): { label: string; value: Choice } => ({
          label: `Deactivate ${key.accessKeyId} and stop (reversible; creates no key: inactive keys count too)${usedHereShort(usersOf(key))}`,
          value: `deactivate:${key.accessKeyId}`,
        })),
      { label: 'Cancel: change nothing, create no key', value: 'cancel' },
    ],
    // Enter alone never removes a key a profile signs with: with every key held, it cancels.
    default: safe ? `delete:${safe.accessKeyId}` : 'cancel',
  });
  const [action, id] = choice.split(':') as ['delete' | 'deactivate' | 'cancel', string | undefined];
  const key = detailed.find((k) => k.accessKeyId === id);
  if (action === 'cancel' || !key) {
    throw new CancelledError('Cancelled; no key was changed and no key was created.', { hint });
  }
  if (usersOf(key).length > 0 || inRecentUse(key, now)) await confirmByTypingId(ctx.prompter, action, key, usersOf(key), now);
  return { action, key };
}

/**
 * The exit-6 hint: which profile signs with which key, and the exact command for the safe choice
 * (deleting the least useful key no profile holds). With every key held there is no safe choice:
 * the command then deletes the least useful one with --even-if-used, after naming what it breaks.
 */
function quotaHint(
  ctx: QuotaContext,
  userName: string,
  keys: readonly AccessKeyInfo[],
  usersOf: (key: AccessKeyInfo) => string[],
  safe: AccessKeyInfo | undefined,
): string {
  const held = keys.filter((key) => usersOf(key).length > 0);
  const ref = (key: AccessKeyInfo) => ({ userName, accessKeyId: key.accessKeyId });
  if (held.length === 0 && safe) return keyChangeCommand('delete', ref(safe), ctx.sourceProfile);
  const holding = held.map((key) => `${describeUsers(usersOf(key))} ${usersOf(key).length === 1 ? 'signs' : 'sign'} with ${key.accessKeyId}`).join(', and ');
  if (safe) {
    return `${holding}; ${safe.accessKeyId} is in no profile here, delete it: ${keyChangeCommand('delete', ref(safe), ctx.sourceProfile)}`;
  }
  const last = pickKeyToDelete(keys);
  return (
    `${holding}, so deleting either breaks what signs with it; if ${describeUsers(usersOf(last))} no longer ${usersOf(last).length === 1 ? 'needs' : 'need'} ${last.accessKeyId}: ` +
    `${keyChangeCommand('delete', ref(last), ctx.sourceProfile)} --even-if-used`
  );
}

/** "  used here by profile a" after a key's line, or nothing. */
function usedHere(users: readonly string[]): string {
  return users.length === 0 ? '' : `  used here by ${describeUsers(users)}`;
}

/** "; used here by profile a" inside a menu label, or nothing. */
function usedHereShort(users: readonly string[]): string {
  return users.length === 0 ? '' : `; used here by ${describeUsers(users)}`;
}

/** Carries out the plan. Deactivating frees no slot, so it ends here with the next step as hint. */
export async function makeRoom(ctx: QuotaContext, userName: string, plan: RoomPlan): Promise<void> {
  const ref = { userName, accessKeyId: plan.key.accessKeyId };
  throwIfInterrupted(ctx.signal, 'Interrupted; no key was changed and no key was created.');
  await applyKeyChange(ctx.iam, plan.action, ref);
  ctx.log(`${DONE[plan.action]} access key ${ref.accessKeyId} of IAM user "${userName}".`);
  if (plan.action === 'deactivate') {
    throw new KeyQuotaError(
      `Deactivated ${ref.accessKeyId}, but no key was created: inactive keys still count toward the quota of ${KEYS_PER_USER}.`,
      { hint: `once nothing broke, run: ${keyChangeCommand('delete', ref, ctx.sourceProfile)} and create again` },
    );
  }
}

/** The key whose loss hurts least: Inactive first, then never used, then least recently used. */
export function pickKeyToDelete(keys: readonly AccessKeyInfo[]): AccessKeyInfo {
  const rank = (k: AccessKeyInfo) => [k.status === 'Inactive' ? 0 : 1, k.lastUsed ? 1 : 0, k.lastUsed?.at.getTime() ?? 0, k.createdAt.getTime()];
  const sorted = [...keys].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) {
      const d = (ra[i] ?? 0) - (rb[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  });
  const first = sorted[0];
  if (!first) throw new Error('pickKeyToDelete needs at least one key');
  return first;
}

function inRecentUse(key: AccessKeyInfo, now: Date): boolean {
  return key.status === 'Active' && key.lastUsed !== undefined && ageInDays(key.lastUsed.at, now) < RECENT_USE_DAYS;
}

async function confirmByTypingId(
  prompter: Prompter,
  action: 'delete' | 'deactivate',
  key: AccessKeyInfo,
  users: readonly string[],
  now: Date,
): Promise<void> {
  const id = key.accessKeyId;
  const when = key.lastUsed ? ago(key.lastUsed.at, now) : 'recently';
  const situation =
    users.length > 0
      ? `${id} is what ${describeUsers(users)} ${users.length === 1 ? 'signs' : 'sign'} with: ${action === 'delete' ? 'deleting' : 'deactivating'} it breaks ${users.length === 1 ? 'it' : 'them'}.`
      : `${id} is Active and was used ${when}.`;
  const typed = await prompter.input({
    name: 'create-key.confirm-key-id',
    message: `${situation} Type its id to go on:`,
    validate: (value) => (value.trim() === id ? undefined : `Type ${id} exactly, or press Ctrl-C to stop.`),
  });
  // The prompter validates as the user types; checking again keeps any prompter honest.
  if (typed.trim() !== id) {
    throw new KeyQuotaError(`The typed id did not match ${id}; nothing was changed and no key was created.`);
  }
}

function summary(key: AccessKeyInfo, now: Date): string {
  const used = key.lastUsed ? `last used ${ago(key.lastUsed.at, now)}` : 'never used';
  const age = ageInDays(key.createdAt, now);
  return `${key.status}, ${age === 0 ? 'created today' : `${days(age)} old`}, ${used}`;
}

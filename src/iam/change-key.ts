import type { IAMClient } from '@aws-sdk/client-iam';
import { CancelledError, NeedsInputError } from '../errors/cli-error.js';
import type { Prompter } from '../prompt/prompter.js';
import { describeUsers } from './local-key-users.js';
import { throwIfInterrupted } from '../util/abort.js';
import { applyKeyChange, assertAccessKeyId, DONE, VERB, type KeyChange, type KeyRef } from './apply-key-change.js';

export interface ChangeKeyContext {
  iam: IAMClient;
  prompter: Prompter;
  /** Aborted on Ctrl-C: nothing is sent after it. */
  signal: AbortSignal;
  /** Who on this machine signs with a key (local-key-users.ts): checked before a deactivate or delete. */
  localUsers?: ((keyId: string) => Promise<string[]>) | undefined;
}

export interface ChangeKeyOptions extends KeyRef {
  /** Skip the confirmation (required without a terminal). */
  yes?: boolean | undefined;
  /** Deactivate or delete a key that a local profile (or AWS_ACCESS_KEY_ID) holds. */
  evenIfUsed?: boolean | undefined;
}

/**
 * activate-key / deactivate-key / delete-key: asks first on a terminal, needs --yes without one
 * (refused before any AWS call), then makes the one IAM call. Returns the line to report.
 * A "no" is a CancelledError (exit 14); Ctrl-C before the call is an InterruptedError (exit 130).
 * The call itself is not cut short (see interrupt.ts): once sent, it finishes and is reported.
 */
export async function changeAccessKey(ctx: ChangeKeyContext, change: KeyChange, options: ChangeKeyOptions): Promise<string> {
  assertAccessKeyId(options.accessKeyId);
  const whose = options.userName === undefined ? '' : ` of IAM user "${options.userName}"`;
  const subject = `access key ${options.accessKeyId}${whose}`;
  const users = change === 'activate' || !ctx.localUsers ? [] : await ctx.localUsers(options.accessKeyId);
  if (users.length > 0 && !options.evenIfUsed) {
    const situation = `${subject} is what ${describeUsers(users)} ${users.length === 1 ? 'signs' : 'sign'} with: ${change === 'delete' ? 'deleting' : 'deactivating'} it breaks ${users.length === 1 ? 'it' : 'them'}`;
    if (!ctx.prompter.interactive) {
      throw new NeedsInputError(`${situation}; nothing was changed.`, { hint: `rotate it instead, or pass --even-if-used to ${change} it anyway` });
    }
    const typed = await ctx.prompter.input({
      name: `${change}-key.confirm-used`,
      message: `${situation}. Type ${options.accessKeyId} to ${change} it anyway, or press Enter to stop:`,
      flag: '--even-if-used',
      validate: (value) => (value.trim() === '' || value.trim() === options.accessKeyId ? undefined : `Type ${options.accessKeyId} exactly, or press Enter to stop.`),
    });
    if (typed.trim() !== options.accessKeyId) throw new CancelledError(`Not confirmed; ${subject} was not changed.`);
    options = { ...options, yes: true };
  }
  if (!options.yes && !ctx.prompter.interactive) {
    throw new NeedsInputError(`${GERUND[change]} ${subject} needs a confirmation, and there is no terminal to ask.`, { hint: 'pass --yes' });
  }
  if (!options.yes) {
    const consequence = CONSEQUENCE[change];
    const yes = await ctx.prompter.confirm({
      name: `${change}-key.confirm`,
      message: `${VERB[change]} ${subject}?${consequence ? ` ${consequence}` : ''}`,
      flag: '--yes',
      default: false,
    });
    if (!yes) throw new CancelledError(`Not confirmed; ${subject} was not changed.`);
  }
  throwIfInterrupted(ctx.signal, `Interrupted; ${subject} was not changed.`);
  await applyKeyChange(ctx.iam, change, { accessKeyId: options.accessKeyId, userName: options.userName });
  return `${DONE[change]} ${subject}.`;
}

const GERUND: Record<KeyChange, string> = { activate: 'Activating', deactivate: 'Deactivating', delete: 'Deleting' };

const CONSEQUENCE: Record<KeyChange, string> = {
  activate: '',
  deactivate: 'Anything using it stops working until it is activated again.',
  delete: 'This cannot be undone.',
};

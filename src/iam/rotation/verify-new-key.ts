import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients, StaticCredentials } from '../../aws-clients.js';
import { toCliError } from '../../aws-errors.js';
import type { Clock } from '../../clock.js';
import { RotationFailedError } from '../../errors.js';
import { abortable, interruption, throwIfInterrupted } from '../../util/abort.js';

/**
 * Waits between tries while IAM propagates a new key: 1, 2, 4, 8 s, then 15 s steps, 60 s in all.
 * A new key is usually accepted within seconds; a key still rejected after a minute is not going
 * to work, and the rotation is better undone than left waiting.
 */
export const VERIFY_BACKOFF_MS: readonly number[] = [1000, 2000, 4000, 8000, 15000, 15000, 15000];

export interface VerifyContext {
  aws: Pick<AwsClients, 'sts'>;
  clock: Clock;
  signal: AbortSignal;
}

/** The new key answered, but as someone else: retrying cannot fix that. */
export class WrongIdentityError extends RotationFailedError {
  constructor(message: string) {
    super(message);
  }
}

/**
 * Calls STS GetCallerIdentity signed with `key` until it answers as `expectedArn`, retrying any
 * failure with VERIFY_BACKOFF_MS. Returns how many tries it took. Throws WrongIdentityError at
 * once for another identity, an Error naming the last failure when the tries run out, and
 * InterruptedError on Ctrl-C, which also cuts a call in flight short (it only reads).
 */
export async function waitUntilKeyWorks(ctx: VerifyContext, key: StaticCredentials, expectedArn: string): Promise<number> {
  const sts = await ctx.aws.sts({ credentials: key });
  for (let attempt = 0; ; attempt++) {
    throwIfInterrupted(ctx.signal);
    let failure: string;
    try {
      const out = await sts.send(new GetCallerIdentityCommand({}), abortable(ctx.signal));
      if (out.Arn === expectedArn) return attempt + 1;
      throw new WrongIdentityError(`it answers as ${out.Arn ?? 'nobody'}, not ${expectedArn}`);
    } catch (err) {
      if (err instanceof WrongIdentityError) throw err;
      const interrupted = interruption(err, ctx.signal);
      if (interrupted) throw interrupted;
      failure = toCliError(err, 'sts get-caller-identity').message.replace(/\.$/, '');
    }
    const delay = VERIFY_BACKOFF_MS[attempt];
    if (delay === undefined) {
      const waited = VERIFY_BACKOFF_MS.reduce((a, b) => a + b, 0) / 1000;
      // A CliError: its text is made of already-redacted parts, and the rollback report keeps it whole.
      throw new RotationFailedError(`it still did not work after ${attempt + 1} tries in ${waited} s (${failure})`);
    }
    await ctx.clock.sleep(delay, ctx.signal);
  }
}

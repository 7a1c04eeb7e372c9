import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients, StaticCredentials } from '../../aws-sdk/aws-clients.js';
import { toCliError } from '../../aws-sdk/aws-errors.js';
import type { Clock } from '../../app/clock.js';
import { RotationFailedError } from '../../errors/cli-error.js';
import { interruption, throwIfInterrupted } from '../../util/abort.js';

/**
 * How long the check of a new key may take. A new key is usually accepted within seconds; one
 * still rejected after a minute is not going to work, and the rotation is better undone than left
 * waiting. The total is real: each try has its own timeout (the SDK's own would let one hanging
 * STS call take 90 s), cut to what is left of the total, and the waits between tries (1, 2, 4, 8,
 * 15, 15, 10 s) leave the last try its share.
 */
export interface VerifyBudget {
  totalMs: number;
  /** One try (the SDK's attempts included) gives up after this long, or what is left of the total. */
  tryMs: number;
  /** The shortest time a try is given; no try starts with less left. */
  minTryMs: number;
  backoffMs: readonly number[];
}

export const VERIFY_BUDGET: VerifyBudget = {
  totalMs: 60_000,
  tryMs: 10_000,
  minTryMs: 5_000,
  backoffMs: [1000, 2000, 4000, 8000, 15000, 15000, 10000],
};

export interface VerifyContext {
  aws: Pick<AwsClients, 'sts'>;
  clock: Clock;
  signal: AbortSignal;
  /** Progress on stderr while waiting. */
  log?: ((line: string) => void) | undefined;
  /** Default VERIFY_BUDGET. */
  budget?: VerifyBudget | undefined;
}

/** The new key answered, but as someone else: retrying cannot fix that. */
export class WrongIdentityError extends RotationFailedError {
  constructor(message: string) {
    super(message);
  }
}

/**
 * Calls STS GetCallerIdentity signed with `key` until it answers as `expectedArn`, retrying any
 * failure within the budget. Returns how many tries it took. Throws WrongIdentityError at once
 * for another identity, a RotationFailedError naming the last failure and the real time spent
 * when the budget runs out, and InterruptedError on Ctrl-C, which also cuts a call in flight short
 * (it only reads).
 */
export async function waitUntilKeyWorks(ctx: VerifyContext, key: StaticCredentials, expectedArn: string): Promise<number> {
  const budget = ctx.budget ?? VERIFY_BUDGET;
  const sts = await ctx.aws.sts({ credentials: key });
  const started = ctx.clock.now().getTime();
  const elapsed = () => ctx.clock.now().getTime() - started;
  for (let attempt = 0; ; attempt++) {
    throwIfInterrupted(ctx.signal);
    let failure: string;
    const timeoutMs = Math.max(budget.minTryMs, Math.min(budget.tryMs, budget.totalMs - elapsed()));
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const out = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: AbortSignal.any([ctx.signal, timeout]) });
      if (out.Arn === expectedArn) return attempt + 1;
      throw new WrongIdentityError(`it answers as ${out.Arn ?? 'nobody'}, not ${expectedArn}`);
    } catch (err) {
      if (err instanceof WrongIdentityError) throw err;
      const interrupted = ctx.signal.aborted ? interruption(err, ctx.signal) : undefined;
      if (interrupted) throw interrupted;
      failure = timeout.aborted ? `no answer within ${seconds(timeoutMs)}` : toCliError(err, 'sts get-caller-identity').message.replace(/\.$/, '');
    }
    const delay = budget.backoffMs[attempt];
    if (delay === undefined || elapsed() + delay + budget.minTryMs > budget.totalMs) {
      // A CliError: its text is made of already-redacted parts, and the rollback report keeps it whole.
      throw new RotationFailedError(`it still did not work after ${attempt + 1} ${attempt === 0 ? 'try' : 'tries'} in ${seconds(elapsed())} (${failure})`);
    }
    ctx.log?.(`The new key does not work yet (${failure}); trying again in ${delay % 1000 === 0 ? delay / 1000 : (delay / 1000).toFixed(1)} s (${seconds(elapsed())} of at most ${seconds(budget.totalMs)} so far).`);
    await ctx.clock.sleep(delay, ctx.signal);
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

import { CliError, ExitCode } from '../errors.js';
import type { Deps } from './deps.js';

/**
 * How a failed command is reported: a CliError as one line with its hint and exit code, anything
 * else as a short stack and a report line. Apart from main.ts (which handles commander's own errors
 * first) so the commander-free fast path in entry.ts reports exactly the same way.
 */
export function reportFailure(err: unknown, deps: Pick<Deps, 'stderr'>): number {
  if (err instanceof CliError) {
    const hint = err.hint ? ` (hint: ${err.hint})` : '';
    deps.stderr.write(`awskeys: error: ${err.message}${hint}\n`);
    return err.exitCode;
  }
  const e = err as { stack?: string; message?: string };
  const stack = (e.stack ?? String(err)).split('\n').slice(0, 6).join('\n');
  deps.stderr.write(`awskeys: internal error: ${e.message ?? String(err)}\n${stack}\n`);
  deps.stderr.write('awskeys: this is a bug; please report it with the lines above (they contain no secrets).\n');
  return ExitCode.Internal;
}

import { CliError } from '../errors/cli-error.js';
import type { ResolveDeps } from './resolved.js';

/** The credentials are good; a cache that cannot be written only costs the next call time (or a code). */
export async function cacheOrWarn(deps: Pick<ResolveDeps, 'report'>, what: string, write: () => Promise<string[]>): Promise<void> {
  try {
    for (const warning of await write()) deps.report.warn(warning);
  } catch (err) {
    const reason = err instanceof CliError ? err.message : String(err);
    deps.report.warn(`${what} credentials not cached: ${reason}`);
  }
}

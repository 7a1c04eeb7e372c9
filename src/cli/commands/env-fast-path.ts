import { ExitCode } from '../../errors/cli-error.js';
import type { Deps } from '../../app/deps.js';
import type { Prompter } from '../../prompt/prompter.js';
import { reportFailure } from '../report-failure.js';
import type { FastInvocation } from './env-argv.js';
import { credentialProcessCommand, envCommand } from './env-command.js';

/**
 * Runs an invocation parseFastArgv accepted: the same handlers and the same error reporting as
 * the commander route in main.ts (which only adds commander's own usage errors).
 */
export async function runFastPath(invocation: FastInvocation, deps: Deps): Promise<number> {
  try {
    if (invocation.command === 'env') await envCommand(invocation.options, deps);
    else await credentialProcessCommand(invocation.options, deps);
    return ExitCode.Ok;
  } catch (err) {
    // Not a failure of the command: the lean bundle cannot go further (see entry.ts).
    if (isHandover(err)) throw err;
    return reportFailure(err, deps);
  }
}

/**
 * What a dynamic import() rejects with inside the lean bundle dist/entry.cjs (scripts/build.mjs
 * generates the throwing module), and what the lean route's terminal throws (below).
 */
export const HANDOVER = Symbol.for('awskeys.handover');

export function isHandover(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[HANDOVER] === true;
}

function handover(what: string): Error {
  return Object.assign(new Error(`handover: ${what}`), { [HANDOVER]: true });
}

/** The lean route's terminal: any question (or the check for one) goes on in the full bundle. */
export const handoverPrompter: Prompter = {
  get interactive(): boolean {
    throw handover('terminal');
  },
  confirm: () => Promise.reject(handover('terminal')),
  input: () => Promise.reject(handover('terminal')),
  select: () => Promise.reject(handover('terminal')),
  search: () => Promise.reject(handover('terminal')),
};

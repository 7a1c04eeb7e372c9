import { fstatSync } from 'node:fs';
import type { HelpModel } from './help-model.js';
import { helpTextFor } from './render-help.js';

/**
 * The entry of dist/help.cjs, the lean route's help (D56): src/cli/entry.ts calls it for a command
 * line that mentions a help word, and scripts/build.mjs bundles it on its own (required on that
 * first call only, so no other run reads it) with the help model of the real command table
 * (help-model.ts) put in as a JSON text.
 */
declare const __AWSKEYS_HELP_MODEL__: string;

/** What `awskeys <argv>` prints as help, or undefined when commander has to read the command line. */
export function leanHelpText(argv: readonly string[]): string | undefined {
  return helpTextFor(JSON.parse(__AWSKEYS_HELP_MODEL__) as HelpModel, argv, stdoutColumns);
}

/**
 * The width commander wraps to (its getOutHelpWidth): `process.stdout.isTTY ? process.stdout.columns
 * : undefined`. Creating process.stdout costs a sixth of node's start-up, so it is created only when
 * fd 1 can be a terminal at all (a character device); through a pipe or into a file it is undefined.
 */
function stdoutColumns(): number | undefined {
  try {
    if (!fstatSync(1).isCharacterDevice()) return undefined;
  } catch {
    // No fd 1 at all: no terminal either.
    return undefined;
  }
  return process.stdout.isTTY ? process.stdout.columns : undefined;
}

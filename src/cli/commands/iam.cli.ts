import type { Command } from 'commander';
import type { Deps } from '../deps.js';

/** The `iam` command table: flags only; each action lazily imports its handler. */
export function registerIamCommands(_program: Command, _getDeps: () => Deps): void {
  // filled in by the iam commands
}

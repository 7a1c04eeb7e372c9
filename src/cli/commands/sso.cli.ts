import type { Command } from 'commander';
import type { Deps } from '../deps.js';

/** The `sso` command table: flags only; each action lazily imports its handler. */
export function registerSsoCommands(_program: Command, _getDeps: () => Deps): void {
  // filled in by the sso commands
}

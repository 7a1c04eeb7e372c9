import type { Command } from 'commander';
import type { Deps } from '../deps.js';

/** The `env` command table: flags only; each action lazily imports its handler. */
export function registerEnvCommands(_program: Command, _getDeps: () => Deps): void {
  // filled in by the env commands
}

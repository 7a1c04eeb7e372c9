import type { AwsClients } from './aws-clients.js';
import type { Clock } from './clock.js';
import type { Prompter } from './prompt/prompter.js';

/** A place to write text: process.stdout/stderr in production, a buffer in tests. */
export interface Output {
  write(text: string): void;
  readonly isTTY: boolean;
}

/**
 * Everything a command touches in the outside world, built once in main.ts (the composition root)
 * and passed down. Services take the parts they use as parameters; nothing reads process.env,
 * HOME or the clock on its own.
 */
export interface Deps {
  env: NodeJS.ProcessEnv;
  /** The user's home directory (for ~/.aws), from HOME/USERPROFILE like the SDKs. */
  homeDir: string;
  /** The working directory relative paths on the command line resolve against (process.cwd()). */
  cwd: string;
  /** Results only: exports, JSON, CSV. */
  stdout: Output;
  /** Messages, prompts, progress, warnings. */
  stderr: Output;
  clock: Clock;
  prompter: Prompter;
  aws: AwsClients;
  /** Opens a URL in the user's browser; rejects when it cannot (callers only warn). */
  openUrl(url: string): Promise<void>;
  /** Aborted on Ctrl-C: long waits stop and nothing is written. */
  signal: AbortSignal;
}

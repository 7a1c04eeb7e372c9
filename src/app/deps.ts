import type { ChildProcess, SpawnOptions } from 'node:child_process';
import type { RequestListener } from 'node:http';
import type { AwsClients } from '../aws-sdk/aws-clients.js';
import type { Clock } from './clock.js';
import type { Prompter } from '../prompt/prompter.js';
import type { Reporter } from './reporter.js';
import type { HostFacts } from './host-facts.js';
import type { UnlockedVaultFiles } from '../vault/vault-types.js';

/** A place to write text: process.stdout/stderr in production, a buffer in tests. */
export interface Output {
  write(text: string): void;
  /**
   * Writes all of `text` before returning and throws when it cannot (EPIPE: the reader closed
   * the pipe; ENOSPC: a full disk), for a result that must not be lost unnoticed (a new key's
   * secret). Without it, `write` is used (test captures cannot fail).
   */
  writeSync?(text: string): void;
  readonly isTTY: boolean;
  /** The terminal's width, when it is one and says (status lines are cut to it). */
  readonly columns?: number | undefined;
  /**
   * True once writing failed for good (a closed pipe, a full disk): the entry has said so already,
   * and its exit code stands. Absent: writes cannot fail (test captures).
   */
  readonly failed?: boolean;
}

/** Starts a program (exec). Real: node's spawn, loaded on first use. */
export type SpawnProcess = (command: string, args: readonly string[], options: SpawnOptions) => Promise<ChildProcess>;

/** An HTTP server bound to 127.0.0.1. */
export interface LoopbackServer {
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

/**
 * Serves HTTP on 127.0.0.1 only (never a public interface): a login redirect, a credential
 * endpoint. Port 0 (the default) takes any free port.
 */
export type ListenLoopback = (handler: RequestListener, options?: { port?: number }) => Promise<LoopbackServer>;

export interface FetchHttpOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The whole request, answer included, ends with a TimeoutError after this many ms. */
  timeoutMs: number;
  /** Ctrl-C: the request ends with an AbortError. */
  signal?: AbortSignal;
}

/** One HTTP(S) request that cannot hang: global fetch with a deadline. */
export type FetchHttp = (url: string, options: FetchHttpOptions) => Promise<Response>;

/**
 * Everything a command touches in the outside world, built once by createDeps (real-deps.ts) in
 * the process entries and by the test kit, and passed down. Services take the parts they use as parameters; nothing reads process.env,
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
  /** How services and commands talk to the user (over stdout and stderr above). */
  report: Reporter;
  clock: Clock;
  prompter: Prompter;
  /**
   * The controlling terminal itself (/dev/tty), for the one question asked even when stdin and
   * stdout are pipes: an MFA code under credential_process (the SDK owns the pipes) or inside
   * eval "$(awskeys env)". Not interactive when there is none, or in CI.
   */
  terminal: Prompter;
  aws: AwsClients;
  /**
   * Opens a URL or a local file in the user's browser; rejects when it cannot. The target is in
   * the opener's arguments, which every local user can read: never a secret (console: D29).
   */
  openUrl(url: string): Promise<void>;
  /** Aborted on Ctrl-C: long waits stop and nothing is written. */
  signal: AbortSignal;
  spawnProcess: SpawnProcess;
  /**
   * Diverts the listed process signals to `handler`, away from awskeys' own stop handling (the
   * abort, rollback and message of Ctrl-C, SIGTERM, SIGHUP), until the returned function is called:
   * `exec`, which forwards them to its child (src/errors/process-signals.ts).
   */
  divertSignals<S extends NodeJS.Signals>(signals: readonly S[], handler: (signal: S) => void): Promise<() => void>;
  listenLoopback: ListenLoopback;
  fetchHttp: FetchHttp;
  /** The vault files this run has opened (vault-types.ts): a passphrase is asked once per run. */
  unlockedVaultFiles: UnlockedVaultFiles;
  /** Platform and container-ness, which decide how `sso login` reaches a browser (default: this process's). */
  host?: HostFacts | undefined;
}

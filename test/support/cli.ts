import { spawnCollecting } from './spawn.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sdkClients } from '../../src/aws-clients.js';
import type { Clock } from '../../src/clock.js';
import { systemClock } from '../../src/clock.js';
import type { Deps, Output } from '../../src/deps.js';
import { run } from '../../src/cli/main.js';
import { nonInteractivePrompter } from '../../src/prompt/non-interactive.js';
import type { Prompter } from '../../src/prompt/prompter.js';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const binPath = join(repoRoot, 'bin', 'awskeys.js');

/** A fresh temporary HOME with the env that points every AWS file inside it. */
export async function tempHome(): Promise<{ home: string; env: Record<string, string> }> {
  const home = await mkdtemp(join(tmpdir(), 'awskeys-test-'));
  return {
    home,
    env: {
      HOME: home,
      AWS_CONFIG_FILE: join(home, '.aws', 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    },
  };
}

export interface CapturedOutput extends Output {
  text: string;
}

export function capture(isTTY = false): CapturedOutput {
  const out = {
    text: '',
    isTTY,
    write(s: string) {
      out.text += s;
    },
  };
  return out;
}

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface InProcessOptions {
  env: Record<string, string | undefined>;
  prompter?: Prompter;
  clock?: Clock;
  /** The working directory the command sees (default: this process's). */
  cwd?: string;
  openUrl?: (url: string) => Promise<void>;
  signal?: AbortSignal;
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
}

// Host variables that change behaviour (browser opening, CI detection): no test may inherit them.
const HOST_VARIABLES = ['CI', 'SSH_CONNECTION', 'SSH_TTY', 'DISPLAY', 'WAYLAND_DISPLAY'];

/**
 * Runs awskeys in this process through the real argument parser and composition, with fakes only
 * for the terminal and clock. The SDK reads endpoint and file settings from process.env, so the
 * given env is applied to process.env for the duration of the call (each test file has its own
 * process).
 */
export async function runInProcess(argv: string[], options: InProcessOptions): Promise<InProcessResult> {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) {
    if (key.startsWith('AWS_') || HOST_VARIABLES.includes(key)) delete process.env[key];
  }
  Object.assign(process.env, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, options.env);
  const stdout = capture(options.stdoutIsTTY ?? false);
  const stderr = capture(options.stderrIsTTY ?? false);
  const deps: Deps = {
    env: process.env,
    homeDir: options.env.HOME ?? process.env.HOME ?? '/nonexistent',
    cwd: options.cwd ?? process.cwd(),
    stdout,
    stderr,
    clock: options.clock ?? systemClock,
    prompter: options.prompter ?? nonInteractivePrompter,
    aws: sdkClients(process.env),
    openUrl: options.openUrl ?? (() => Promise.reject(new Error('no browser in tests'))),
    signal: options.signal ?? new AbortController().signal,
  };
  try {
    const code = await run(argv, deps);
    return { code, stdout: stdout.text, stderr: stderr.text };
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

/**
 * Runs the built binary (npm run build) as a user would, with no terminal. Only the given env and
 * PATH/HOME-independent basics are passed, so nothing from the developer's machine leaks in.
 */
export function runBuilt(
  argv: string[],
  options: { env: Record<string, string | undefined>; input?: string; cwd?: string },
): Promise<InProcessResult> {
  const { exited } = spawnCollecting(process.execPath, [binPath, ...argv], {
    cwd: options.cwd ?? repoRoot,
    env: { PATH: process.env.PATH, ...options.env },
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  return exited.then((r) => ({ ...r, code: r.code ?? -1 }));
}

import { spawnCollecting } from './spawn.js';
import { join, resolve } from 'node:path';
import type { Clock } from '../../src/app/clock.js';
import type { Output } from '../../src/app/deps.js';
import { run } from '../../src/cli/main.js';
import { createDeps } from '../../src/app/real-deps.js';
import type { Prompter } from '../../src/prompt/prompter.js';
import type { HostFacts } from '../../src/app/host-facts.js';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const binPath = join(repoRoot, 'bin', 'awskeys.js');
/** The whole program, where the lean entry hands over (src/cli/full-entry.ts): run directly, it is the full route for any command line. */
export const fullEntryPath = join(repoRoot, 'dist', 'full', 'full-entry.js');

// The test kit's one temp-HOME builder, here too since every runner's caller needs one.
export { tempHome, type TempHome, type TempHomeOptions } from './temp-home.js';

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
  /** The controlling terminal (MFA codes); none by default. */
  terminal?: Prompter;
  clock?: Clock;
  /** The working directory the command sees (default: this process's). */
  cwd?: string;
  openUrl?: (url: string) => Promise<void>;
  signal?: AbortSignal;
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
  /** The machine as `sso login` sees it (default: a desktop-less Linux, whatever this machine is). */
  host?: HostFacts;
  /** The terminal width stderr reports (only with stderrIsTTY). */
  columns?: number;
  /** Sees stderr as it is written (to act on a printed URL while the command waits). */
  onStderr?: (text: string) => void;
}

/**
 * Runs awskeys in this process through the real argument parser and composition (createDeps),
 * with fakes only for the terminal and clock. The command, the AWS SDK clients included, sees
 * exactly `options.env`: nothing from this process's environment (CI, SSH, AWS_*) leaks in.
 */
export async function runInProcess(argv: string[], options: InProcessOptions): Promise<InProcessResult> {
  const stdout = capture(options.stdoutIsTTY ?? false);
  const stderr = capture(options.stderrIsTTY ?? false);
  const deps = createDeps({
    env: { ...options.env },
    homeDir: options.env.HOME ?? '/nonexistent',
    cwd: options.cwd ?? process.cwd(),
    stdout,
    stderr,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.prompter ? { prompter: options.prompter } : {}),
    ...(options.terminal ? { terminal: options.terminal } : {}),
    openUrl: options.openUrl ?? (() => Promise.reject(new Error('no browser in tests'))),
    signal: options.signal ?? new AbortController().signal,
    // Not this machine (a container, perhaps): every run sees the same desktop-less Linux.
    host: options.host ?? { platform: 'linux', inContainer: false },
  });
  if (options.columns !== undefined) Object.assign(stderr, { columns: options.columns });
  const { onStderr } = options;
  if (onStderr) {
    const write = stderr.write.bind(stderr);
    stderr.write = (text: string) => {
      write(text);
      onStderr(text);
    };
  }
  const code = await run(argv, deps);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/**
 * Runs the built binary (npm run build) as a user would, with no terminal. Only the given env and
 * PATH/HOME-independent basics are passed, so nothing from the developer's machine leaks in.
 * `route: 'full'` runs the full program without the lean entry in front (what every handover runs).
 */
export function runBuilt(
  argv: string[],
  options: { env: Record<string, string | undefined>; input?: string; cwd?: string; route?: 'entry' | 'full' },
): Promise<InProcessResult> {
  const { exited } = spawnCollecting(process.execPath, [options.route === 'full' ? fullEntryPath : binPath, ...argv], {
    cwd: options.cwd ?? repoRoot,
    env: { PATH: process.env.PATH, ...options.env },
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  return exited.then((r) => ({ ...r, code: r.code ?? -1 }));
}

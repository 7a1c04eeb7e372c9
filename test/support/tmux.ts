import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Drives a program on a real terminal: tmux gives it a pseudo-terminal of a chosen size, the test
 * types keys into it and reads the screen back. Each session runs its own tmux server (its own
 * socket in a temp folder), so the program sees exactly the environment given, and tests never
 * touch anyone else's tmux. Tests that use it are wrapped in needs('tmux') (optional-tools.ts).
 */
export interface TmuxOptions {
  /** A shell command line, run by /bin/sh in the pane. Append `; echo EXIT=$?` to see its exit code. */
  command: string;
  /** The program's whole environment; PATH (this process's), LANG (UTF-8) and TERM are added unless given. */
  env?: Record<string, string | undefined>;
  cols?: number;
  rows?: number;
  cwd?: string;
  /** Prefix of the session name (a random suffix keeps names unique). */
  name?: string;
}

export interface TmuxSession {
  readonly name: string;
  /** tmux key names, each one key: 'Enter', 'Up', 'Down', 'Escape', 'BSpace', 'C-c', 'C-u', 'a'. */
  sendKeys(...keys: string[]): Promise<void>;
  /** Types text literally (no key-name lookup), without pressing Enter. */
  type(text: string): Promise<void>;
  /** The screen and its scrollback as text; wrapped lines joined, trailing blanks removed. */
  capture(): Promise<string>;
  /**
   * Polls the screen until it contains `pattern` (text, a regex, or a test of the whole screen);
   * returns that screen. Fails with the last screen after `timeoutMs` (default 10 s).
   */
  waitFor(pattern: string | RegExp | ((screen: string) => boolean), timeoutMs?: number): Promise<string>;
  /** Ends the program and its tmux server; safe to call twice. */
  kill(): Promise<void>;
}

const run = promisify(execFile);

export async function startTmux(options: TmuxOptions): Promise<TmuxSession> {
  const dir = await mkdtemp(join(tmpdir(), 'awskeys-tmux-'));
  const socket = join(dir, 'socket');
  const config = join(dir, 'tmux.conf');
  // Keep the pane (and its last screen) after the program ends; no status line to read around.
  await writeFile(config, 'set -g remain-on-exit on\nset -g status off\nset -g history-limit 10000\n');
  const name = `${options.name ?? 'awskeys'}-${randomBytes(4).toString('hex')}`;
  const env = {
    PATH: process.env.PATH,
    LANG: 'C.UTF-8',
    TERM: 'xterm-256color',
    SHELL: '/bin/sh',
    ...options.env,
  };
  const tmux = (...args: string[]) => run('tmux', ['-S', socket, ...args], { env, encoding: 'utf8' });

  await run(
    'tmux',
    [
      '-S',
      socket,
      '-f',
      config,
      'new-session',
      '-d',
      '-s',
      name,
      '-x',
      String(options.cols ?? 160),
      '-y',
      String(options.rows ?? 40),
      ...(options.cwd ? ['-c', options.cwd] : []),
      options.command,
    ],
    { env },
  );

  let killed = false;
  const capture = async () => {
    const { stdout } = await tmux('capture-pane', '-p', '-J', '-S', '-', '-t', name);
    return stdout
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n')
      .trimEnd();
  };

  return {
    name,
    async sendKeys(...keys) {
      await tmux('send-keys', '-t', name, ...keys);
    },
    async type(text) {
      await tmux('send-keys', '-t', name, '-l', text);
    },
    capture,
    async waitFor(pattern, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      let screen = '';
      for (;;) {
        screen = await capture();
        if (matches(screen, pattern)) return screen;
        if (Date.now() > deadline) {
          throw new Error(`tmux session ${name}: ${String(pattern)} did not appear within ${timeoutMs} ms. The screen:\n${screen}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async kill() {
      if (killed) return;
      killed = true;
      await tmux('kill-server').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function matches(screen: string, pattern: string | RegExp | ((screen: string) => boolean)): boolean {
  if (typeof pattern === 'string') return screen.includes(pattern);
  if (pattern instanceof RegExp) return pattern.test(screen);
  return pattern(screen);
}

/** Quotes words for the pane's /bin/sh, to build `command`. */
export function shellQuote(...words: string[]): string {
  return words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

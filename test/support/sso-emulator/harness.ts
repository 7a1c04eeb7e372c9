import { sdkClients } from '../../../src/aws-clients.js';
import type { Deps } from '../../../src/cli/deps.js';
import { run } from '../../../src/cli/main.js';
import { nonInteractivePrompter } from '../../../src/prompt/non-interactive.js';
import type { Prompter } from '../../../src/prompt/prompter.js';
import { capture, tempHome } from '../cli.js';
import { fakeClock, type FakeClock } from './fake-clock.js';
import { startSsoEmulator } from './index.js';
import type { SsoEmulator, SsoEmulatorOptions } from './types.js';

export interface SsoRunOptions {
  prompter?: Prompter;
  stderrIsTTY?: boolean;
  openUrl?: (url: string) => Promise<void>;
  signal?: AbortSignal;
  env?: Record<string, string>;
}

export interface SsoHarness {
  emulator: SsoEmulator;
  clock: FakeClock;
  home: string;
  /** HOME, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE and the two endpoint variables. */
  env: Record<string, string>;
  /** Runs awskeys in this process with the fake clock; the env is applied to process.env meanwhile. */
  awskeys(argv: string[], options?: SsoRunOptions): Promise<{ code: number; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

/**
 * A temp HOME and an emulator sharing one fake clock with awskeys, so poll intervals, SlowDown and
 * expiries are exercised in milliseconds. `onSleep` sees every sleep of the poll loop.
 */
export async function ssoHarness(
  options: SsoEmulatorOptions & { onSleep?: (ms: number, h: SsoHarness) => void; startMs?: number } = {},
): Promise<SsoHarness> {
  const { onSleep, startMs, ...emulatorOptions } = options;
  const clock = fakeClock(startMs, (ms) => onSleep?.(ms, harness));
  const emulator = await startSsoEmulator({ now: clock.nowMs, ...emulatorOptions });
  const { home, env: homeEnv } = await tempHome();
  const env = { ...homeEnv, ...emulator.env };
  const harness: SsoHarness = {
    emulator,
    clock,
    home,
    env,
    async awskeys(argv, run_ = {}) {
      const saved = { ...process.env };
      for (const key of Object.keys(process.env)) {
        if (key.startsWith('AWS_') || ['CI', 'SSH_CONNECTION', 'SSH_TTY', 'DISPLAY', 'WAYLAND_DISPLAY'].includes(key)) {
          delete process.env[key];
        }
      }
      Object.assign(process.env, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, env, run_.env);
      const stdout = capture(false);
      const stderr = capture(run_.stderrIsTTY ?? false);
      const deps: Deps = {
        env: process.env,
        homeDir: home,
        cwd: process.cwd(),
        stdout,
        stderr,
        clock,
        prompter: run_.prompter ?? nonInteractivePrompter,
        aws: sdkClients(process.env),
        openUrl: run_.openUrl ?? (() => Promise.reject(new Error('no browser in tests'))),
        signal: run_.signal ?? new AbortController().signal,
      };
      try {
        const code = await run(argv, deps);
        return { code, stdout: stdout.text, stderr: stderr.text };
      } finally {
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
      }
    },
    close: () => emulator.close(),
  };
  return harness;
}

import { nonInteractivePrompter } from '../../src/prompt/non-interactive.js';
import type { Prompter } from '../../src/prompt/prompter.js';
import type { HostFacts } from '../../src/app/host-facts.js';
import { runInProcess, tempHome } from './cli.js';
import { fakeClock, type FakeClock } from './fake-clock.js';
import { startSsoEmulator } from '../../emulators/sso/index.js';
import type { SsoEmulator, SsoEmulatorOptions } from '../../emulators/sso/types.js';

export interface SsoRunOptions {
  prompter?: Prompter;
  stderrIsTTY?: boolean;
  openUrl?: (url: string) => Promise<void>;
  signal?: AbortSignal;
  env?: Record<string, string>;
  host?: HostFacts;
  columns?: number;
  onStderr?: (text: string) => void;
}

export interface SsoHarness {
  emulator: SsoEmulator;
  clock: FakeClock;
  home: string;
  /** HOME, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE and the two endpoint variables. */
  env: Record<string, string>;
  /** Runs awskeys in this process with the fake clock; it sees exactly the given env. */
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
    awskeys: (argv, run_ = {}) =>
      runInProcess(argv, {
        env: { ...env, ...run_.env },
        clock,
        prompter: run_.prompter ?? nonInteractivePrompter,
        stderrIsTTY: run_.stderrIsTTY ?? false,
        ...(run_.openUrl ? { openUrl: run_.openUrl } : {}),
        ...(run_.signal ? { signal: run_.signal } : {}),
        ...(run_.host ? { host: run_.host } : {}),
        ...(run_.columns !== undefined ? { columns: run_.columns } : {}),
        ...(run_.onStderr ? { onStderr: run_.onStderr } : {}),
      }),
    close: () => emulator.close(),
  };
  return harness;
}

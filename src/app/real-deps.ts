import { homedir } from 'node:os';
import type { AwsClients, HttpTimeouts } from '../aws-sdk/aws-clients.js';
import { systemClock, type Clock } from './clock.js';
import type { Deps, Output } from './deps.js';
import { nonInteractivePrompter } from '../prompt/non-interactive.js';
import type { Prompter } from '../prompt/prompter.js';
import { statusClearingPrompter, streamReporter } from './reporter.js';

export interface CreateDepsOptions {
  /** The environment every part reads, the AWS SDK clients included (never process.env itself). */
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: Output;
  stderr: Output;
  signal: AbortSignal;
  /** Default: HOME, else USERPROFILE, else the OS's idea of home (as the SDKs find it). */
  homeDir?: string;
  /** Default: never asks (no terminal). */
  prompter?: Prompter;
  /** Default: no terminal (MFA codes fail naming --mfa-code). */
  terminal?: Prompter;
  clock?: Clock;
  openUrl?: Deps['openUrl'];
  httpTimeouts?: HttpTimeouts;
  /** Default: this process's signals (process-signals.ts). */
  divertSignals?: Deps['divertSignals'];
  /** The machine as `sso login` sees it (default: this process's). */
  host?: Deps['host'];
}

/**
 * The one place the real Deps are put together: the lean entry, the full entry and the test kit
 * all call this, each passing only what differs (its streams, its prompter, its signal).
 *
 * Lean-path module (see src/cli/entry.ts): static imports stay light; the capabilities load their
 * node modules with a dynamic import when first used.
 */
export function createDeps(options: CreateDepsOptions): Deps {
  const { env } = options;
  const homeDir = options.homeDir ?? env.HOME ?? env.USERPROFILE ?? homedir();
  const capabilities = () => import('./real-capabilities.js');
  const sdkProfiles = () => import('./sdk-profile-credentials.js');
  // The SDK client factories load with the first client: a cache hit of env makes none (entry.ts).
  let made: Promise<AwsClients> | undefined;
  const clients = (): Promise<AwsClients> =>
    (made ??= import('../aws-sdk/aws-clients.js').then(({ sdkClients }) =>
      sdkClients(
        {
          env,
          homeDir,
          resolveProfile: async (profile) => (await sdkProfiles()).resolveForSdk(profile, deps),
          vaultKey: async (profile) => (await sdkProfiles()).vaultKeyForSdk(profile, deps),
          loginSession: async (profile) => (await sdkProfiles()).loginSessionForSdk(profile, deps),
        },
        options.httpTimeouts,
      ),
    ));
  const report = streamReporter(options);
  const deps: Deps = {
    env,
    homeDir,
    cwd: options.cwd,
    stdout: options.stdout,
    stderr: options.stderr,
    report,
    clock: options.clock ?? systemClock,
    prompter: statusClearingPrompter(options.prompter ?? nonInteractivePrompter, report),
    terminal: statusClearingPrompter(options.terminal ?? nonInteractivePrompter, report),
    aws: {
      iam: async (source) => (await clients()).iam(source),
      sts: async (source) => (await clients()).sts(source),
      sso: async (region, opts) => (await clients()).sso(region, opts),
      ssoOidc: async (region) => (await clients()).ssoOidc(region),
      signin: async (region) => (await clients()).signin(region),
    },
    openUrl: options.openUrl ?? openInBrowser,
    // Read through: the lean entry makes its signal on first use (src/cli/entry.ts).
    get signal() {
      return options.signal;
    },
    spawnProcess: async (...args) => (await capabilities()).spawnProcess(...args),
    divertSignals: options.divertSignals ?? (async (signals, handler) => (await capabilities()).divertProcessSignals(signals, handler)),
    listenLoopback: async (...args) => (await capabilities()).listenLoopback(...args),
    fetchHttp: async (...args) => (await capabilities()).fetchHttp(...args),
    unlockedVaultFiles: new Map(),
    ...(options.host ? { host: options.host } : {}),
  };
  return deps;
}

/**
 * Starts the user's browser on `url`. A launcher that fails at once (xdg-open without a desktop
 * exits non-zero within milliseconds) is reported as a failure; one still running after two
 * seconds has handed the URL to a browser.
 */
async function openInBrowser(url: string): Promise<void> {
  const { default: open } = await import('open');
  const child = await open(url, { wait: false });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, 2000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${child.spawnfile} exited with ${code === null ? `signal ${signal ?? '?'}` : `code ${code}`}`));
    });
  });
}

import { join } from 'node:path';
import { systemClock } from '../../src/app/clock.js';
import { sdkClients } from '../../src/aws-sdk/aws-clients.js';
import { createAccessKey, type CreateKeyOptions } from '../../src/iam/create-key.js';
import { nonInteractivePrompter } from '../../src/prompt/non-interactive.js';
import type { SelectQuestion } from '../../src/prompt/prompter.js';
import { openVaultStore, type VaultStoreKind } from '../../src/vault/vault-store.js';
import { motoEnv } from '../iam-fixtures.js';
import { fakeClock } from './fake-clock.js';
import { fakePrompter } from './fake-prompter.js';
import { tempHome } from './temp-home.js';

/**
 * The kit of the create-key destination menu tests (src/iam/create-key-menu*.test.ts): createAccessKey
 * in process against moto, with real vault stores opened as the command opens them, and a fake
 * prompter that keeps every question asked.
 */

export const DEAD_BUS = 'unix:path=/nonexistent/awskeys-test-bus';

export async function menuSetup(answers: Record<string, unknown>) {
  const { home: dir } = await tempHome();
  const env = { HOME: dir, AWSKEYS_VAULT_PASSPHRASE: 'menu passphrase' };
  const vaultDeps = { env, homeDir: dir, terminal: nonInteractivePrompter, signal: new AbortController().signal, clock: systemClock, unlockedVaultFiles: new Map() };
  const paths = { config: join(dir, '.aws', 'config'), credentials: join(dir, '.aws', 'credentials') };
  const prompter = fakePrompter(answers);
  const ctx = {
    stdout: () => undefined,
    signal: new AbortController().signal,
    iam: await sdkClients({ env: motoEnv(), homeDir: '/nonexistent' }).iam({}),
    prompter,
    clock: fakeClock(Date.now()),
    credentialsPath: paths.credentials,
    configPath: paths.config,
    cwd: dir,
    log: () => undefined,
    vault: async (kind: VaultStoreKind) => ({ store: await openVaultStore(kind, vaultDeps), command: 'awskeys', paths }),
  };
  const menu = () => prompter.questions.find((q) => q.name === 'create-key.destination') as SelectQuestion<string> | undefined;
  return { dir, paths, prompter, menu, vaultDeps, create: (o: CreateKeyOptions) => createAccessKey(ctx, o) };
}

export const offered = (menu: SelectQuestion<string> | undefined) => ({ values: menu?.choices.map((c) => c.value), default: menu?.default });

/** Runs with the process's D-Bus address set (the keychain addon reads the process environment). */
export async function withBus<T>(address: string, work: () => Promise<T>): Promise<T> {
  const before = process.env.DBUS_SESSION_BUS_ADDRESS;
  process.env.DBUS_SESSION_BUS_ADDRESS = address;
  try {
    return await work();
  } finally {
    if (before === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
    else process.env.DBUS_SESSION_BUS_ADDRESS = before;
  }
}


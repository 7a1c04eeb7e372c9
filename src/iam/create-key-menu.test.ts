import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openVaultStore } from '../vault/vault-store.js';
import { createUser } from '../../test/iam-fixtures.js';
import { DEAD_BUS, menuSetup, offered, withBus } from '../../test/support/create-key-menu.js';
import type { KeyStore } from './key-store.js';

/**
 * The destination menu of `iam create-key` on a terminal when the vault can be offered
 * (docs/vault.md, "Keys into the vault", D49): a keychain that passes its probe comes first, the
 * plaintext profile next, then the vault file; AWSKEYS_STORE picks the default; `--store` without
 * `--write-profile` asks only the profile name. The stores are real: the vault file, and the
 * keychain on a D-Bus address where nothing listens (create-key-menu-keychain.test.ts has one that
 * answers: the addon keeps the first bus it reached for the life of the process). IAM is moto.
 */

describe('the destination menu without a usable keychain', () => {
  it('offers the plaintext profile first (the default), then the vault file; choosing the file makes a vault profile', async () => {
    const user = await createUser('menu');
    const s = await menuSetup({ 'create-key.destination': 'file', 'create-key.profile-name': 'dev' });
    const key = await withBus(DEAD_BUS, () => s.create({ user }));

    expect(offered(s.menu())).toEqual({ values: ['profile', 'file', 'csv-file', 'env', 'json'], default: 'profile' });
    expect(s.menu()?.choices.find((c) => c.value === 'file')?.label).toBe(
      `A vault profile, its key in the encrypted file ${join(s.dir, '.aws', 'awskeys', 'vault.enc')} (asks its passphrase)`,
    );
    expect(s.prompter.asked).toEqual(['create-key.destination', 'create-key.profile-name']);
    expect(await readFile(s.paths.config, 'utf8')).toBe('[profile dev]\ncredential_process = awskeys credential-process --profile dev\nawskeys_vault = file\n');
    const item = await (await openVaultStore('file', s.vaultDeps)).read('dev');
    expect(item?.key).toEqual({ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, userName: user, createDate: key.createdAt.toISOString() });
  });

  it.each([
    ['file', 'file'],
    ['credentials', 'profile'],
    ['keychain', 'profile'],
  ] as const)('AWSKEYS_STORE=%s makes %s the default', async (store: KeyStore, expected) => {
    const user = await createUser('menu-default');
    const s = await menuSetup({ 'create-key.destination': 'env' });
    await withBus(DEAD_BUS, () => s.create({ user, defaultStore: store }));
    expect(offered(s.menu()).default).toBe(expected);
  });

  it('--store without --write-profile asks only the profile name, with the user name as its default', async () => {
    const user = await createUser('menu-store');
    const s = await menuSetup({ 'create-key.profile-name': 'work' });
    await s.create({ user, store: 'file' });
    expect(s.prompter.asked).toEqual(['create-key.profile-name']);
    expect(s.prompter.questions[0]).toMatchObject({ default: user });
    expect(await readFile(s.paths.config, 'utf8')).toBe('[profile work]\ncredential_process = awskeys credential-process --profile work\nawskeys_vault = file\n');
  });
});

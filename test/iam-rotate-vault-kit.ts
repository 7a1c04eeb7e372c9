import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import { deriveKey, parseSealed, unseal } from '../src/vault/vault-file-format.js';
import { binPath, runBuilt, tempHome, type TempHome } from './support/cli.js';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js';
import { SECRET_SERVICE_TOOLS, startSecretService, type SecretService } from './support/secret-service.js';
import { needs } from './support/optional-tools.js';
import { filesHoldingSecrets } from './support/secrets-under-home.js';
import { statuses, userWithKey, whoIs, type AuthMoto } from './iam-rotate-fixtures.js';

/**
 * The rotation of a vault profile, both stores: a temp HOME whose profile `dev` keeps its key in
 * the vault file (real scrypt and AES-GCM) or in the keychain (gnome-keyring on a private D-Bus
 * session, test/support/secret-service.ts), made so by `vault move` as a user would, with its IAM
 * and STS calls through a fault proxy in front of moto. `item()` reads the store item's JSON
 * document the way a user could (secret-tool; the file opened with its passphrase).
 */

export const PASSPHRASE = 'a long vault passphrase';
/** moto answers every GetSessionToken with this example session. */
export const MOTO_SESSION_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY';
export const CONFIG = '[profile dev]\nregion = eu-west-1\n';
/** This PATH and node's folder; no `awskeys` on it, so credential_process names bin/awskeys.js by path. */
export const PATH = `${process.env.PATH ?? ''}:${dirname(process.execPath)}`;
const self = execFileSync('realpath', [binPath]).toString().trim();
export const VAULT_LINES = (store: string) => `credential_process = ${self} credential-process --profile dev\nawskeys_vault = ${store}\n`;

export type ItemDoc = Record<string, unknown> & { accessKeyId: string; secretAccessKey: string };

export interface StoreCase {
  store: 'file' | 'keychain';
  /** What the binary needs to reach the store. */
  env(): Record<string, string>;
  /** The profile's item as its JSON document; undefined when there is none. */
  item(h: TempHome, profile?: string): Promise<ItemDoc | undefined>;
  /** Where the messages say the key is. */
  location(h: TempHome): string;
}

export const vaultFile = (h: TempHome) => join(h.home, '.aws', 'awskeys', 'vault.enc');

const fileCase: StoreCase = {
  store: 'file',
  env: () => ({ AWSKEYS_VAULT_PASSPHRASE: PASSPHRASE }),
  async item(h, profile = 'dev') {
    const text = await readFile(vaultFile(h), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    const sealed = parseSealed(text);
    const opened = unseal(sealed, await deriveKey(PASSPHRASE, sealed.kdf));
    if (!opened.ok) throw new Error(`the vault file does not open: ${opened.reason}`);
    return (JSON.parse(opened.plaintext) as { items: Record<string, ItemDoc> }).items[profile];
  },
  location: (h) => vaultFile(h),
};

/**
 * Calls `body` once per store, inside a describe that has the store's set-up: the keychain one
 * skipped, with the reason in its title, where no Secret Service can be started.
 */
export function forEachStore(title: string, body: (c: StoreCase) => void): void {
  describe(`${title} (vault file)`, () => body(fileCase));
  needs(...SECRET_SERVICE_TOOLS).describe(`${title} (keychain)`, () => {
    let ss: SecretService | undefined;
    beforeAll(async () => {
      ss = await startSecretService();
    }, 30_000);
    afterAll(async () => ss?.stop());
    afterEach(async () => {
      await ss?.secretTool('clear', 'service', 'awskeys').catch(() => '');
    });
    const running = () => {
      if (!ss) throw new Error('the Secret Service is not started yet');
      return ss;
    };
    body({
      store: 'keychain',
      env: () => running().env,
      async item(_h, profile = 'dev') {
        const text = (await running().secretTool('lookup', 'service', 'awskeys', 'username', profile).catch(() => '')).trim();
        return text === '' ? undefined : (JSON.parse(text) as ItemDoc);
      },
      location: () => 'the Secret Service keyring',
    });
  });
}

export interface VaultHome extends TempHome {
  user: string;
  arn: string;
  old: { accessKeyId: string; secretAccessKey: string };
  proxy: FaultProxy;
  env: Record<string, string>;
  /** Every secret a test made (the keys, the sessions): none may be in a file under HOME afterwards. */
  secrets: string[];
  run(args: string[], extra?: Record<string, string>): ReturnType<typeof runBuilt>;
}

/**
 * A user with one key, whose profile dev keeps it in `c`'s store (moved there by `vault move`);
 * `credentials` adds other plaintext profiles (KEY and SECRET in it are replaced by the key).
 */
export async function vaultHome(moto: Pick<AuthMoto, 'url' | 'admin'>, c: StoreCase, prefix: string, credentials = ''): Promise<VaultHome> {
  const { user, key: old } = await userWithKey(moto, prefix);
  const fill = (text: string) => text.replaceAll('KEY', old.accessKeyId).replaceAll('SECRET', old.secretAccessKey);
  const t = await tempHome({
    credentials: `[dev]\naws_access_key_id = ${old.accessKeyId}\naws_secret_access_key = ${old.secretAccessKey}\n${fill(credentials)}`,
    config: CONFIG,
    modes: 'private',
  });
  const proxy = await startFaultProxy(moto.url);
  const env = { PATH, ...t.env, ...c.env(), AWS_ENDPOINT_URL_IAM: proxy.url, AWS_ENDPOINT_URL_STS: proxy.url, AWS_EC2_METADATA_DISABLED: 'true' };
  const h: VaultHome = {
    ...t,
    user,
    arn: `arn:aws:iam::123456789012:user/${user}`,
    old,
    proxy,
    env,
    secrets: [old.secretAccessKey, MOTO_SESSION_SECRET],
    run: (args, extra = {}) => runBuilt(args, { env: { ...env, ...extra } }),
  };
  const moved = await h.run(['vault', 'move', '--profile', 'dev', '--to', c.store]);
  expect(moved).toEqual({ code: 0, stdout: '', stderr: `Moved access key ${old.accessKeyId} of profile dev to ${c.location(h)}.\n` });
  proxy.seen.length = 0;
  return h;
}

/** No file under HOME holds any secret of the test, but those `allowed` name (plaintext profiles the test made). */
export async function expectNoSecretUnderHome(h: VaultHome, c: StoreCase, ...allowed: string[]): Promise<void> {
  const now = await c.item(h);
  const secrets = [...h.secrets, ...(now ? [now.secretAccessKey] : [])];
  expect(await filesHoldingSecrets(h.home, ...secrets)).toEqual(allowed.sort());
}

/** The profile's stored key signs as the user (moto checks the signature) and is Active; returns the item. */
export async function expectStoredKeyWorks(moto: AuthMoto, h: VaultHome, c: StoreCase): Promise<ItemDoc> {
  const item = await c.item(h);
  if (!item) throw new Error('no item in the store');
  // A copy: the SDK marks the credentials object it is given ($source).
  expect(await whoIs(moto.url, { accessKeyId: item.accessKeyId, secretAccessKey: item.secretAccessKey })).toBe(h.arn);
  expect((await statuses(moto, h.user))[item.accessKeyId]).toBe('Active');
  return item;
}

import { execFileSync } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createUser, keysOf, motoEnv, useKey } from './iam-fixtures.js';
import { ensureBuilt } from './support/built.js';
import { binPath, repoRoot, runBuilt, tempHome, type TempHome } from './support/cli.js';
import { holdLock, type HeldLock } from './support/held-lock.js';
import { needs } from './support/optional-tools.js';
import { SECRET_SERVICE_TOOLS, useSecretService } from './support/secret-service.js';
import { filesHoldingSecrets } from './support/secrets-under-home.js';
import { spawnCollecting } from './support/spawn.js';

/**
 * A new key straight into the vault (docs/vault.md, "Keys into the vault"): `iam create-key
 * --store keychain|file` and `iam import --store ...`, AWSKEYS_STORE as the default, the store
 * probed before CreateAccessKey, and a stop after the key was made undone in the store and IAM
 * alike. Both stores for real (the vault file with real scrypt, the keychain on gnome-keyring),
 * through the built binary against moto; after each test no file under HOME holds a secret the
 * test made, and the credentials file never got one.
 */

const CONFIG = '# my config\n[profile dev]\nregion = eu-west-1\n';
/** This PATH and node's folder; no `awskeys` on it, so credential_process names bin/awskeys.js by its path. */
const PATH = `${process.env.PATH ?? ''}:${dirname(process.execPath)}`;
const self = execFileSync('realpath', [binPath]).toString().trim();
const vaultLines = (profile: string, store: string) => `credential_process = ${self} credential-process --profile ${profile}\nawskeys_vault = ${store}\n`;

beforeAll(ensureBuilt, 120_000);

interface StoreCase {
  store: 'file' | 'keychain';
  env: () => Record<string, string>;
  /** Where messages say the key is. */
  location: (h: TempHome) => string;
  /** The env that makes this store unusable, and the start of its one error line. */
  unusable: { env: Record<string, string>; error: string };
  /** The profiles the store holds items for, read without awskeys. */
  items: (h: TempHome) => Promise<string[]>;
}

function keysIntoTheVault(c: StoreCase): void {
  let h: TempHome;
  let userName: string;
  let lock: HeldLock | undefined;
  const secrets: string[] = [];
  /** An admin's environment (moto's test keys), as the user running create-key has. */
  const adminEnv = (more: Record<string, string> = {}): Record<string, string> => ({ PATH, ...h.env, ...motoEnv(), ...c.env(), ...more });
  /** The same without the admin's keys: what reads the new profile. */
  const userEnv = () => Object.fromEntries(Object.entries(adminEnv()).filter(([name]) => name !== 'AWS_ACCESS_KEY_ID' && name !== 'AWS_SECRET_ACCESS_KEY'));
  const run = (args: string[], more: Record<string, string> = {}) => runBuilt(args, { env: adminEnv(more) });
  /** The key the profile serves itself (--no-session), remembered so afterEach can look for its secret. */
  const storedKey = async (profile: string) => {
    const out = await runBuilt(['credential-process', '--profile', profile, '--no-session'], { env: userEnv() });
    expect(out.stderr).toBe('');
    const key = JSON.parse(out.stdout) as { AccessKeyId: string; SecretAccessKey: string };
    secrets.push(key.SecretAccessKey);
    return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
  };

  beforeEach(async () => {
    userName = await createUser('vault-new');
    h = await tempHome({ config: CONFIG, modes: 'private' });
    secrets.length = 0;
  });
  afterEach(async () => {
    await lock?.release();
    lock = undefined;
    if (secrets.length > 0) expect(await filesHoldingSecrets(h.home, ...secrets)).toEqual([]);
  });

  it(`create-key --store ${c.store} keeps the new key in the store and makes a vault profile; the credentials file gets nothing`, async () => {
    const r = await run(['iam', 'create-key', '--user', userName, '--write-profile', 'dev', '--store', c.store]);
    const [keyId] = Object.keys(await keysOf(userName));
    expect(r).toEqual({
      code: 0,
      stdout: '',
      stderr:
        `Created access key ${keyId} for IAM user "${userName}".\n` +
        `Stored it in ${c.location(h)} as vault profile "dev"; the AWS CLI and SDKs read it through the credential_process line in ${h.config}.\n` +
        'Try it: aws sts get-caller-identity --profile dev\n',
    });
    expect(await readFile(h.config, 'utf8')).toBe(`${CONFIG}${vaultLines('dev', c.store)}`);
    expect(await readdir(join(h.home, '.aws'))).not.toContain('credentials');
    expect(await c.items(h)).toEqual(['dev']);

    const key = await storedKey('dev');
    expect(key.accessKeyId).toBe(keyId);
    expect(await useKey(key)).toBe(`arn:aws:iam::123456789012:user/${userName}`);
    const list = await runBuilt(['vault', 'list', '--json'], { env: userEnv() });
    expect(JSON.parse(list.stdout)).toEqual([
      { profile: 'dev', store: c.store, accessKeyId: keyId, userName, since: expect.stringMatching(/^\d{4}-/) as string, ageDays: 0, state: 'ok' },
    ]);
  });

  needs('boto3').it('boto3 reads the new vault profile through its credential_process line', async () => {
    expect((await run(['iam', 'create-key', '--user', userName, '--write-profile', 'dev', '--store', c.store])).code).toBe(0);
    await storedKey('dev');
    const script = 'import boto3; c = boto3.Session(profile_name="dev").get_credentials(); print(c.access_key, bool(c.token))';
    const r = await spawnCollecting('python3', ['-c', script], { cwd: h.home, env: userEnv() }).exited;
    expect(r).toEqual({ code: 0, stdout: 'AKIAIOSFODNN7EXAMPLE True\n', stderr: '' });
  });

  it(`AWSKEYS_STORE=${c.store} is the store of --write-profile when --store is not given; a store it does not name is exit 2 before any AWS call`, async () => {
    expect((await run(['iam', 'create-key', '--user', userName, '--write-profile', 'dev'], { AWSKEYS_STORE: c.store })).code).toBe(0);
    expect(await readFile(h.config, 'utf8')).toBe(`${CONFIG}${vaultLines('dev', c.store)}`);
    await storedKey('dev');

    const bad = await run(['iam', 'create-key', '--user', userName, '--write-profile', 'other'], { AWSKEYS_STORE: 'vault' });
    expect(bad).toEqual({ code: 2, stdout: '', stderr: 'awskeys: error: AWSKEYS_STORE=vault is not a store; nothing was done. (hint: set it to one of keychain, file, credentials, or unset it)\n' });
    expect(Object.keys(await keysOf(userName))).toHaveLength(1);
  });

  it('a profile holding a plaintext key becomes a vault profile only with --force; its key lines go, every other byte stays', async () => {
    const credentials = '# keep me\n[dev]\naws_access_key_id = AKIAOLDOLDOLDOLDOLD1\naws_secret_access_key = old-secret\n\n[other]\naws_access_key_id = AKIAOTHEROTHEROTHER1\naws_secret_access_key = other\n';
    await writeFile(h.credentials, credentials, { mode: 0o600 });
    const refused = await run(['iam', 'create-key', '--user', userName, '--write-profile', 'dev', '--store', c.store]);
    expect(refused).toEqual({
      code: 7,
      stdout: '',
      stderr: `awskeys: error: Profile "dev" in ${h.credentials} already holds access key AKIAOLDOLDOLDOLDOLD1; no key was created. (hint: pass --force to replace it, or choose another --write-profile)\n`,
    });
    expect(await keysOf(userName)).toEqual({});

    expect((await run(['iam', 'create-key', '--user', userName, '--write-profile', 'dev', '--store', c.store, '--force'])).code).toBe(0);
    expect(await readFile(h.credentials, 'utf8')).toBe('# keep me\n[dev]\n\n[other]\naws_access_key_id = AKIAOTHEROTHEROTHER1\naws_secret_access_key = other\n');
    expect(await readFile(h.config, 'utf8')).toBe(`${CONFIG}${vaultLines('dev', c.store)}`);
    expect((await storedKey('dev')).accessKeyId).toBe(Object.keys(await keysOf(userName))[0]);
  });

  it('an unusable store is its one error line before CreateAccessKey: no key in IAM, every file as it was', async () => {
    const r = await run(['iam', 'create-key', '--user', userName, '--write-profile', 'dev', '--store', c.store], c.unusable.env);
    expect(r.code).toBe(26);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith(`awskeys: error: ${c.unusable.error}`)).toBe(true);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(await keysOf(userName)).toEqual({});
    expect(await readFile(h.config, 'utf8')).toBe(CONFIG);
    expect(await readdir(join(h.home, '.aws'))).toEqual(['config']);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('%s after the key went into the store (waiting for the config lock): the item is taken out again and the key deleted in IAM', async (signal) => {
    lock = await holdLock(h.config);
    const creating = spawnCollecting(process.execPath, [binPath, 'iam', 'create-key', '--user', userName, '--write-profile', 'dev', '--store', c.store], { cwd: repoRoot, env: adminEnv() });
    await lock.noticed;
    const [keyId] = Object.keys(await keysOf(userName));
    expect(await c.items(h)).toEqual(['dev']);
    creating.child.kill(signal);
    const r = await creating.exited;
    const stopped = signal === 'SIGINT' ? 'Interrupted' : 'Stopped by SIGTERM';
    expect(r).toEqual({ code: signal === 'SIGINT' ? 130 : 143, stdout: '', stderr: `awskeys: error: ${stopped} while waiting for the lock ${h.config}.lock; nothing was written. The new key ${keyId} was deleted again; nothing changed.\n` });
    expect(await keysOf(userName)).toEqual({});
    expect(await c.items(h)).toEqual([]);
    expect(await readFile(h.config, 'utf8')).toBe(CONFIG);
  });

  it(`import --store ${c.store} takes the console's CSV into the store; the same key again changes nothing`, async () => {
    const created = await runBuilt(['iam', 'create-key', '--user', userName, '--format', 'csv'], { env: adminEnv() });
    expect(created.code).toBe(0);
    const csv = join(h.home, 'key.csv');
    await writeFile(csv, created.stdout, { mode: 0o600 });
    const keyId = created.stdout.split('\n')[1]?.split(',')[1] ?? '';
    const r = await runBuilt(['iam', 'import', '--csv', csv, '--profile', 'dev', '--store', c.store], { env: userEnv() });
    expect(r).toEqual({
      code: 0,
      stdout: '',
      stderr:
        `Imported access key ${keyId} (IAM user "${userName}") into vault profile dev in ${c.location(h)}.\n` +
        `The AWS CLI and SDKs read it through the credential_process line in ${h.config}.\n` +
        'Try it: aws sts get-caller-identity --profile dev\n' +
        `${csv} still holds the secret: delete it once the profile works.\n`,
    });
    expect(await readFile(h.config, 'utf8')).toBe(`${CONFIG}${vaultLines('dev', c.store)}`);
    expect((await storedKey('dev')).accessKeyId).toBe(keyId);
    const again = await runBuilt(['iam', 'import', '--csv', csv, '--profile', 'dev', '--store', c.store], { env: userEnv() });
    expect(again).toEqual({ code: 0, stdout: '', stderr: `Vault profile dev in ${c.location(h)} already holds access key ${keyId} (IAM user "${userName}"); nothing changed.\n` });
    await writeFile(csv, '');
  });
}

describe('new keys into the vault file', () => {
  keysIntoTheVault({
    store: 'file',
    env: () => ({ AWSKEYS_VAULT_PASSPHRASE: 'a long passphrase' }),
    location: (h) => join(h.home, '.aws', 'awskeys', 'vault.enc'),
    unusable: { env: { AWSKEYS_VAULT_PASSPHRASE: '' }, error: 'No passphrase for the vault file ' },
    items: async (h) => {
      const out = await runBuilt(['vault', 'list', '--json'], { env: { PATH, ...h.env, AWSKEYS_VAULT_PASSPHRASE: 'a long passphrase' } });
      return (JSON.parse(out.stdout || '[]') as { profile: string }[]).map((e) => e.profile);
    },
  });
});

needs(...SECRET_SERVICE_TOOLS).describe('new keys into the keychain', () => {
  const ss = useSecretService();
  keysIntoTheVault({
    store: 'keychain',
    env: () => ss().env,
    location: () => 'the Secret Service keyring',
    unusable: { env: { DBUS_SESSION_BUS_ADDRESS: '' }, error: 'No D-Bus session to reach the keychain (Secret Service)' },
    items: async () => {
      const found = await ss().secretTool('search', '--all', 'service', 'awskeys').catch(() => '');
      return [...found.matchAll(/^attribute\.username = (.*)$/gm)].map((m) => m[1] ?? '').sort();
    },
  });
});

import { chmod, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../app/clock.js';
import { ExitCode, type CliError } from '../errors/cli-error.js';
import { nonInteractivePrompter } from '../prompt/non-interactive.js';
import type { Prompter } from '../prompt/prompter.js';
import { fakeClock } from '../../test/support/fake-clock.js';
import { fakePrompter } from '../../test/support/fake-prompter.js';
import { tempHome } from '../../test/support/temp-home.js';
import { fileStore, vaultFilePath } from './file-store.js';
import type { VaultItem } from './vault-store.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const ITEM: VaultItem = { key: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET, userName: 'alice' } };

async function setup(passphrase: string | null = 'correct horse', terminal: Prompter = nonInteractivePrompter) {
  const home = await tempHome();
  const env: NodeJS.ProcessEnv = { ...home.env, ...(passphrase !== null ? { AWSKEYS_VAULT_PASSPHRASE: passphrase } : {}) };
  const deps = { env, homeDir: home.home, terminal, signal: new AbortController().signal, clock: fakeClock(), unlockedVaultFiles: new Map() };
  return { home, env, deps, path: vaultFilePath(env, home.home), store: fileStore(deps) };
}

async function failure(p: Promise<unknown>): Promise<CliError> {
  return p.then(
    () => {
      throw new Error('expected a failure');
    },
    (err: unknown) => err as CliError,
  );
}

describe('the encrypted vault file', () => {
  it('keeps items across store objects (processes), encrypted, 0600, with no secret in the clear', async () => {
    const { store, deps, path, home } = await setup();
    await store.write('dev', ITEM);
    await store.write('admin', { key: { accessKeyId: 'AKIAADMIN', secretAccessKey: 'admin-secret' } });

    expect(path).toBe(join(home.home, '.aws', 'awskeys', 'vault.enc'));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(text).not.toContain('alice');
    const doc = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['format', 'version', 'kdf', 'check', 'iv', 'tag', 'data']);
    expect(doc.kdf).toMatchObject({ name: 'scrypt', N: 32768, r: 8, p: 1 });

    const again = fileStore(deps);
    expect(await again.read('dev')).toEqual({ ...ITEM, storedAt: '2026-06-01T12:00:00.000Z' });
    expect(await again.read('nope')).toBeUndefined();
    expect(await again.profiles()).toEqual(['admin', 'dev']);
    expect(await again.remove('admin')).toBe(true);
    expect(await again.remove('admin')).toBe(false);
    expect(await fileStore(deps).profiles()).toEqual(['dev']);
  });

  it('takes a fresh IV on every write and keeps the salt of the file', async () => {
    const { store, path } = await setup();
    await store.write('dev', ITEM);
    const first = JSON.parse(await readFile(path, 'utf8')) as { iv: string; kdf: { salt: string } };
    await store.write('dev', ITEM);
    const second = JSON.parse(await readFile(path, 'utf8')) as { iv: string; kdf: { salt: string } };
    expect(second.iv).not.toBe(first.iv);
    expect(second.kdf.salt).toBe(first.kdf.salt);
  });

  it('keeps the first storedAt while the key id stays, and restarts it for a new key', async () => {
    const { store, deps } = await setup();
    await store.write('dev', ITEM);
    deps.clock.advance(86_400_000);
    await store.write('dev', { ...ITEM, session: { accessKeyId: 'ASIA1', secretAccessKey: 's', sessionToken: 't', expiration: '2026-06-02T13:00:00Z', durationSeconds: 3600 } });
    expect((await store.read('dev'))?.storedAt).toBe('2026-06-01T12:00:00.000Z');
    await store.write('dev', { key: { accessKeyId: 'AKIANEW', secretAccessKey: 'new' } });
    expect((await store.read('dev'))?.storedAt).toBe('2026-06-02T12:00:00.000Z');
  });

  it('refuses a wrong passphrase with exit 27 and never rewrites the file', async () => {
    const { store, home, path } = await setup();
    await store.write('dev', ITEM);
    const before = await readFile(path);
    const wrong = fileStore({ env: { ...home.env, AWSKEYS_VAULT_PASSPHRASE: 'wrong horse' }, homeDir: home.home, terminal: nonInteractivePrompter, signal: new AbortController().signal, clock: fakeClock(), unlockedVaultFiles: new Map() });

    for (const attempt of [() => wrong.read('dev'), () => wrong.write('other', ITEM), () => wrong.remove('dev'), () => wrong.probe()]) {
      const err = await failure(attempt());
      expect(err.exitCode).toBe(ExitCode.VaultUnreadable);
      expect(err.message).toBe(`Wrong passphrase for the vault file ${path}; nothing was changed.`);
      expect(err.hint).toBe('AWSKEYS_VAULT_PASSPHRASE does not open this file: set it to the file\'s passphrase');
    }
    expect(await readFile(path)).toEqual(before);
  });

  it.each([
    ['the ciphertext', (d: Record<string, string>) => ({ ...d, data: flip(d.data ?? '') })],
    ['the tag', (d: Record<string, string>) => ({ ...d, tag: flip(d.tag ?? '') })],
    ['the IV', (d: Record<string, string>) => ({ ...d, iv: flip(d.iv ?? '') })],
  ])('calls a file whose %s was changed damaged (exit 27), not a wrong passphrase', async (_what, tamper) => {
    const { store, deps, path } = await setup();
    await store.write('dev', ITEM);
    await writeFile(path, JSON.stringify(tamper(JSON.parse(await readFile(path, 'utf8')) as Record<string, string>)));
    const err = await failure(fileStore(deps).read('dev'));
    expect(err.exitCode).toBe(ExitCode.VaultUnreadable);
    expect(err.message).toBe(`The vault file ${path} is damaged or was changed outside awskeys (its authentication failed); nothing was changed.`);
  });

  it.each([
    ['not JSON', 'garbage\n', 'it is not JSON'],
    ['another format', '{"format":"other"}', 'its format is not "awskeys-vault"'],
    ['a newer version', '{"format":"awskeys-vault","version":2}', 'it was written by a newer awskeys (version 2)'],
    [
      'scrypt asking for 1 TiB',
      '{"format":"awskeys-vault","version":1,"kdf":{"name":"scrypt","N":1073741824,"r":8,"p":1,"salt":"AAAA"},"check":"AAAA","iv":"AAAA","tag":"AAAA","data":""}',
      'its scrypt parameters are out of range',
    ],
  ])('refuses %s (exit 27) and leaves it as it is', async (_what, text, reason) => {
    const { store, path } = await setup();
    await store.write('dev', ITEM);
    await writeFile(path, text);
    const err = await failure(store.write('dev', ITEM));
    expect(err.exitCode).toBe(ExitCode.VaultUnreadable);
    expect(err.message).toBe(`${path} is not an awskeys vault file: ${reason}; nothing was changed.`);
    expect(await readFile(path, 'utf8')).toBe(text);
  });

  it('asks a new passphrase twice for a new file, and one passphrase once per process after that', async () => {
    const creating = fakePrompter({ 'vault.new-passphrase': 'typed pass', 'vault.repeat-passphrase': 'typed pass' });
    const { home, path } = await setup(null, creating);
    const deps = (terminal: Prompter) => ({ env: home.env, homeDir: home.home, terminal, signal: new AbortController().signal, clock: fakeClock(), unlockedVaultFiles: new Map() });
    await fileStore(deps(creating)).write('dev', ITEM);
    expect(creating.asked).toEqual(['vault.new-passphrase', 'vault.repeat-passphrase']);

    const opening = fakePrompter({ 'vault.passphrase': 'typed pass' });
    const store = fileStore(deps(opening));
    expect((await store.read('dev'))?.key.secretAccessKey).toBe(SECRET);
    await store.write('ops', ITEM);
    expect(await store.profiles()).toEqual(['dev', 'ops']);
    expect(opening.asked).toEqual(['vault.passphrase']);
    expect(await readFile(path, 'utf8')).not.toContain(SECRET);
  });

  it('asks once per run however many store objects the run opens, and never keeps a passphrase that did not open the file', async () => {
    const { deps } = await setup();
    await fileStore(deps).write('dev', ITEM);
    const { home } = await setup();
    const run = (terminal: Prompter) => ({ env: { ...home.env, AWSKEYS_VAULT_FILE: vaultFilePath(deps.env, deps.homeDir) }, homeDir: home.home, terminal, signal: new AbortController().signal, clock: fakeClock(), unlockedVaultFiles: new Map() });

    const typed = fakePrompter({ 'vault.passphrase': 'correct horse' });
    const one = run(typed);
    expect((await fileStore(one).read('dev'))?.key.secretAccessKey).toBe(SECRET);
    expect((await fileStore(one).read('dev'))?.key.secretAccessKey).toBe(SECRET);
    expect(typed.asked).toEqual(['vault.passphrase']);

    const wrong = fakePrompter({ 'vault.passphrase': 'wrong horse' });
    const other = run(wrong);
    expect((await failure(fileStore(other).read('dev'))).exitCode).toBe(ExitCode.VaultUnreadable);
    expect((await failure(fileStore(other).read('dev'))).exitCode).toBe(ExitCode.VaultUnreadable);
    // The second store asked again: the wrong answer was not kept for the run.
    expect(wrong.asked).toEqual(['vault.passphrase', 'vault.passphrase']);
  });

  it('writes nothing when the two new passphrases differ', async () => {
    const terminal = fakePrompter({ 'vault.new-passphrase': 'one', 'vault.repeat-passphrase': 'two' });
    const { store, path } = await setup(null, terminal);
    const err = await failure(store.write('dev', ITEM));
    expect([err.exitCode, err.message]).toEqual([ExitCode.Usage, 'The two passphrases differ; nothing was written.']);
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('without a passphrase and without a terminal, is an unusable store (exit 26)', async () => {
    const { store, path } = await setup(null);
    const err = await failure(store.probe());
    expect(err.exitCode).toBe(ExitCode.VaultUnavailable);
    expect(err.message).toBe(`No passphrase for the vault file ${path}, and no terminal to ask for it.`);
    expect(err.hint).toBe('set AWSKEYS_VAULT_PASSPHRASE in the environment, or run it in a terminal');
    // Reading a vault that does not exist needs no passphrase: there is nothing in it.
    expect(await store.read('dev')).toBeUndefined();
    expect(await store.remove('dev')).toBe(false);
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a read-only vault file (exit 26) and leaves it as it is', async () => {
    const { store, deps, path } = await setup();
    await store.write('dev', ITEM);
    await chmod(path, 0o400);
    const before = await readFile(path);
    const err = await failure(fileStore(deps).probe());
    expect(err.exitCode).toBe(ExitCode.VaultUnavailable);
    expect(err.message).toBe(`The vault file ${path} is read-only; nothing was written.`);
    expect(err.hint).toBe(`make it writable: chmod u+w ${path}`);
    expect(await readFile(path)).toEqual(before);
    expect((await fileStore(deps).read('dev'))?.key.secretAccessKey).toBe(SECRET);
  });

  it('a probe leaves the file holding what it held, and no probe item', async () => {
    const { store, deps, path } = await setup();
    await store.write('dev', ITEM);
    await store.probe();
    const again = fileStore(deps);
    expect(await again.profiles()).toEqual(['dev']);
    expect(await readdir(join(path, '..'))).toEqual(['vault.enc']);
  });

  it('a probe of a vault file that does not exist yet creates nothing: it settles the passphrase (asked twice), which the first write then uses', async () => {
    const terminal = fakePrompter({ 'vault.new-passphrase': 'pw', 'vault.repeat-passphrase': 'pw' });
    const { store, home, path } = await setup(null, terminal);
    const before = await readdir(home.home);
    await store.probe();
    expect(await readdir(home.home)).toEqual(before);
    expect(terminal.asked).toEqual(['vault.new-passphrase', 'vault.repeat-passphrase']);
    await store.write('dev', ITEM);
    expect(terminal.asked).toHaveLength(2);
    expect((await stat(path)).mode & 0o777).toBe(0o600);

  });

  it('two writers at once both land (the AWS files\' lock)', async () => {
    // The real clock: a fake one's instant sleeps would run the lock's 10 s wait out in no time
    // while another writer (scrypt, a write) really holds the lock.
    const deps = { ...(await setup()).deps, clock: systemClock };
    await fileStore(deps).write('seed', ITEM);
    await Promise.all(['a', 'b', 'c', 'd'].map((p) => fileStore(deps).write(p, ITEM)));
    expect(await fileStore(deps).profiles()).toEqual(['a', 'b', 'c', 'd', 'seed']);
  });

  it('lives at AWSKEYS_VAULT_FILE when set, with ~ and $VAR expanded', async () => {
    const { home } = await setup();
    expect(vaultFilePath({ ...home.env, AWSKEYS_VAULT_FILE: '~/secure/v.enc' }, home.home)).toBe(join(home.home, 'secure', 'v.enc'));
    expect(vaultFilePath({ ...home.env, X: '/srv', AWSKEYS_VAULT_FILE: '$X/v.enc' }, home.home)).toBe('/srv/v.enc');
  });

  it('is stopped by the run\'s signal, but its forUndo() view is not: an undo after Ctrl-C still lands, with the passphrase asked once', async () => {
    const stop = new AbortController();
    const terminal = fakePrompter({ 'vault.new-passphrase': 'pw', 'vault.repeat-passphrase': 'pw', 'vault.passphrase': 'pw' });
    const { deps } = await setup(null, terminal);
    const store = fileStore({ ...deps, signal: stop.signal });
    await store.write('dev', ITEM);
    stop.abort();
    const stopped = await failure(store.write('dev', { key: { accessKeyId: 'AKIANEW', secretAccessKey: 'new' } }));
    expect(stopped.exitCode).toBe(ExitCode.Interrupted);
    expect((await store.read('dev'))?.key.accessKeyId).toBe('AKIAIOSFODNN7EXAMPLE');

    await store.forUndo().write('dev', { key: { accessKeyId: 'AKIAPUTBACK', secretAccessKey: 'back' } });
    expect((await store.read('dev'))?.key).toEqual({ accessKeyId: 'AKIAPUTBACK', secretAccessKey: 'back' });
    expect(await store.forUndo().remove('dev')).toBe(true);
    expect(await store.profiles()).toEqual([]);
    expect(terminal.asked).toEqual(['vault.new-passphrase', 'vault.repeat-passphrase']);
  });
});

/** The same base64 text with its first character changed (a different first byte). */
function flip(b64: string): string {
  return (b64.startsWith('A') ? 'B' : 'A') + b64.slice(1);
}

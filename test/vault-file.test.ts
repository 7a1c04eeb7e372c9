import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/built.js';
import { systemClock } from '../src/app/clock.js';
import { nonInteractivePrompter } from '../src/prompt/non-interactive.js';
import { fileStore } from '../src/vault/file-store.js';
import { binPath, repoRoot, runInProcess, tempHome, type TempHome } from './support/cli.js';
import { fakePrompter } from './support/fake-prompter.js';
import { holdLock, type HeldLock } from './support/held-lock.js';
import { spawnCollecting } from './support/spawn.js';
import { filesHoldingSecrets } from './support/secrets-under-home.js';

/**
 * `vault move`, `list` and `remove` with the encrypted-file store (real scrypt and AES-GCM), the
 * store for machines without a keychain: through the real command table in this process, and
 * stopped by real signals in the built binary. No D-Bus here: the keychain is never needed.
 */

const SECRET = 'vaultFILEsecret/K7MDENG+bPxRfiCYEXAMPLEKEY';
const KEY_ID = 'AKIAVAULTFILEFILE001';
const CREDENTIALS = `[dev]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\nregion = us-west-2\n\n# other\n[other]\naws_access_key_id = AKIAOTHEROTHEROTHER1\naws_secret_access_key = other-secret\n`;
const CONFIG = '[profile dev]\noutput = json\n';
const PASS = { AWSKEYS_VAULT_PASSPHRASE: 'a long passphrase' };

const holdingSecret = (home: string) => filesHoldingSecrets(home, SECRET);

describe('awskeys vault with the encrypted file', () => {
  let h: TempHome;
  const run = (argv: string[], extra: Parameters<typeof runInProcess>[1] | Record<string, never> = {}) =>
    runInProcess(argv, { env: { ...h.env, ...PASS }, ...extra });
  const vaultFile = () => join(h.home, '.aws', 'awskeys', 'vault.enc');

  it('moves a key into the file and out again; the AWS files keep every other byte, and no plaintext secret stays', async () => {
    h = await tempHome({ credentials: CREDENTIALS, config: CONFIG, modes: 'private' });
    const into = await run(['vault', 'move', '--profile', 'dev', '--to', 'file']);
    expect(into).toEqual({ code: 0, stdout: '', stderr: `Moved access key ${KEY_ID} of profile dev to ${vaultFile()}.\n` });
    expect(await readFile(h.credentials, 'utf8')).toBe(
      '[dev]\nregion = us-west-2\n\n# other\n[other]\naws_access_key_id = AKIAOTHEROTHEROTHER1\naws_secret_access_key = other-secret\n',
    );
    expect(await readFile(h.config, 'utf8')).toMatch(/^\[profile dev\]\noutput = json\ncredential_process = \S+ credential-process --profile dev\nawskeys_vault = file\n$/);
    expect((await stat(vaultFile())).mode & 0o777).toBe(0o600);
    expect(await holdingSecret(h.home)).toEqual([]);

    const listed = await run(['vault', 'list', '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([
      { profile: 'dev', store: 'file', accessKeyId: KEY_ID, userName: null, since: expect.any(String) as string, ageDays: 0, state: 'ok' },
    ]);

    const out = await run(['vault', 'move', '--profile', 'dev']);
    expect(out).toEqual({ code: 0, stdout: '', stderr: `Moved access key ${KEY_ID} of profile dev to ${h.credentials}.\n` });
    expect(await readFile(h.config, 'utf8')).toBe(CONFIG);
    // The key's two lines come back at the end of its section; everything else is as it was.
    expect(await readFile(h.credentials, 'utf8')).toBe(
      `[dev]\nregion = us-west-2\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\n\n# other\n[other]\naws_access_key_id = AKIAOTHEROTHEROTHER1\naws_secret_access_key = other-secret\n`,
    );
    expect(await run(['vault', 'list'])).toEqual({ code: 0, stdout: '', stderr: 'The vault is empty: no profile keeps its key in the keychain or the vault file.\n' });
  });

  it('asks the passphrase on the terminal, hidden, twice for a new file', async () => {
    h = await tempHome({ credentials: CREDENTIALS, config: CONFIG, modes: 'private' });
    const terminal = fakePrompter({ 'vault.new-passphrase': 'typed', 'vault.repeat-passphrase': 'typed' });
    const r = await runInProcess(['vault', 'move', '--profile', 'dev', '--to', 'file'], { env: h.env, terminal });
    expect(r.code).toBe(0);
    expect(terminal.asked).toEqual(['vault.new-passphrase', 'vault.repeat-passphrase']);
    const opening = fakePrompter({ 'vault.passphrase': 'typed' });
    const list = await runInProcess(['vault', 'list'], { env: h.env, terminal: opening });
    expect(list.stdout).toContain(`dev      file   ${KEY_ID}`);
    expect(opening.asked).toEqual(['vault.passphrase']);
  });

  it('a wrong passphrase is exit 27, and neither the vault file nor the AWS files change', async () => {
    h = await tempHome({ credentials: CREDENTIALS, config: CONFIG, modes: 'private' });
    await writeFile(h.credentials, `${CREDENTIALS}[ops]\naws_access_key_id = AKIAOPSOPSOPSOPSOPS1\naws_secret_access_key = ops-secret\n`);
    expect((await run(['vault', 'move', '--profile', 'dev', '--to', 'file'])).code).toBe(0);
    const before = { vault: await readFile(vaultFile()), credentials: await readFile(h.credentials), config: await readFile(h.config) };
    const r = await runInProcess(['vault', 'move', '--profile', 'ops', '--to', 'file'], { env: { ...h.env, AWSKEYS_VAULT_PASSPHRASE: 'not it' } });
    expect(r).toEqual({
      code: 27,
      stdout: '',
      stderr: `awskeys: error: Wrong passphrase for the vault file ${vaultFile()}; nothing was changed; the key of profile ops is in ${h.credentials}. (hint: AWSKEYS_VAULT_PASSPHRASE does not open this file: set it to the file's passphrase)\n`,
    });
    expect({ vault: await readFile(vaultFile()), credentials: await readFile(h.credentials), config: await readFile(h.config) }).toEqual(before);
  });

  it('vault remove: exit 7 without a terminal or --yes; asks on a terminal; "no" changes nothing (exit 14)', async () => {
    h = await tempHome({ credentials: CREDENTIALS, config: CONFIG, modes: 'private' });
    expect((await run(['vault', 'move', '--profile', 'dev', '--to', 'file'])).code).toBe(0);
    expect((await run(['vault', 'remove', '--profile', 'dev'])).code).toBe(7);
    const no = fakePrompter({ 'vault.remove': false });
    expect(await run(['vault', 'remove', '--profile', 'dev'], { env: { ...h.env, ...PASS }, prompter: no })).toEqual({
      code: 14,
      stdout: '',
      stderr: `awskeys: error: Not confirmed; the key of profile dev stays in ${vaultFile()}.\n`,
    });
    const yes = fakePrompter({ 'vault.remove': true });
    const removed = await run(['vault', 'remove', '--profile', 'dev'], { env: { ...h.env, ...PASS }, prompter: yes });
    expect(removed).toEqual({
      code: 0,
      stdout: '',
      stderr: `Removed access key ${KEY_ID} of profile dev from ${vaultFile()}.\nProfile dev no longer reads the vault (its other settings are kept).\n`,
    });
    expect(await readFile(h.config, 'utf8')).toBe(CONFIG);
    expect(JSON.parse((await run(['vault', 'list', '--json'])).stdout)).toEqual([]);
  });

  it('refuses a profile whose credentials come another way, and temporary keys (exit 2), changing nothing', async () => {
    h = await tempHome({
      credentials: `${CREDENTIALS}[temp]\naws_access_key_id = ASIATEMP\naws_secret_access_key = t\naws_session_token = tok\n`,
      config: `${CONFIG}[profile role]\nrole_arn = arn:aws:iam::123456789012:role/R\nsource_profile = dev\n`,
      modes: 'private',
    });
    expect(await run(['vault', 'move', '--profile', 'role', '--to', 'file'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'awskeys: error: Profile "role" gets its credentials another way (role_arn); only a long-term access key moves into the vault. (hint: choose a profile that holds an access key (awskeys status lists them))\n',
    });
    expect((await run(['vault', 'move', '--profile', 'temp', '--to', 'file'])).code).toBe(2);
    await expect(stat(vaultFile())).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

/** The profile's item in the vault file, opened as a later awskeys would (undefined: none). */
async function inVaultFile(h: TempHome): Promise<{ accessKeyId: string; secretAccessKey: string } | undefined> {
  const deps = { env: { ...h.env, ...PASS }, homeDir: h.home, terminal: nonInteractivePrompter, signal: new AbortController().signal, clock: systemClock, unlockedVaultFiles: new Map() };
  return (await fileStore(deps).read('dev'))?.key;
}

type Place = 'credentials' | 'file';
interface StopCase {
  /** The lock the move waits for when the signal comes, and the step it stands for. */
  at: 'vault file' | 'config file' | 'credentials file';
  /** Where the key is after the stop, and where the config points (undefined: where it pointed). */
  copies: Place[];
  config: Place;
  /** The hint printed: what finishes the move, when two copies exist. */
  hint: string | undefined;
}

/** The command a hint names, as argv. */
const finishing = (hint: string | undefined) => hint?.replace(/^.*: awskeys /, '').split(' ');

/**
 * kill -9, Ctrl-C and SIGTERM at each step of a move into and out of the vault file (D43), each
 * step found by holding the lock it waits for (test/support/held-lock.ts: no test-only pause in
 * the code). After every stop the key is in the store or the credentials file (never in neither),
 * the line printed names exactly the copies that exist, and the command it names finishes the move.
 */
const INTO: StopCase[] = [
  { at: 'vault file', copies: ['credentials'], config: 'credentials', hint: undefined },
  { at: 'config file', copies: ['credentials', 'file'], config: 'credentials', hint: 'run it again to finish: awskeys vault move --profile dev --to file' },
  { at: 'credentials file', copies: ['credentials', 'file'], config: 'file', hint: 'run it again to finish: awskeys vault move --profile dev --to file' },
];
const OUT_OF: StopCase[] = [
  { at: 'credentials file', copies: ['file'], config: 'file', hint: undefined },
  { at: 'config file', copies: ['file', 'credentials'], config: 'file', hint: 'run it again to finish: awskeys vault move --profile dev --to credentials' },
  { at: 'vault file', copies: ['file', 'credentials'], config: 'credentials', hint: 'remove the copy left in the old store: awskeys vault remove --profile dev --store file --yes' },
];
const SIGNALS = [
  ['SIGKILL', undefined, ''],
  ['SIGINT', 130, 'Interrupted'],
  ['SIGTERM', 143, 'Stopped by SIGTERM'],
] as const;

describe.each(SIGNALS)('%s at each step of `vault move` with the vault file (the built binary)', (signal, code, stopped) => {
  let h: TempHome;
  let lock: HeldLock | undefined;
  beforeAll(ensureBuilt, 120_000);
  afterEach(async () => {
    await lock?.release();
    lock = undefined;
  });
  const vaultFile = () => join(h.home, '.aws', 'awskeys', 'vault.enc');
  const lockedFile = (at: StopCase['at']) => (at === 'vault file' ? vaultFile() : at === 'config file' ? h.config : h.credentials);
  const name = (p: Place) => (p === 'file' ? vaultFile() : h.credentials);

  async function stopAt(to: Place, c: StopCase) {
    await mkdir(dirname(vaultFile()), { recursive: true, mode: 0o700 });
    lock = await holdLock(lockedFile(c.at));
    const moving = spawnCollecting(process.execPath, [binPath, 'vault', 'move', '--profile', 'dev', '--to', to], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, ...h.env, ...PASS },
    });
    await lock.noticed;
    moving.child.kill(signal);
    const r = await moving.exited;
    await lock.release();
    lock = undefined;

    expect((await inVaultFile(h))?.secretAccessKey === SECRET).toBe(c.copies.includes('file'));
    expect((await readFile(h.credentials, 'utf8')).includes(`aws_secret_access_key = ${SECRET}`)).toBe(c.copies.includes('credentials'));
    expect((await readFile(h.config, 'utf8')).includes('awskeys_vault = file')).toBe(c.config === 'file');
    if (code !== undefined) {
      const points = c.config === to ? `; the config points at ${name(to)}` : '';
      const hint = c.hint === undefined ? '' : ` (hint: ${c.hint})`;
      expect(r).toEqual({ code, stdout: '', stderr: `awskeys: error: ${stopped}; the key of profile dev is in ${c.copies.map(name).join(' and ')}${points}.${hint}\n` });
    }
  }

  it.each(INTO)('into the file, waiting for the $at: the key is in $copies', async (c) => {
    h = await tempHome({ credentials: CREDENTIALS, config: CONFIG, modes: 'private' });
    await stopAt('file', c);
    const again = await runInProcess(finishing(c.hint) ?? ['vault', 'move', '--profile', 'dev', '--to', 'file'], { env: { ...h.env, ...PASS } });
    expect(again).toEqual({ code: 0, stdout: '', stderr: `Moved access key ${KEY_ID} of profile dev to ${vaultFile()}.\n` });
    expect(await holdingSecret(h.home)).toEqual([]);
    expect((await inVaultFile(h))?.secretAccessKey).toBe(SECRET);
  });

  it.each(OUT_OF)('out of the file, waiting for the $at: the key is in $copies', async (c) => {
    h = await tempHome({ credentials: CREDENTIALS, config: CONFIG, modes: 'private' });
    expect((await runInProcess(['vault', 'move', '--profile', 'dev', '--to', 'file'], { env: { ...h.env, ...PASS } })).code).toBe(0);
    await stopAt('credentials', c);
    const again = await runInProcess(finishing(c.hint) ?? ['vault', 'move', '--profile', 'dev', '--to', 'credentials'], { env: { ...h.env, ...PASS } });
    expect(again.code).toBe(0);
    expect(await inVaultFile(h)).toBeUndefined();
    expect(await readFile(h.config, 'utf8')).toBe(CONFIG);
    expect((await readFile(h.credentials, 'utf8')).includes(`aws_secret_access_key = ${SECRET}`)).toBe(true);
  });
});

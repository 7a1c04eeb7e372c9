import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { ensureBuilt } from './support/built.js';
import { binPath, repoRoot, runBuilt, tempHome, type TempHome } from './support/cli.js';
import { holdLock, type HeldLock } from './support/held-lock.js';
import { needs } from './support/optional-tools.js';
import { SECRET_SERVICE_TOOLS, startSecretService, type SecretService } from './support/secret-service.js';
import { spawnCollecting } from './support/spawn.js';
import { filesHoldingSecrets } from './support/secrets-under-home.js';

/**
 * The keychain store against a real Secret Service (gnome-keyring on a private D-Bus session,
 * test/support/secret-service.ts), through the built binary: `vault move` in and out of it, `vault
 * list`, `vault remove`, every way the keychain can be unusable, and a stop at each step of a
 * move. `secret-tool` checks what the keyring holds; after each test no file under HOME holds the
 * secret unless the test put it back into the credentials file.
 */

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYVAULTKEYKEY';
const KEY_ID = 'AKIAVAULTKEYCHAIN001';
const CREDENTIALS = `# my keys\n[dev]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\n\n[other]\naws_access_key_id = AKIAOTHEROTHEROTHER1\naws_secret_access_key = other-secret\n`;
const CONFIG = '[default]\nregion = eu-west-1\n\n[profile dev]\n# dev account\nregion = us-east-2\n';
const NO_DBUS = { DBUS_SESSION_BUS_ADDRESS: '' };

beforeAll(ensureBuilt, 120_000);

/** The PATH the binary sees: node's folder and the system's, no `awskeys` on it. */
const PATH = `${dirname(process.execPath)}:/usr/bin:/bin`;
const self = execFileSync('realpath', [binPath]).toString().trim();
const processLine = `credential_process = ${self} credential-process --profile dev`;

/** Polls `done` every 20 ms for up to 10 s. */
async function until(done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the condition did not come true within 10 s');
}

/** Every file under HOME that holds the secret (by name, for the failure message). */
const holdingSecret = (home: string) => filesHoldingSecrets(home, SECRET);

needs(...SECRET_SERVICE_TOOLS).describe('the keychain store on a real Secret Service', () => {
  let ss: SecretService;
  let h: TempHome;
  let lock: HeldLock | undefined;
  beforeAll(async () => {
    ss = await startSecretService();
  }, 30_000);
  afterAll(async () => (ss as SecretService | undefined)?.stop());
  afterEach(async () => {
    await lock?.release();
    lock = undefined;
    // Each test leaves the keyring empty for the next.
    await ss.secretTool('clear', 'service', 'awskeys').catch(() => '');
  });

  const run = (args: string[], env: Record<string, string> = {}) => runBuilt(args, { env: { PATH, ...h.env, ...ss.env, ...env } });
  const stored = async () => ss.secretTool('search', '--all', 'service', 'awskeys');

  /** Runs `vault move --profile dev <args>` (the built binary), sends `signal` once it waits for the lock of `file`, and returns what it printed. */
  async function stopWhileWaiting(file: string, args: string[], signal: NodeJS.Signals, env: Record<string, string | undefined> = { PATH, ...h.env, ...ss.env }) {
    lock = await holdLock(file);
    const moving = spawnCollecting(process.execPath, [binPath, 'vault', 'move', '--profile', 'dev', ...args], { cwd: repoRoot, env });
    await lock.noticed;
    moving.child.kill(signal);
    const r = await moving.exited;
    await lock.release();
    lock = undefined;
    return r;
  }

  it('vault move puts the key into the keychain, then takes it out again, keeping every other byte of the AWS files', async () => {
    h = await tempHome({ credentials: CREDENTIALS, config: CONFIG, modes: 'private' });
    const into = await run(['vault', 'move', '--profile', 'dev']);
    expect(into).toEqual({ code: 0, stdout: '', stderr: `Moved access key ${KEY_ID} of profile dev to the Secret Service keyring.\n` });
    expect(await readFile(h.config, 'utf8')).toBe(`${CONFIG}${processLine}\nawskeys_vault = keychain\n`);
    expect(await readFile(h.credentials, 'utf8')).toBe(
      '# my keys\n[dev]\n\n[other]\naws_access_key_id = AKIAOTHEROTHEROTHER1\naws_secret_access_key = other-secret\n',
    );
    const item = await stored();
    expect(item).toContain('label = keyring:dev@awskeys');
    expect(item).toContain('attribute.username = dev');
    const secret = /^secret = (.*)$/m.exec(item)?.[1] ?? '';
    expect(JSON.parse(secret)).toEqual({ version: 1, accessKeyId: KEY_ID, secretAccessKey: SECRET, storedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string });
    expect(await holdingSecret(h.home)).toEqual([]);

    const list = await run(['vault', 'list']);
    expect(list).toEqual({
      code: 0,
      stderr: '',
      stdout: `PROFILE  STORE     ACCESS KEY ID         AGE  IAM USER  STATE\ndev      keychain  ${KEY_ID}  0d   -         ok\n`,
    });
    expect(JSON.stringify(JSON.parse((await run(['vault', 'list', '--json'])).stdout))).not.toContain(SECRET);

    const out = await run(['vault', 'move', '--profile', 'dev']);
    expect(out).toEqual({ code: 0, stdout: '', stderr: `Moved access key ${KEY_ID} of profile dev to ${h.credentials}.\n` });
    expect(await readFile(h.config, 'utf8')).toBe(CONFIG);
    expect(await readFile(h.credentials, 'utf8')).toBe(CREDENTIALS);
    expect(await stored()).toBe('');
  });

  it('names awskeys by name in credential_process when PATH finds this same program', async () => {
    h = await tempHome({ credentials: CREDENTIALS, config: CONFIG, modes: 'private' });
    const bin = await mkdtemp(join(h.home, '..', 'bin-'));
    await symlink(binPath, join(bin, 'awskeys'));
    expect((await run(['vault', 'move', '--profile', 'dev'], { PATH: `${bin}:${PATH}` })).code).toBe(0);
    expect(await readFile(h.config, 'utf8')).toBe(`${CONFIG}credential_process = awskeys credential-process --profile dev\nawskeys_vault = keychain\n`);
  });

  it('vault remove asks; without a terminal it needs --yes (exit 7), and with it the item and the vault settings go', async () => {
    h = await tempHome({ credentials: CREDENTIALS, config: CONFIG, modes: 'private' });
    expect((await run(['vault', 'move', '--profile', 'dev'])).code).toBe(0);
    const asked = await run(['vault', 'remove', '--profile', 'dev']);
    expect(asked).toEqual({
      code: 7,
      stdout: '',
      stderr: 'awskeys: error: Removing the key of profile dev from the vault needs a confirmation, and there is no terminal to ask. (hint: pass --yes)\n',
    });
    expect(await stored()).toContain('keyring:dev@awskeys');

    const removed = await run(['vault', 'remove', '--profile', 'dev', '--yes']);
    expect(removed).toEqual({
      code: 0,
      stdout: '',
      stderr: `Removed access key ${KEY_ID} of profile dev from the Secret Service keyring.\nProfile dev no longer reads the vault (its other settings are kept).\n`,
    });
    expect(await stored()).toBe('');
    expect(await readFile(h.config, 'utf8')).toBe(CONFIG);
    expect(await run(['vault', 'remove', '--profile', 'dev', '--yes'])).toEqual({
      code: 5,
      stdout: '',
      stderr: 'awskeys: error: No key of profile "dev" is in the vault. (hint: see what is there: awskeys vault list)\n',
    });
  });

  it('an item under service awskeys that is not an awskeys item is exit 27, and vault move replaces nothing', async () => {
    h = await tempHome({ credentials: CREDENTIALS, config: `${CONFIG}credential_process = awskeys credential-process --profile dev\nawskeys_vault = keychain\n`, modes: 'private' });
    const stored = spawnCollecting('secret-tool', ['store', '--label', 'not ours', 'service', 'awskeys', 'username', 'dev'], { env: { ...process.env, ...ss.env }, input: 'plain text' });
    expect((await stored.exited).code).toBe(0);
    const r = await run(['vault', 'list']);
    expect(r).toEqual({
      code: 27,
      stdout: '',
      stderr: 'awskeys: error: The keychain item awskeys/dev is not an awskeys vault item (not a JSON object). (hint: update awskeys, or remove the item (awskeys vault remove --profile dev) and store the key again)\n',
    });
    // The hint works: the unreadable item can be removed.
    expect(await run(['vault', 'remove', '--profile', 'dev', '--yes'])).toEqual({
      code: 0,
      stdout: '',
      stderr: 'Removed access key of unknown id (the item is unreadable) of profile dev from the Secret Service keyring.\nProfile dev no longer reads the vault (its other settings are kept).\n',
    });
    expect(await ss.secretTool('search', '--all', 'service', 'awskeys')).toBe('');
  });

  it('a keychain item left behind by a move to the file (stopped before its last step) is listed, and removed by vault remove --store keychain alone', async () => {
    h = await tempHome({ credentials: CREDENTIALS, config: CONFIG, modes: 'private' });
    const pass = { AWSKEYS_VAULT_PASSPHRASE: 'pp' };
    expect((await run(['vault', 'move', '--profile', 'dev'])).code).toBe(0);
    // The state a kill between "the config points at the file" and "the keychain item goes" leaves:
    const item = await stored();
    expect((await run(['vault', 'move', '--profile', 'dev', '--to', 'file'], pass)).code).toBe(0);
    const doc = /^secret = (.*)$/m.exec(item)?.[1] ?? '';
    const put = spawnCollecting('secret-tool', ['store', '--label', 'keyring:dev@awskeys', 'service', 'awskeys', 'username', 'dev'], { env: { ...process.env, ...ss.env }, input: doc });
    expect((await put.exited).code).toBe(0);

    const listed = await run(['vault', 'list'], pass);
    expect(listed.stdout.split('\n')).toEqual([
      'PROFILE  STORE     ACCESS KEY ID         AGE  IAM USER  STATE',
      `dev      file      ${KEY_ID}  0d   -         ok`,
      `dev      keychain  ${KEY_ID}  0d   -         no vault profile in the config uses it`,
      '',
    ]);
    const configBefore = await readFile(h.config, 'utf8');
    expect(await run(['vault', 'remove', '--profile', 'dev', '--store', 'keychain', '--yes'], pass)).toEqual({
      code: 0,
      stdout: '',
      stderr: `Removed access key ${KEY_ID} of profile dev from the Secret Service keyring.\n`,
    });
    expect(await stored()).toBe('');
    expect(await readFile(h.config, 'utf8')).toBe(configBefore);
    expect((await run(['vault', 'list'], pass)).stdout).toContain(`dev      file   ${KEY_ID}  0d   -         ok`);
  });

  it('without a D-Bus session the keychain is unusable (exit 26) and nothing changes: never the kernel keyring', async () => {
    h = await tempHome({ credentials: CREDENTIALS, config: CONFIG, modes: 'private' });
    const r = await run(['vault', 'move', '--profile', 'dev', '--to', 'keychain'], NO_DBUS);
    expect(r.code).toBe(26);
    expect(r.stderr).toMatch(/^awskeys: error: No D-Bus session to reach the keychain \(Secret Service\) on \(.*DBUS_SESSION_BUS_ADDRESS.*\); the key of profile dev is in /);
    expect(r.stderr).toContain('(hint: run it in a desktop session (or start one: dbus-run-session -- $SHELL, then unlock gnome-keyring), or keep the key in the encrypted vault file instead (store "file"))\n');
    expect(await readFile(h.credentials, 'utf8')).toBe(CREDENTIALS);
    expect(await readFile(h.config, 'utf8')).toBe(CONFIG);
  });

  it('a Secret Service that gives no reply (stuck) is a clear error after its timeout (exit 26), and nothing changes', async () => {
    h = await tempHome({ credentials: CREDENTIALS, config: CONFIG, modes: 'private' });
    const resume = ss.stall();
    let r;
    try {
      r = await run(['vault', 'move', '--profile', 'dev', '--to', 'keychain']);
    } finally {
      resume();
    }
    expect(r).toEqual({
      code: 26,
      stdout: '',
      stderr:
        `awskeys: error: The keychain (Secret Service) did not answer on the D-Bus session (no reply within its timeout); the key of profile dev is in ${h.credentials}. ` +
        '(hint: check that the keyring daemon runs and is not waiting on a prompt (secret-tool search service awskeys), or keep the key in the encrypted vault file instead (store "file"))\n',
    });
    expect(await readFile(h.credentials, 'utf8')).toBe(CREDENTIALS);
    expect(await readFile(h.config, 'utf8')).toBe(CONFIG);
    expect(await stored()).toBe('');
  });

  it('a D-Bus address nobody listens on is the same clear error (exit 26)', async () => {
    h = await tempHome({ credentials: CREDENTIALS, config: CONFIG, modes: 'private' });
    const r = await run(['vault', 'list'], { DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(h.home, 'no-bus')}` });
    // list skips a keychain no profile names; a vault profile that names it makes it an error.
    expect(r).toEqual({ code: 0, stdout: '', stderr: 'The vault is empty: no profile keeps its key in the keychain or the vault file.\n' });
    const moved = await run(['vault', 'move', '--profile', 'dev']);
    expect(moved.code).toBe(0);
    const listed = await run(['vault', 'list'], { DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(h.home, 'no-bus')}` });
    expect(listed.code).toBe(26);
    expect(listed.stderr).toMatch(/^awskeys: error: No D-Bus session to reach the keychain \(Secret Service\) on \(Platform failure: DBus error: Failed to connect to socket .*no-bus.*\)\. \(hint: /);
    await run(['vault', 'move', '--profile', 'dev']);
  });

  it.each([
    ['SIGKILL', 'the config file', (t: TempHome) => t.config, ['credentials', 'keychain']],
    ['SIGINT', 'the config file', (t: TempHome) => t.config, ['credentials', 'keychain']],
    ['SIGTERM', 'the config file', (t: TempHome) => t.config, ['credentials', 'keychain']],
    ['SIGKILL', 'the credentials file', (t: TempHome) => t.credentials, ['credentials', 'keychain', 'config']],
    ['SIGINT', 'the credentials file', (t: TempHome) => t.credentials, ['credentials', 'keychain', 'config']],
    ['SIGTERM', 'the credentials file', (t: TempHome) => t.credentials, ['credentials', 'keychain', 'config']],
  ] as const)('%s while a move into the keychain waits for the lock of %s: the key is in %j; running it again finishes', async (signal, _what, file, where) => {
    h = await tempHome({ credentials: CREDENTIALS, config: CONFIG, modes: 'private' });
    const r = await stopWhileWaiting(file(h), ['--to', 'keychain'], signal);

    expect((await readFile(h.credentials, 'utf8')).includes(SECRET)).toBe(true);
    expect((await stored()).includes(SECRET)).toBe(true);
    expect((await readFile(h.config, 'utf8')).includes('awskeys_vault = keychain')).toBe((where as readonly string[]).includes('config'));
    if (signal !== 'SIGKILL') {
      const stopped = signal === 'SIGINT' ? 'Interrupted' : 'Stopped by SIGTERM';
      const points = (where as readonly string[]).includes('config') ? '; the config points at the Secret Service keyring' : '';
      expect(r).toEqual({
        code: signal === 'SIGINT' ? 130 : 143,
        stdout: '',
        stderr: `awskeys: error: ${stopped}; the key of profile dev is in ${h.credentials} and the Secret Service keyring${points}. (hint: run it again to finish: awskeys vault move --profile dev --to keychain)\n`,
      });
    }
    const again = await run(['vault', 'move', '--profile', 'dev', '--to', 'keychain']);
    expect(again).toEqual({ code: 0, stdout: '', stderr: `Moved access key ${KEY_ID} of profile dev to the Secret Service keyring.\n` });
    expect(await holdingSecret(h.home)).toEqual([]);
    expect(await readFile(h.config, 'utf8')).toBe(`${CONFIG}${processLine}\nawskeys_vault = keychain\n`);
  });

  it.each([
    ['SIGKILL', 'the credentials file', (t: TempHome) => t.credentials, false],
    ['SIGINT', 'the credentials file', (t: TempHome) => t.credentials, false],
    ['SIGTERM', 'the credentials file', (t: TempHome) => t.credentials, false],
    ['SIGKILL', 'the config file', (t: TempHome) => t.config, true],
    ['SIGINT', 'the config file', (t: TempHome) => t.config, true],
    ['SIGTERM', 'the config file', (t: TempHome) => t.config, true],
  ] as const)('%s while a move out of the keychain waits for the lock of %s: the key stays in the keychain', async (signal, _what, file, inCredentials) => {
    h = await tempHome({ credentials: CREDENTIALS, config: CONFIG, modes: 'private' });
    expect((await run(['vault', 'move', '--profile', 'dev'])).code).toBe(0);
    const r = await stopWhileWaiting(file(h), ['--to', 'credentials'], signal);
    expect((await stored()).includes(SECRET)).toBe(true);
    expect((await readFile(h.credentials, 'utf8')).includes(SECRET)).toBe(inCredentials);
    if (signal !== 'SIGKILL') {
      const copies = inCredentials ? `the Secret Service keyring and ${h.credentials}` : 'the Secret Service keyring';
      expect(r.stderr).toBe(
        `awskeys: error: ${signal === 'SIGINT' ? 'Interrupted' : 'Stopped by SIGTERM'}; the key of profile dev is in ${copies}.${inCredentials ? ' (hint: run it again to finish: awskeys vault move --profile dev --to credentials)' : ''}\n`,
      );
    }
    const again = await run(['vault', 'move', '--profile', 'dev', '--to', 'credentials']);
    expect(again).toEqual({ code: 0, stdout: '', stderr: `Moved access key ${KEY_ID} of profile dev to ${h.credentials}.\n` });
    expect((await stored()).includes(SECRET)).toBe(false);
    expect(await readFile(h.config, 'utf8')).toBe(CONFIG);
  });

  it.each(['SIGKILL', 'SIGINT', 'SIGTERM'] as const)(
    '%s while a move out of the keychain waits on a stuck keychain to delete the old copy: the key is in both, the config points at the credentials file',
    async (signal) => {
      h = await tempHome({ credentials: CREDENTIALS, config: CONFIG, modes: 'private' });
      expect((await run(['vault', 'move', '--profile', 'dev'])).code).toBe(0);
      // Held at step 2, then the keychain stalls: released, the move writes the config and waits in step 3.
      lock = await holdLock(h.config);
      const moving = spawnCollecting(process.execPath, [binPath, 'vault', 'move', '--profile', 'dev', '--to', 'credentials'], { cwd: repoRoot, env: { PATH, ...h.env, ...ss.env } });
      await lock.noticed;
      const resume = ss.stall();
      let r;
      try {
        await lock.release();
        lock = undefined;
        await until(async () => !(await readFile(h.config, 'utf8')).includes('awskeys_vault'));
        moving.child.kill(signal);
        r = await moving.exited;
      } finally {
        resume();
      }
      expect((await stored()).includes(SECRET)).toBe(true);
      expect((await readFile(h.credentials, 'utf8')).includes(SECRET)).toBe(true);
      expect(await readFile(h.config, 'utf8')).toBe(CONFIG);
      if (signal !== 'SIGKILL') {
        // The addon's blocking call holds the process until D-Bus gives up; then the line names both copies.
        expect(r.stderr).toMatch(
          new RegExp(`; the key of profile dev is in the Secret Service keyring and ${h.credentials.replace(/[.]/g, '[.]')}; the config points at ${h.credentials.replace(/[.]/g, '[.]')}[.] \\(hint: remove the copy left in the old store: awskeys vault remove --profile dev --store keychain --yes\\)\n$`),
        );
      }
      const finish = await run(['vault', 'remove', '--profile', 'dev', '--store', 'keychain', '--yes']);
      expect(finish.code).toBe(0);
      expect((await stored()).includes(SECRET)).toBe(false);
      expect(await readFile(h.config, 'utf8')).toBe(CONFIG);
    },
  );

  it.each([
    ['SIGKILL', 'the vault file', false],
    ['SIGINT', 'the vault file', false],
    ['SIGTERM', 'the vault file', false],
    ['SIGKILL', 'the config file', true],
    ['SIGINT', 'the config file', true],
    ['SIGTERM', 'the config file', true],
  ] as const)('%s while a move from the keychain to the vault file waits for the lock of %s: the key stays in the keychain', async (signal, what, inFile) => {
    h = await tempHome({ credentials: CREDENTIALS, config: CONFIG, modes: 'private' });
    const env = { PATH, ...h.env, ...ss.env, AWSKEYS_VAULT_PASSPHRASE: 'store to store' };
    expect((await run(['vault', 'move', '--profile', 'dev'])).code).toBe(0);
    const vaultFile = join(h.home, '.aws', 'awskeys', 'vault.enc');
    await mkdir(dirname(vaultFile), { recursive: true, mode: 0o700 });
    const r = await stopWhileWaiting(what === 'the vault file' ? vaultFile : h.config, ['--to', 'file'], signal, env);

    expect((await stored()).includes(SECRET)).toBe(true);
    const listed = JSON.parse((await runBuilt(['vault', 'list', '--json'], { env })).stdout) as { store: string; state: string }[];
    expect(listed.map((e) => `${e.store} ${e.state}`)).toEqual(inFile ? ['file unconfigured', 'keychain ok'] : ['keychain ok']);
    expect(await readFile(h.config, 'utf8')).toBe(`${CONFIG}${processLine}\nawskeys_vault = keychain\n`);
    if (signal !== 'SIGKILL') {
      const copies = inFile ? `the Secret Service keyring and ${vaultFile}` : 'the Secret Service keyring';
      const hint = inFile ? ' (hint: run it again to finish: awskeys vault move --profile dev --to file)' : '';
      expect(r).toEqual({ code: signal === 'SIGINT' ? 130 : 143, stdout: '', stderr: `awskeys: error: ${signal === 'SIGINT' ? 'Interrupted' : 'Stopped by SIGTERM'}; the key of profile dev is in ${copies}.${hint}\n` });
    }
    const again = await runBuilt(['vault', 'move', '--profile', 'dev', '--to', 'file'], { env });
    expect(again).toEqual({ code: 0, stdout: '', stderr: `Moved access key ${KEY_ID} of profile dev to ${vaultFile}.\n` });
    expect((await stored()).includes(SECRET)).toBe(false);
    expect(await holdingSecret(h.home)).toEqual([]);
  });
});

needs(...SECRET_SERVICE_TOOLS).describe('a locked keyring', () => {
  let ss: SecretService;
  beforeAll(async () => {
    ss = await startSecretService();
    await ss.lock();
  }, 30_000);
  afterAll(async () => (ss as SecretService | undefined)?.stop());

  it('with nobody to unlock it is unusable (exit 26), and the key stays where it was', async () => {
    const h = await tempHome({ credentials: CREDENTIALS, config: CONFIG, modes: 'private' });
    const r = await runBuilt(['vault', 'move', '--profile', 'dev'], { env: { PATH, ...h.env, ...ss.env } });
    expect(r).toEqual({
      code: 26,
      stdout: '',
      stderr: `awskeys: error: The keychain (Secret Service) is locked, and nothing here can unlock it; the key of profile dev is in ${h.credentials}. (hint: unlock it (log in to the desktop; headless: gnome-keyring-daemon --replace --unlock --components=secrets reads the password from stdin), or keep the key in the encrypted vault file instead (store "file"))\n`,
    });
    expect(await readFile(h.credentials, 'utf8')).toBe(CREDENTIALS);
    expect(await readFile(h.config, 'utf8')).toBe(CONFIG);
  });
});

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { ensureBuilt } from '../support/built.js';
import { binPath, tempHome } from '../support/cli.js';
import { shellQuote, startTmux, type TmuxSession } from '../support/tmux.js';
import { needs } from '../support/optional-tools.js';
import { createKey, createUser, keysOf, motoEnv, useKey } from '../iam-fixtures.js';

/**
 * The two-keys quota on a real terminal: the built binary runs in tmux against moto, and the test
 * answers the menu and the "type its id" prompt with keystrokes, as a person would.
 */
const EXISTING = '# work account\n[acme.prod]\naws_access_key_id = AKIAACMEACMEACMEACME\naws_secret_access_key = acme-secret\n';
const tmux = needs('tmux');

let session: TmuxSession | undefined;
afterEach(async () => {
  await session?.kill();
  session = undefined;
});

/**
 * A user with two Active keys: `busy` was used just now (so deleting it needs its id typed), `idle`
 * never. Then `awskeys iam create-key --user U --write-profile U` is started in tmux.
 */
async function quotaOnTerminal() {
  const user = await createUser('tty');
  const busy = await createKey(user);
  const idle = await createKey(user);
  await useKey(busy);
  const { home, env, credentials } = await tempHome({ credentials: EXISTING, modes: 'private' });

  session = await startTmux({
    name: 'awskeys-quota',
    command: `${shellQuote(process.execPath, binPath, 'iam', 'create-key', '--user', user, '--write-profile', user)}; echo EXIT=$?`,
    env: { ...env, ...motoEnv(), HOME: home },
    cwd: home,
  });
  await session.waitFor('Make room for the new key:');
  return { user, busy, idle, credentials, session };
}

/** Moves the menu's cursor (❯) to the line that starts with `label`. */
async function highlight(tty: TmuxSession, label: string): Promise<void> {
  const cursorOn = (screen: string) => screen.split('\n').some((line) => line.startsWith(`❯ ${label}`));
  for (let i = 0; i < 8; i++) {
    const screen = await tty.capture();
    if (cursorOn(screen)) return;
    await tty.sendKeys('Down');
    await tty.waitFor((now) => now !== screen, 2000);
  }
  throw new Error(`no menu line starts with "❯ ${label}":\n${await tty.capture()}`);
}

tmux.describe('awskeys iam create-key on a real terminal (tmux)', () => {
  beforeAll(ensureBuilt, 120_000);

  it('deletes the recently used key chosen in the menu only once its id is typed, then stores the new key (exit 0)', async () => {
    const { user, busy, idle, credentials, session: tty } = await quotaOnTerminal();
    const screen = await tty.capture();
    expect(screen).toContain(`IAM user "${user}" already has 2 access keys, the most IAM allows (inactive keys count too):`);
    expect(screen).toMatch(new RegExp(`^  ${busy.accessKeyId}  Active    created \\S+ \\(today\\)  last used \\S+ \\(today, sts, us-east-1\\)$`, 'm'));

    await highlight(tty, `Delete ${busy.accessKeyId}`);
    await tty.sendKeys('Enter');
    await tty.waitFor(`${busy.accessKeyId} is Active and was used today. Type its id to go on:`);

    await tty.type(idle.accessKeyId);
    await tty.sendKeys('Enter');
    await tty.waitFor(`Type ${busy.accessKeyId} exactly, or press Ctrl-C to stop.`);
    expect(await keysOf(user)).toEqual({ [busy.accessKeyId]: 'Active', [idle.accessKeyId]: 'Active' });

    await tty.sendKeys('C-u');
    await tty.type(busy.accessKeyId);
    await tty.sendKeys('Enter');
    const done = await tty.waitFor(/^EXIT=\d+$/m, 15_000);

    expect(done).toMatch(/^EXIT=0$/m);
    const keys = await keysOf(user);
    const created = Object.keys(keys).find((id) => id !== idle.accessKeyId) ?? '';
    expect(keys).toEqual({ [idle.accessKeyId]: 'Active', [created]: 'Active' });
    expect(created).not.toBe(busy.accessKeyId);
    expect(done).toContain(`Deleted access key ${busy.accessKeyId} of IAM user "${user}".`);
    expect(done).toContain(`Created access key ${created} for IAM user "${user}".`);
    const text = await readFile(credentials, 'utf8');
    expect(text).toMatch(
      new RegExp(`^${escape(EXISTING)}\\n\\[${user}\\]\\naws_access_key_id = ${created}\\naws_secret_access_key = [A-Za-z0-9+/]{40}\\n$`),
    );
    // The secret went to the file only, never to the terminal.
    const secret = /aws_secret_access_key = (\S+)\n$/.exec(text)?.[1] ?? '';
    expect(done).not.toContain(secret);
  });

  it('Ctrl-C at the id prompt stops with exit 130, and keys and file stay as they were', async () => {
    const { user, busy, idle, credentials, session: tty } = await quotaOnTerminal();

    await highlight(tty, `Delete ${busy.accessKeyId}`);
    await tty.sendKeys('Enter');
    await tty.waitFor('Type its id to go on:');
    await tty.type(busy.accessKeyId.slice(0, 6));
    await tty.sendKeys('C-c');
    const done = await tty.waitFor(/^EXIT=\d+$/m);

    expect(done).toMatch(/^EXIT=130$/m);
    expect(done).toContain('awskeys: error: Interrupted; nothing was written.');
    expect(await keysOf(user)).toEqual({ [busy.accessKeyId]: 'Active', [idle.accessKeyId]: 'Active' });
    expect(await readFile(credentials, 'utf8')).toBe(EXISTING);
  });
});

tmux.describe('awskeys iam create-key at the quota, keys held by local profiles, on a real terminal (tmux)', () => {
  beforeAll(ensureBuilt, 120_000);

  it('names the profiles in the menu, offers Cancel (not a key) as the default, and deletes a held key only once its id is typed', async () => {
    const user = await createUser('ttyheld');
    const a = await createKey(user);
    const b = await createKey(user);
    const held = `${EXISTING}[laptop]\naws_access_key_id = ${a.accessKeyId}\naws_secret_access_key = ${a.secretAccessKey}\n[ci]\naws_access_key_id = ${b.accessKeyId}\naws_secret_access_key = ${b.secretAccessKey}\n`;
    const { home, env, credentials } = await tempHome({ credentials: held, modes: 'private' });
    session = await startTmux({
      name: 'awskeys-quota-held',
      command: `${shellQuote(process.execPath, binPath, 'iam', 'create-key', '--user', user, '--format', 'json')} >${shellQuote(join(home, 'key.json'))}; echo EXIT=$?`,
      env: { ...env, ...motoEnv(), HOME: home },
      cwd: home,
      cols: 200,
    });
    const tty = session;
    const menu = await tty.waitFor('Make room for the new key:');

    expect(menu).toMatch(new RegExp(`^  ${a.accessKeyId}  Active .*never used  used here by profile laptop$`, 'm'));
    expect(menu).toMatch(new RegExp(`^  ${b.accessKeyId}  Active .*never used  used here by profile ci$`, 'm'));
    expect(menu).toMatch(new RegExp(`^  Delete ${a.accessKeyId} \\(Active, created today, never used; used here by profile laptop\\)$`, 'm'));
    expect(menu).toMatch(new RegExp(`^  Delete ${b.accessKeyId} \\(Active, created today, never used; used here by profile ci\\)$`, 'm'));
    // Enter alone would cancel: the cursor starts on Cancel, not on a key a profile signs with.
    expect(menu).toMatch(/^❯ Cancel: change nothing, create no key$/m);

    await highlight(tty, `Delete ${b.accessKeyId}`);
    await tty.sendKeys('Enter');
    await tty.waitFor(`${b.accessKeyId} is what profile ci signs with: deleting it breaks it. Type its id to go on:`);
    await tty.type(b.accessKeyId);
    await tty.sendKeys('Enter');
    const done = await tty.waitFor(/^EXIT=\d+$/m, 15_000);

    expect(done).toMatch(/^EXIT=0$/m);
    const keys = await keysOf(user);
    const created = Object.keys(keys).find((id) => id !== a.accessKeyId) ?? '';
    expect(keys).toEqual({ [a.accessKeyId]: 'Active', [created]: 'Active' });
    expect(created).not.toBe(b.accessKeyId);
    expect(done).toContain(`Deleted access key ${b.accessKeyId} of IAM user "${user}".`);
    expect(await readFile(credentials, 'utf8')).toBe(held);
  });

  it('Enter at the menu with every key held cancels (exit 14) and changes nothing', async () => {
    const user = await createUser('ttyenter');
    const a = await createKey(user);
    const b = await createKey(user);
    const { home, env } = await tempHome();
    await mkdir(join(home, '.aws'), { mode: 0o700 });
    const credentials = join(home, '.aws', 'credentials');
    await writeFile(credentials, `[x]\naws_access_key_id = ${a.accessKeyId}\naws_secret_access_key = s\n[y]\naws_access_key_id = ${b.accessKeyId}\naws_secret_access_key = s\n`, { mode: 0o600 });
    session = await startTmux({
      name: 'awskeys-quota-enter',
      command: `${shellQuote(process.execPath, binPath, 'iam', 'create-key', '--user', user, '--format', 'json')} >/dev/null; echo EXIT=$?`,
      env: { ...env, ...motoEnv(), HOME: home },
      cwd: home,
      cols: 200,
    });
    await session.waitFor('Make room for the new key:');
    await session.sendKeys('Enter');
    const done = await session.waitFor(/^EXIT=\d+$/m);

    expect(done).toMatch(/^EXIT=14$/m);
    expect(done).toContain('awskeys: error: Cancelled; no key was changed and no key was created.');
    expect(await keysOf(user)).toEqual({ [a.accessKeyId]: 'Active', [b.accessKeyId]: 'Active' });
  });
});

tmux.describe('awskeys iam create-key asking where the key goes, on a real terminal (tmux)', () => {
  beforeAll(ensureBuilt, 120_000);

  it('refuses an SSO profile as the profile name as it is typed, and takes another name', async () => {
    const user = await createUser('ttyname');
    const { home, env } = await tempHome();
    await mkdir(join(home, '.aws'), { mode: 0o700 });
    await writeFile(join(home, '.aws', 'config'), '[profile work]\nsso_session = corp\n', { mode: 0o600 });
    session = await startTmux({
      name: 'awskeys-create-name',
      command: `${shellQuote(process.execPath, binPath, 'iam', 'create-key', '--user', user)}; echo EXIT=$?`,
      env: { ...env, ...motoEnv(), HOME: home },
      cwd: home,
      cols: 200,
    });
    const tty = session;
    await tty.waitFor('Where should the new key go?');
    await tty.sendKeys('Enter');
    await tty.waitFor('Profile name:');
    await tty.type('work');
    await tty.sendKeys('Enter');
    await tty.waitFor('Profile "work" already gets credentials another way (sso_session in the config file); no key was created.');
    expect(await keysOf(user)).toEqual({});

    await tty.sendKeys('BSpace', 'BSpace', 'BSpace', 'BSpace');
    await tty.type('fresh');
    await tty.sendKeys('Enter');
    const done = await tty.waitFor(/^EXIT=\d+$/m, 15_000);

    expect(done).toMatch(/^EXIT=0$/m);
    const [id] = Object.keys(await keysOf(user));
    expect(await readFile(join(home, '.aws', 'credentials'), 'utf8')).toMatch(new RegExp(`^\\[fresh\\]\\naws_access_key_id = ${id}\\n`));
    expect(await readFile(join(home, '.aws', 'config'), 'utf8')).toBe('[profile work]\nsso_session = corp\n');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

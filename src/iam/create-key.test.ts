import { IAMClient, type IAMClient as IAMClientType } from '@aws-sdk/client-iam';
import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { sdkClients } from '../aws-sdk/aws-clients.js';
import { CancelledError, CliError, FileError, InterruptedError, KeyQuotaError, NeedsInputError, NotFoundError } from '../errors/cli-error.js';
import { nonInteractivePrompter } from '../prompt/non-interactive.js';
import type { Prompter } from '../prompt/prompter.js';
import { fakePrompter } from '../../test/support/fake-prompter.js';
import { createKey, createUser, deactivate, keysOf, motoEnv, useKey } from '../../test/iam-fixtures.js';
import { fakeClock } from '../../test/support/fake-clock.js';
import { tempHome } from '../../test/support/temp-home.js';
import { createAccessKey, type CreateKeyOptions } from './create-key.js';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;

/** The code under test reaches moto only through the standard variables of its injected env. */
const clients = () => sdkClients({ env: motoEnv(), homeDir: '/nonexistent' });

const undo: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of undo.splice(0).reverse()) await step();
});

async function setup(options: { prompter?: Prompter; iam?: IAMClientType; signal?: AbortSignal; stdout?: (text: string) => void } = {}) {
  const { home: dir } = await tempHome();
  const lines: string[] = [];
  const printed: string[] = [];
  const ctx = {
    stdout: options.stdout ?? ((text: string) => void printed.push(text)),
    signal: options.signal ?? new AbortController().signal,
    iam: options.iam ?? (await clients().iam({})),
    prompter: options.prompter ?? nonInteractivePrompter,
    clock: fakeClock(Date.now()),
    credentialsPath: join(dir, '.aws', 'credentials'),
    configPath: join(dir, '.aws', 'config'),
    cwd: dir,
    log: (line: string) => lines.push(line),
  };
  return { dir, ctx, lines, printed, create: (o: CreateKeyOptions) => createAccessKey(ctx, o) };
}

const EXISTING = '# my keys, keep this\n[acme.prod]\naws_access_key_id = AKIAACMEACMEACMEACME\naws_secret_access_key = acme-secret\n';

describe('createAccessKey', () => {
  it('creates a key for the named user and stores it as a profile, keeping every other byte', async () => {
    const user = await createUser('alice');
    const { ctx, create } = await setup();
    await mkdir(join(ctx.cwd, '.aws'));
    await writeFile(ctx.credentialsPath, EXISTING, { mode: 0o600 });

    const key = await create({ user, writeProfile: user });

    expect(Object.keys(await keysOf(user))).toEqual([key.accessKeyId]);
    expect(await readFile(ctx.credentialsPath, 'utf8')).toBe(
      `${EXISTING}\n[${user}]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`,
    );
    expect(key.stored).toEqual([{ kind: 'profile', name: user, path: ctx.credentialsPath, created: false, warnings: [] }]);
    expect(await useKey(key)).toBe(`arn:aws:iam::123456789012:user/${user}`);
  });

  it("defaults to the user that owns the source credentials (GetUser without a name)", async () => {
    const user = await createUser('self');
    const own = await createKey(user);
    const iam = await clients().iam({ credentials: own });
    const { create } = await setup({ iam });

    const key = await create({ format: 'json' });

    expect(key.userName).toBe(user);
    expect(Object.keys(await keysOf(user)).sort()).toEqual([own.accessKeyId, key.accessKeyId].sort());
  });

  it('refuses without a destination and without a terminal, before calling IAM at all', async () => {
    // An IAM endpoint that refuses connections: any call would fail with a network error instead.
    const iam = new IAMClient({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    const { create } = await setup({ iam });

    const err = await create({ user: 'anyone' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(NeedsInputError);
    expect((err as NeedsInputError).hint).toBe('pass --write-profile NAME, --csv-file PATH, or --format env|json|csv');
  });

  it('asks where to put the key on a terminal, offering the user name as the profile name', async () => {
    const user = await createUser('asked');
    const prompter = fakePrompter({ 'create-key.destination': 'profile', 'create-key.profile-name': `${user}-dev` });
    const { ctx, create } = await setup({ prompter });

    const key = await create({ user });

    expect(prompter.asked).toEqual(['create-key.destination', 'create-key.profile-name']);
    expect(await readFile(ctx.credentialsPath, 'utf8')).toBe(
      `[${user}-dev]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`,
    );
    expect((await stat(ctx.credentialsPath)).mode & 0o777).toBe(0o600);
  });

  it('writes the CSV at mode 0600 and refuses to replace an existing one without --force', async () => {
    const user = await createUser('csv');
    const { ctx, create } = await setup();
    const key = await create({ user, csvFile: 'keys.csv' });
    const path = join(ctx.cwd, 'keys.csv');

    expect(await readFile(path, 'utf8')).toBe(
      `User Name,Access key ID,Secret access key\n${user},${key.accessKeyId},${key.secretAccessKey}\n`,
    );
    expect((await stat(path)).mode & 0o777).toBe(0o600);

    const err = await create({ user, csvFile: 'keys.csv' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NeedsInputError);
    expect((err as Error).message).toBe(`${path} already exists; no key was created.`);
    expect((err as NeedsInputError).hint).toBe('pass --force to replace it, or choose another --csv-file');
    expect(Object.keys(await keysOf(user))).toEqual([key.accessKeyId]);

    await chmod(path, 0o644);
    const replaced = await create({ user, csvFile: 'keys.csv', force: true });
    expect(await readFile(path, 'utf8')).toContain(replaced.accessKeyId);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('will not overwrite a profile that already holds a key unless --force (its secret would be lost)', async () => {
    const user = await createUser('replace');
    const { ctx, create } = await setup();
    await mkdir(join(ctx.cwd, '.aws'));
    await writeFile(ctx.credentialsPath, EXISTING);

    const err = await create({ user, writeProfile: 'acme.prod' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NeedsInputError);
    expect((err as Error).message).toBe(
      `Profile "acme.prod" in ${ctx.credentialsPath} already holds access key AKIAACMEACMEACMEACME; no key was created.`,
    );
    expect(await keysOf(user)).toEqual({});
    expect(await readFile(ctx.credentialsPath, 'utf8')).toBe(EXISTING);

    const key = await create({ user, writeProfile: 'acme.prod', force: true });
    expect(await readFile(ctx.credentialsPath, 'utf8')).toBe(
      `# my keys, keep this\n[acme.prod]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`,
    );
  });

  it('on a terminal, asks before replacing a profile that holds a key, and a no changes nothing (CancelledError)', async () => {
    const user = await createUser('askreplace');
    const no = fakePrompter({ 'create-key.replace-profile': false });
    const first = await setup({ prompter: no });
    await mkdir(join(first.ctx.cwd, '.aws'));
    await writeFile(first.ctx.credentialsPath, EXISTING);

    const err = await first.create({ user, writeProfile: 'acme.prod' }).catch((e: unknown) => e);

    expect(no.asked).toEqual(['create-key.replace-profile']);
    expect(err).toBeInstanceOf(CancelledError);
    expect((err as CancelledError).exitCode).toBe(14);
    expect((err as Error).message).toBe(
      `Profile "acme.prod" in ${first.ctx.credentialsPath} already holds access key AKIAACMEACMEACMEACME; nothing was replaced and no key was created.`,
    );
    expect(await keysOf(user)).toEqual({});
    expect(await readFile(first.ctx.credentialsPath, 'utf8')).toBe(EXISTING);

    const yes = fakePrompter({ 'create-key.replace-profile': true });
    const second = await setup({ prompter: yes });
    await mkdir(join(second.ctx.cwd, '.aws'));
    await writeFile(second.ctx.credentialsPath, EXISTING);
    const key = await second.create({ user, writeProfile: 'acme.prod' });
    expect(await readFile(second.ctx.credentialsPath, 'utf8')).toContain(`aws_access_key_id = ${key.accessKeyId}\n`);
  });

  it('fails on a malformed credentials file naming the line, before any key is created', async () => {
    const user = await createUser('malformed');
    const { ctx, create } = await setup();
    await mkdir(join(ctx.cwd, '.aws'));
    const broken = '[ok]\naws_access_key_id = AKIA\n[unterminated\n';
    await writeFile(ctx.credentialsPath, broken);

    const err = await create({ user, writeProfile: 'new' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(FileError);
    expect((err as Error).message).toMatch(new RegExp(`^${escape(ctx.credentialsPath)} line 3: `));
    expect(await keysOf(user)).toEqual({});
    expect(await readFile(ctx.credentialsPath, 'utf8')).toBe(broken);
  });

  it('prints the key on stdout (--format) before anything else is written', async () => {
    const user = await createUser('printed');
    const { printed, create } = await setup();

    const key = await create({ user, format: 'csv' });

    expect(printed).toEqual([`User Name,Access key ID,Secret access key\n${user},${key.accessKeyId},${key.secretAccessKey}\n`]);
  });

  it.each([
    ['EPIPE', 'the reader closed the pipe'],
    ['ENOSPC', 'no space left on the device'],
  ])('deletes the new key again when stdout fails with %s, and leaves the files as they were', async (code, problem) => {
    const user = await createUser('stdoutfail');
    const failing = () => {
      throw Object.assign(new Error(`${code}: write failed`), { code });
    };
    const { ctx, create } = await setup({ stdout: failing });

    const err = await create({ user, format: 'json', csvFile: 'keys.csv', writeProfile: 'p' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(CliError);
    const id = /The new key (\w+) was deleted/.exec((err as Error).message)?.[1];
    expect({ code: (err as CliError).exitCode, message: (err as Error).message, hint: (err as CliError).hint }).toEqual({
      code: 15,
      message: `Could not write the new key to stdout (${problem}). The new key ${id ?? '?'} was deleted again; nothing changed.`,
      hint: 'keep stdout open until awskeys ends (a file, or a reader that reads everything), or use --write-profile or --csv-file',
    });
    expect(await keysOf(user)).toEqual({});
    await expect(stat(join(ctx.cwd, 'keys.csv'))).rejects.toThrow(/ENOENT/);
    await expect(stat(ctx.credentialsPath)).rejects.toThrow(/ENOENT/);
  });

  it('says an unknown user does not exist (NotFoundError)', async () => {
    const { create } = await setup();
    const err = await create({ user: 'nobody-here-42', format: 'env' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).toBe('IAM user "nobody-here-42" does not exist.');
  });

  it('refuses before creating a key when the folder of the credentials file is not writable', async () => {
    const user = await createUser('readonly');
    const { ctx, create } = await setup();
    const awsDir = join(ctx.cwd, '.aws');
    await mkdir(awsDir);
    await lockFolder(awsDir);

    const err = await create({ user, writeProfile: 'new' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(FileError);
    expect((err as Error).message).toBe(`Cannot write ${ctx.credentialsPath}: permission denied.`);
    expect(await keysOf(user)).toEqual({});
  });

  it('deletes the new key again when the profile write fails after all, and puts the CSV back', async () => {
    const user = await createUser('rollback');
    const awsDir = { path: '' };
    // The folder turns read-only between the checks and the write (say, another tool's chmod).
    const iam = await clientThat({ after: 'CreateAccessKeyCommand', run: () => lockFolder(awsDir.path) });
    const { ctx, create } = await setup({ iam });
    awsDir.path = join(ctx.cwd, '.aws');
    await mkdir(awsDir.path);
    await writeFile(ctx.credentialsPath, EXISTING);
    // The console's CSV downloads start with a BOM: putting the file back keeps it.
    await writeFile(join(ctx.cwd, 'keys.csv'), '\uFEFFold csv\n');

    const err = await create({ user, writeProfile: 'new', csvFile: 'keys.csv', force: true }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(3);
    expect((err as Error).message).toMatch(/^Cannot .* permission denied\. The new key AKIA\w+ was deleted again; nothing changed\.$/);
    expect(await keysOf(user)).toEqual({});
    expect(await readFile(ctx.credentialsPath, 'utf8')).toBe(EXISTING);
    expect(await readFile(join(ctx.cwd, 'keys.csv'), 'utf8')).toBe('\uFEFFold csv\n');
  });

  it('names the key to delete by hand when deleting it again also fails', async () => {
    const user = await createUser('stuck');
    const awsDir = { path: '' };
    const iam = await clientThat({ after: 'CreateAccessKeyCommand', run: () => lockFolder(awsDir.path) });
    iam.middlewareStack.add(
      (next, context) => (args) =>
        context.commandName === 'DeleteAccessKeyCommand'
          ? Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }))
          : next(args),
      { step: 'initialize' },
    );
    const { ctx, create } = await setup({ iam });
    awsDir.path = join(ctx.cwd, '.aws');
    await mkdir(awsDir.path);

    const err = await create({ user, writeProfile: 'new' }).catch((e: unknown) => e);

    const [stuck] = Object.keys(await keysOf(user));
    expect((err as CliError).exitCode).toBe(3);
    expect((err as Error).message).toBe(
      `Cannot create the lock file ${ctx.credentialsPath}.lock: permission denied. The new key ${stuck} could not be deleted again (DeleteAccessKey: Throttling: Rate exceeded); it exists but its secret was stored nowhere.`,
    );
    expect((err as CliError).hint).toBe(`delete it: awskeys iam delete-key --user ${user} --access-key-id ${stuck} --yes`);
  });
});

describe('createAccessKey when the user already has two keys', () => {
  it('without a terminal, fails with exit 6, shows both keys, and hints the command that frees a slot', async () => {
    const user = await createUser('full');
    const a = await createKey(user);
    const b = await createKey(user);
    await deactivate(user, b.accessKeyId);
    const { create, lines } = await setup();

    const err = await create({ user, format: 'env', sourceProfile: 'admin' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(KeyQuotaError);
    expect((err as Error).message).toBe(`IAM user "${user}" already has 2 access keys; no key was created.`);
    expect((err as KeyQuotaError).hint).toBe(`awskeys iam delete-key --user ${user} --access-key-id ${b.accessKeyId} --yes --profile admin`);
    // The days moto stamped: a test that runs across midnight UTC must not expect the new one.
    const day = (d: Date) => d.toISOString().slice(0, 10);
    expect(lines).toEqual([
      `IAM user "${user}" already has 2 access keys, the most IAM allows (inactive keys count too):`,
      `  ${a.accessKeyId}  Active    created ${day(a.createdAt)} (today)  never used`,
      `  ${b.accessKeyId}  Inactive  created ${day(b.createdAt)} (today)  never used`,
    ]);
    expect(await keysOf(user)).toEqual({ [a.accessKeyId]: 'Active', [b.accessKeyId]: 'Inactive' });
  });

  it('on a terminal, deletes the chosen key and then creates the new one', async () => {
    const user = await createUser('room');
    const a = await createKey(user);
    const b = await createKey(user);
    const prompter = fakePrompter({ 'create-key.make-room': `delete:${a.accessKeyId}` });
    const { create, lines } = await setup({ prompter });

    const key = await create({ user, format: 'json' });

    expect(prompter.asked).toEqual(['create-key.make-room']);
    expect(lines.at(-1)).toBe(`Deleted access key ${a.accessKeyId} of IAM user "${user}".`);
    expect(Object.keys(await keysOf(user)).sort()).toEqual([b.accessKeyId, key.accessKeyId].sort());
  });

  it('asks which key to remove before where to store, and removes nothing when the destination fails its checks', async () => {
    const user = await createUser('order');
    const a = await createKey(user);
    const b = await createKey(user);
    const prompter = fakePrompter({
      'create-key.make-room': `delete:${a.accessKeyId}`,
      'create-key.destination': 'profile',
      'create-key.profile-name': 'p',
    });
    const { ctx, create } = await setup({ prompter });
    await mkdir(join(ctx.cwd, '.aws'));
    await writeFile(ctx.credentialsPath, 'not ini at all\n');

    const err = await create({ user }).catch((e: unknown) => e);

    expect(prompter.asked).toEqual(['create-key.make-room', 'create-key.destination', 'create-key.profile-name']);
    expect(err).toBeInstanceOf(FileError);
    expect(Object.keys(await keysOf(user)).sort()).toEqual([a.accessKeyId, b.accessKeyId].sort());
  });

  it('asks to type the id of an Active key used in the last 30 days, and changes nothing on a mismatch', async () => {
    const user = await createUser('busy');
    const a = await createKey(user);
    const b = await createKey(user);
    await useKey(a);

    const wrong = fakePrompter({ 'create-key.make-room': `delete:${a.accessKeyId}`, 'create-key.confirm-key-id': b.accessKeyId });
    const err = await (await setup({ prompter: wrong })).create({ user, format: 'json' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyQuotaError);
    expect(Object.keys(await keysOf(user)).sort()).toEqual([a.accessKeyId, b.accessKeyId].sort());

    const right = fakePrompter({ 'create-key.make-room': `delete:${a.accessKeyId}`, 'create-key.confirm-key-id': a.accessKeyId });
    const key = await (await setup({ prompter: right })).create({ user, format: 'json' });
    expect(right.asked).toEqual(['create-key.make-room', 'create-key.confirm-key-id']);
    expect(Object.keys(await keysOf(user)).sort()).toEqual([b.accessKeyId, key.accessKeyId].sort());
  });

  it('can only deactivate a key, which frees no slot: it says so and creates nothing', async () => {
    const user = await createUser('deact');
    const a = await createKey(user);
    const b = await createKey(user);
    const prompter = fakePrompter({ 'create-key.make-room': `deactivate:${b.accessKeyId}` });

    const err = await (await setup({ prompter })).create({ user, format: 'json' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(KeyQuotaError);
    expect((err as KeyQuotaError).hint).toBe(
      `once nothing broke, run: awskeys iam delete-key --user ${user} --access-key-id ${b.accessKeyId} --yes and create again`,
    );
    expect(await keysOf(user)).toEqual({ [a.accessKeyId]: 'Active', [b.accessKeyId]: 'Inactive' });
  });

  it('maps a LimitExceeded from CreateAccessKey itself (a key created meanwhile) to the same error', async () => {
    const user = await createUser('race');
    // Someone else fills the quota right after we looked.
    const iam = await clientThat({ after: 'ListAccessKeysCommand', run: async () => [await createKey(user), await createKey(user)] });
    const { create } = await setup({ iam });

    const err = await create({ user, format: 'json' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(KeyQuotaError);
    expect((err as Error).message).toBe(`IAM user "${user}" already has 2 access keys; no key was created.`);
    expect(Object.keys(await keysOf(user))).toHaveLength(2);
  });
});

describe('createAccessKey and Ctrl-C (the signal)', () => {
  it('lets an interrupted CreateAccessKey finish, deletes the new key again, and writes nothing', async () => {
    const user = await createUser('intcreate');
    const controller = new AbortController();
    const iam = await clientThat({ after: 'CreateAccessKeyCommand', run: () => Promise.resolve(controller.abort()) });
    const { ctx, create } = await setup({ iam, signal: controller.signal });
    await mkdir(join(ctx.cwd, '.aws'));
    await writeFile(ctx.credentialsPath, EXISTING);

    const err = await create({ user, writeProfile: user, csvFile: 'keys.csv' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(InterruptedError);
    expect((err as InterruptedError).exitCode).toBe(130);
    expect((err as Error).message).toMatch(/^Interrupted before the new key was stored\. The new key AKIA\w+ was deleted again; nothing changed\.$/);
    expect(await keysOf(user)).toEqual({});
    expect(await readFile(ctx.credentialsPath, 'utf8')).toBe(EXISTING);
    await expect(stat(join(ctx.cwd, 'keys.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('stops a read that Ctrl-C interrupts, before anything is created', async () => {
    const user = await createUser('intread');
    const controller = new AbortController();
    const iam = await clients().iam({});
    // Ctrl-C lands as ListAccessKeys is about to go out: the SDK's AbortError becomes exit 130.
    iam.middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'ListAccessKeysCommand') controller.abort();
        return next(args);
      },
      { step: 'initialize' },
    );
    const { create } = await setup({ iam, signal: controller.signal });

    const err = await create({ user, format: 'json' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(InterruptedError);
    expect((err as Error).message).toBe('Interrupted; nothing was written.');
    expect(await keysOf(user)).toEqual({});
  });

  it('after deleting a key to make room, creates nothing and says the deleted key stays deleted', async () => {
    const user = await createUser('introom');
    const a = await createKey(user);
    const b = await createKey(user);
    const controller = new AbortController();
    const iam = await clientThat({ after: 'DeleteAccessKeyCommand', run: () => Promise.resolve(controller.abort()) });
    const prompter = fakePrompter({ 'create-key.make-room': `delete:${a.accessKeyId}` });
    const { create } = await setup({ iam, prompter, signal: controller.signal });

    const err = await create({ user, format: 'json' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(InterruptedError);
    expect((err as Error).message).toBe(`Interrupted; access key ${a.accessKeyId} was deleted to make room, but no key was created.`);
    expect(await keysOf(user)).toEqual({ [b.accessKeyId]: 'Active' });
  });

  it('choosing Cancel at the quota menu is a CancelledError (exit 14) that changes nothing', async () => {
    const user = await createUser('cancel');
    const a = await createKey(user);
    const b = await createKey(user);
    const prompter = fakePrompter({ 'create-key.make-room': 'cancel' });

    const err = await (await setup({ prompter })).create({ user, format: 'json' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(CancelledError);
    expect((err as Error).message).toBe('Cancelled; no key was changed and no key was created.');
    expect(await keysOf(user)).toEqual({ [a.accessKeyId]: 'Active', [b.accessKeyId]: 'Active' });
  });
});

/** An SDK client for moto that runs `run` right after `after` succeeds: a real-world race. */
async function clientThat(hook: { after: string; run: () => Promise<unknown> }): Promise<IAMClientType> {
  const iam = await clients().iam({});
  iam.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      if (context.commandName === hook.after) await hook.run();
      return out;
    },
    { step: 'initialize' },
  );
  return iam;
}

/** Makes a folder unwritable, even for root (whom permission bits do not stop). */
async function lockFolder(dir: string): Promise<void> {
  if (isRoot) {
    await run('chattr', ['+i', dir]);
    undo.push(() => run('chattr', ['-i', dir]));
  } else {
    await chmod(dir, 0o500);
    undo.push(() => chmod(dir, 0o700));
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

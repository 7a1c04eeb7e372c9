import { spawnCollecting } from './support/spawn.js';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Prompter } from '../src/prompt/prompter.js';
import { ensureBuilt } from './support/built.js';
import { binPath, repoRoot, runInProcess, tempHome, type InProcessResult } from './support/cli.js';
import { startDelayProxy, type DelayProxy } from './support/delay-proxy.js';
import { fakePrompter } from './support/fake-prompter.js';
import { StopRequest } from '../src/errors/stop-signal.js';
import { createKey, createUser, keysOf, motoEnv } from './iam-fixtures.js';

/**
 * Ctrl-C while IAM calls are in flight. A proxy holds every request to moto for a while (a slow
 * network), and the test presses Ctrl-C (aborts the signal, or sends SIGINT to the built binary)
 * when a given call reaches it. Reads stop at once; a CreateAccessKey already sent is allowed to
 * finish and its key is deleted again; nothing is ever written.
 */
const EXISTING = '# work account\n[acme.prod]\naws_access_key_id = AKIAACMEACMEACMEACME\naws_secret_access_key = acme-secret\n';
const CONFIG = '[default]\nregion = us-east-1\n';

/**
 * "At once" on a loaded CI machine: the run must end well within PROMPTLY_MS of Ctrl-C, while the
 * proxy holds the call for HELD_MS, so only a call really cut short can pass.
 */
const HELD_MS = 20_000;
const PROMPTLY_MS = 8_000;

let proxy: DelayProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

/** A temp HOME with both AWS files, and the env that sends IAM calls through a slow proxy. */
async function slowHome(delayMs: number) {
  proxy = await startDelayProxy(motoEnv().AWS_ENDPOINT_URL_IAM ?? '', delayMs);
  const { home: dir, env } = await tempHome();
  const awsDir = join(dir, '.aws');
  await mkdir(awsDir, { mode: 0o700 });
  await writeFile(join(awsDir, 'credentials'), EXISTING, { mode: 0o600 });
  await writeFile(join(awsDir, 'config'), CONFIG, { mode: 0o600 });
  const snapshot = async () => ({
    files: (await readdir(awsDir)).sort(),
    credentials: await readFile(join(awsDir, 'credentials')),
    config: await readFile(join(awsDir, 'config')),
  });
  return {
    proxy,
    dir,
    awsDir,
    env: { ...env, ...motoEnv(), AWS_ENDPOINT_URL_IAM: proxy.url },
    before: await snapshot(),
    snapshot,
  };
}

/** Starts an in-process run, presses Ctrl-C once `action` reaches the proxy, and times the rest. */
async function interruptAt(
  action: string,
  h: Awaited<ReturnType<typeof slowHome>>,
  argv: string[],
  prompter?: Prompter,
): Promise<InProcessResult & { afterAbortMs: number }> {
  const controller = new AbortController();
  const running = runInProcess(argv, { env: h.env, signal: controller.signal, ...(prompter ? { prompter } : {}) });
  await h.proxy.arrived(action);
  const abortedAt = Date.now();
  controller.abort();
  const result = await running;
  return { ...result, afterAbortMs: Date.now() - abortedAt };
}

describe('Ctrl-C during iam create-key, with a slow network in front of moto', () => {
  it('stops a call in flight at once (ListAccessKeys): exit 130, no key, files byte-identical', async () => {
    const user = await createUser('hank');
    const h = await slowHome(HELD_MS);

    const r = await interruptAt('ListAccessKeys', h, ['iam', 'create-key', '--user', user, '--write-profile', user]);

    expect(r).toMatchObject({ code: 130, stdout: '', stderr: 'awskeys: error: Interrupted; nothing was written.\n' });
    expect(r.afterAbortMs).toBeLessThan(PROMPTLY_MS);
    expect(h.proxy.actions).toEqual(['ListAccessKeys']);
    expect(await keysOf(user)).toEqual({});
    expect(await h.snapshot()).toEqual(h.before);
  });

  it('lets a CreateAccessKey already sent finish, deletes that key again, and writes nothing: exit 130', async () => {
    const user = await createUser('hank');
    const h = await slowHome(500);

    const r = await interruptAt('CreateAccessKey', h, ['iam', 'create-key', '--user', user, '--write-profile', user]);

    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^awskeys: error: Interrupted before the new key was stored\. The new key AKIA\w+ was deleted again; nothing changed\.\n$/,
    );
    expect(h.proxy.actions).toEqual(['ListAccessKeys', 'CreateAccessKey', 'DeleteAccessKey']);
    expect(await keysOf(user)).toEqual({});
    expect(await h.snapshot()).toEqual(h.before);
  });
});

describe('Ctrl-C during the other iam commands', () => {
  it('list-keys: stops with exit 130 and prints nothing on stdout', async () => {
    const user = await createUser('lister');
    await createKey(user);
    const h = await slowHome(HELD_MS);

    const r = await interruptAt('ListAccessKeys', h, ['iam', 'list-keys', '--user', user]);

    expect(r).toMatchObject({ code: 130, stdout: '', stderr: 'awskeys: error: Interrupted; nothing was written.\n' });
    expect(r.afterAbortMs).toBeLessThan(PROMPTLY_MS);
  });

  it('delete-key: Ctrl-C while the confirmation is on screen sends nothing, even if the answer was yes', async () => {
    const user = await createUser('keeper');
    const { accessKeyId: id } = await createKey(user);
    const h = await slowHome(0);
    const controller = new AbortController();
    const base = fakePrompter({ 'delete-key.confirm': true });
    const prompter: Prompter = {
      ...base,
      confirm: (q) => {
        controller.abort();
        return base.confirm(q);
      },
    };

    const r = await runInProcess(['iam', 'delete-key', '--user', user, '--access-key-id', id], { env: h.env, prompter, signal: controller.signal });

    expect(r).toEqual({
      code: 130,
      stdout: '',
      stderr: `awskeys: error: Interrupted; access key ${id} of IAM user "${user}" was not changed.\n`,
    });
    expect(h.proxy.actions).toEqual([]);
    expect(await keysOf(user)).toEqual({ [id]: 'Active' });
  });
});

describe('SIGTERM and SIGHUP name themselves (the run aborted with their StopRequest, as the entry does)', () => {
  it.each([
    ['SIGTERM', 143, 'Stopped by SIGTERM'],
    ['SIGHUP', 129, 'Stopped by SIGHUP (hang-up)'],
  ] as const)('list-keys stopped by %s: exit %i, "%s; nothing was written."', async (signal, code, stoppedBy) => {
    const user = await createUser('lister');
    const h = await slowHome(HELD_MS);
    const controller = new AbortController();
    const running = runInProcess(['iam', 'list-keys', '--user', user], { env: h.env, signal: controller.signal });
    await h.proxy.arrived('ListAccessKeys');
    controller.abort(new StopRequest(signal));

    expect(await running).toEqual({ code, stdout: '', stderr: `awskeys: error: ${stoppedBy}; nothing was written.\n` });
  });
});

describe('SIGINT to the built binary during iam create-key', () => {
  beforeAll(ensureBuilt, 120_000);

  it.each([
    ['while ListAccessKeys is in flight', 'ListAccessKeys', /^awskeys: error: Interrupted; nothing was written\.\n$/],
    [
      'while CreateAccessKey is in flight',
      'CreateAccessKey',
      /^awskeys: error: Interrupted before the new key was stored\. The new key AKIA\w+ was deleted again; nothing changed\.\n$/,
    ],
  ])('%s: exit 130, no key, files byte-identical', async (_when, action, stderr) => {
    const user = await createUser('hank');
    const h = await slowHome(1000);
    const { child, exited } = spawnCollecting(
      process.execPath,
      [binPath, 'iam', 'create-key', '--user', user, '--write-profile', user],
      { cwd: repoRoot, env: { PATH: process.env.PATH, ...h.env } },
    );

    await h.proxy.arrived(action);
    child.kill('SIGINT');
    const { code, stdout: out, stderr: err } = await exited;

    expect({ code, out }).toEqual({ code: 130, out: '' });
    expect(err).toMatch(stderr);
    expect(await keysOf(user)).toEqual({});
    expect(await h.snapshot()).toEqual(h.before);
  });
});

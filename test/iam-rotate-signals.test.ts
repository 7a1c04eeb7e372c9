import type { ChildProcess } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { finishingRollback } from '../src/cli/critical-section.js';
import { ensureBuilt } from './support/built.js';
import { binPath, repoRoot } from './support/cli.js';
import type { SeenRequest } from './support/fault-proxy.js';
import { spawnCollecting } from './support/spawn.js';
import { holdLock } from './support/held-lock.js';
import { createUser, keysOf, motoEnv } from './iam-fixtures.js';
import { startFaultProxy } from './support/fault-proxy.js';
import { tempHome } from './support/cli.js';
import { expectProfileWorks, statuses, useAuthMoto, type RotationHome } from './iam-rotate-fixtures.js';

/**
 * SIGTERM (`timeout`, a cancelled CI job) and SIGHUP (a dropped SSH session) stop `iam rotate` and
 * `iam create-key` exactly like Ctrl-C: the same rollback, the same account of where things stand
 * (naming the signal), and exit 128 + the signal's number. Real signals go to the built binary
 * while the fault proxy holds the request of the step under test.
 */

beforeAll(ensureBuilt, 120_000);

const kit = useAuthMoto();
const setUp = (prefix: string) => kit.home(prefix);

function startRotation(s: RotationHome) {
  return spawnCollecting(process.execPath, [binPath, 'iam', 'rotate', '--profile', 'dev', '--yes'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, ...s.env },
  });
}

/**
 * Sends `signal` and waits until the process has taken it (no longer pending in /proc): a second
 * one sent before that would merge with the first, as the kernel keeps one pending of each.
 */
async function sendTaken(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  child.kill(signal);
  const pending = async () => {
    const status = await readFile(`/proc/${child.pid ?? 0}/status`, 'utf8').catch(() => '');
    return /^(SigPnd|ShdPnd):\s*0*[1-9a-f]/m.test(status);
  };
  await expect.poll(pending, { timeout: 5_000, interval: 5 }).toBe(false);
}

const EXIT = { SIGTERM: 143, SIGHUP: 129 } as const;
/** How the one-line error names the signal (Ctrl-C keeps "Interrupted"). */
const STOPPED_BY = { SIGTERM: 'Stopped by SIGTERM', SIGHUP: 'Stopped by SIGHUP (hang-up)' } as const;
/** The same mid-sentence: "Rotation of profile dev was stopped by SIGTERM at ..." (Ctrl-C: "interrupted (Ctrl-C)"). */
const WAS_STOPPED_BY = { SIGTERM: 'stopped by SIGTERM', SIGHUP: 'stopped by SIGHUP (hang-up)' } as const;
const SIGNALS = ['SIGTERM', 'SIGHUP'] as const;
const isNewKeyCheck = (s: RotationHome) => (r: SeenRequest) => r.action === 'GetCallerIdentity' && r.signedBy !== s.old.accessKeyId;
const dryRunHint = '(hint: see what would happen: awskeys iam rotate --profile dev --dry-run)';

describe.each(SIGNALS)('%s during awskeys iam rotate (the built binary)', (signal) => {
  it('while the user keys are listed (a read): stops at once, nothing changed', async () => {
    const s = await setUp(`${signal.toLowerCase()}plan`);
    const before = await s.snapshot();
    s.proxy.faults.push({ action: 'ListAccessKeys', effect: 'delay', delayMs: 20_000 });
    const run = startRotation(s);
    await s.proxy.arrival((r) => r.action === 'ListAccessKeys');
    run.child.kill(signal);
    const r = await run.exited;

    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
      code: EXIT[signal],
      stdout: '',
      stderr: `awskeys: error: ${STOPPED_BY[signal]}; nothing was written.\n`,
    });
    expect(await statuses(kit.moto, s.user)).toEqual({ [s.old.accessKeyId]: 'Active' });
    expect(await s.snapshot()).toEqual(before);
  });

  it.each([
    ['create the new key', (q: SeenRequest) => q.action === 'CreateAccessKey'],
    ['check that the new key works', null],
  ] as const)('at "%s": rolled back, the new key deleted, the files unchanged', async (step, match) => {
    const s = await setUp(`${signal.toLowerCase()}step`);
    const before = await s.snapshot();
    const held = match ?? isNewKeyCheck(s);
    s.proxy.faults.push({ action: '*', when: held, effect: 'delay', delayMs: match ? 500 : 20_000 });
    const run = startRotation(s);
    await s.proxy.arrival(held);
    run.child.kill(signal);
    const r = await run.exited;

    const fresh = s.proxy.seen.find((q) => q.action === 'DeleteAccessKey')?.params.AccessKeyId ?? '?';
    expect({ code: r.code, last: r.stderr.split('\n').at(-2) }).toEqual({
      code: EXIT[signal],
      last:
        `awskeys: error: Rotation of profile dev was ${WAS_STOPPED_BY[signal]} at "${step}". ` +
        `Now: profile dev still uses ${s.old.accessKeyId} (Active); the files are unchanged; the new key ${fresh} was deleted. ${dryRunHint}`,
    });
    expect(await statuses(kit.moto, s.user)).toEqual({ [s.old.accessKeyId]: 'Active' });
    expect(await s.snapshot()).toEqual(before);
    await expectProfileWorks(kit.moto, s);
  });

  it('while it waits for the credentials file lock to write the new key: rolled back, the new key deleted', async () => {
    const s = await setUp(`${signal.toLowerCase()}write`);
    // Another writer (this test process, alive) holds the credentials file's lock.
    await writeFile(`${s.credentials}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), token: 'test' }), { mode: 0o600 });
    const before = await s.snapshot();
    const run = startRotation(s);
    await expect.poll(() => run.out.stderr, { timeout: 15_000 }).toContain('It works:');
    run.child.kill(signal);
    const r = await run.exited;

    const fresh = s.proxy.seen.find((q) => q.action === 'DeleteAccessKey')?.params.AccessKeyId ?? '?';
    expect({ code: r.code, last: r.stderr.split('\n').at(-2) }).toEqual({
      code: EXIT[signal],
      last:
        `awskeys: error: Rotation of profile dev was ${WAS_STOPPED_BY[signal]} at "write the new key into the files". ` +
        `Now: profile dev still uses ${s.old.accessKeyId} (Active); the files are unchanged; the new key ${fresh} was deleted. ${dryRunHint}`,
    });
    expect(await statuses(kit.moto, s.user)).toEqual({ [s.old.accessKeyId]: 'Active' });
    expect(await s.snapshot()).toEqual(before);
  });

  it('while the old key is deactivated: that change completes; the profile keeps the new key, the old one stays Inactive', async () => {
    const s = await setUp(`${signal.toLowerCase()}deact`);
    s.proxy.faults.push({ action: 'UpdateAccessKey', params: { Status: 'Inactive' }, effect: 'delay', delayMs: 500 });
    const run = startRotation(s);
    await s.proxy.arrival((q) => q.action === 'UpdateAccessKey');
    run.child.kill(signal);
    const r = await run.exited;

    const fresh = await expectProfileWorks(kit.moto, s);
    expect(await statuses(kit.moto, s.user)).toEqual({ [s.old.accessKeyId]: 'Inactive', [fresh]: 'Active' });
    expect({ code: r.code, last: r.stderr.split('\n').at(-2) }).toEqual({
      code: EXIT[signal],
      last:
        `awskeys: error: Rotated profile dev to ${fresh}, which works, but was ${WAS_STOPPED_BY[signal]} before deleting the old key ${s.old.accessKeyId}. ` +
        'It is Inactive: nothing can sign with it. ' +
        `(hint: delete it: awskeys iam delete-key --user ${s.user} --access-key-id ${s.old.accessKeyId} --yes --profile dev)`,
    });
  });

  it('while the old key is deleted (the last step): that change completes, and the rotation is reported done (exit 0)', async () => {
    const s = await setUp(`${signal.toLowerCase()}del`);
    s.proxy.faults.push({ action: 'DeleteAccessKey', effect: 'delay', delayMs: 500 });
    const run = startRotation(s);
    await s.proxy.arrival((q) => q.action === 'DeleteAccessKey');
    run.child.kill(signal);
    const r = await run.exited;

    const fresh = await expectProfileWorks(kit.moto, s);
    expect(await statuses(kit.moto, s.user)).toEqual({ [fresh]: 'Active' });
    expect({ code: r.code, last: r.stderr.split('\n').at(-2) }).toEqual({
      code: 0,
      last: `Rotated profile dev: ${s.old.accessKeyId} -> ${fresh}.`,
    });
  });
});

describe.each(SIGNALS)('%s during awskeys iam create-key (the built binary)', (signal) => {
  it('while the key is being created: the creation finishes, then the key is deleted again', async () => {
    const user = await createUser(`${signal.toLowerCase()}ck`);
    const { env } = await tempHome();
    const proxy = await startFaultProxy(motoEnv().AWS_ENDPOINT_URL_IAM ?? '');
    try {
      proxy.faults.push({ action: 'CreateAccessKey', effect: 'delay', delayMs: 500 });
      const run = spawnCollecting(process.execPath, [binPath, 'iam', 'create-key', '--user', user, '--format', 'json'], {
        cwd: repoRoot,
        env: { PATH: process.env.PATH, ...env, ...motoEnv(), AWS_ENDPOINT_URL_IAM: proxy.url },
      });
      await proxy.arrival((q) => q.action === 'CreateAccessKey');
      run.child.kill(signal);
      const r = await run.exited;

      const fresh = proxy.seen.find((q) => q.action === 'DeleteAccessKey')?.params.AccessKeyId ?? '?';
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
        code: EXIT[signal],
        stdout: '',
        stderr: `awskeys: error: ${STOPPED_BY[signal]} before the new key was stored. The new key ${fresh} was deleted again; nothing changed.\n`,
      });
      expect(await keysOf(user)).toEqual({});
    } finally {
      await proxy.close();
    }
  });

  it("while it waits for the credentials file's lock to store the key: the key is deleted again, the files unchanged", async () => {
    const user = await createUser(`${signal.toLowerCase()}cklk`);
    const { home, env, credentials } = await tempHome({ credentials: '[other]\naws_access_key_id = AKIAOTHEROTHEROTHER1\naws_secret_access_key = o\n', modes: 'private' });
    const before = await readFile(credentials, 'utf8');
    const lock = await holdLock(credentials);
    const proxy = await startFaultProxy(motoEnv().AWS_ENDPOINT_URL_IAM ?? '');
    try {
      const run = spawnCollecting(process.execPath, [binPath, 'iam', 'create-key', '--user', user, '--write-profile', user], {
        cwd: repoRoot,
        env: { PATH: process.env.PATH, ...env, ...motoEnv(), AWS_ENDPOINT_URL_IAM: proxy.url },
      });
      await lock.noticed;
      run.child.kill(signal);
      const r = await run.exited;

      const fresh = proxy.seen.find((q) => q.action === 'DeleteAccessKey')?.params.AccessKeyId ?? '?';
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
        code: EXIT[signal],
        stdout: '',
        stderr: `awskeys: error: ${STOPPED_BY[signal]} while waiting for the lock ${credentials}.lock; nothing was written. The new key ${fresh} was deleted again; nothing changed.\n`,
      });
      expect(await keysOf(user)).toEqual({});
      expect(await readFile(credentials, 'utf8')).toBe(before);
      expect((await readdir(join(home, '.aws'))).sort()).toEqual(['credentials', 'credentials.lock']);
    } finally {
      await lock.release();
      await proxy.close();
    }
  });

  it.each([
    ['while the new key is deleted again', 'DeleteAccessKey', (user: string, fresh: string) =>
      `the new key ${fresh} of IAM user "${user}" may be left Active and stored nowhere; delete it: awskeys iam delete-key --user ${user} --access-key-id ${fresh} --yes`],
    ['while the key is still being created', 'CreateAccessKey', (user: string) =>
      `IAM may have created a new key for IAM user "${user}" whose secret is stored nowhere; check: awskeys iam list-keys --user ${user}`],
  ] as const)('a second signal %s only says the rollback is finishing; a third forces the quit, naming what it leaves', async (_when, heldAction, leftBehind) => {
    const user = await createUser(`${signal.toLowerCase()}ck3`);
    const { env } = await tempHome();
    const proxy = await startFaultProxy(motoEnv().AWS_ENDPOINT_URL_IAM ?? '');
    try {
      proxy.faults.push(
        { action: 'CreateAccessKey', effect: 'delay', delayMs: heldAction === 'CreateAccessKey' ? 20_000 : 500 },
        { action: 'DeleteAccessKey', effect: 'delay', delayMs: 20_000 },
      );
      const run = spawnCollecting(process.execPath, [binPath, 'iam', 'create-key', '--user', user, '--format', 'json'], {
        cwd: repoRoot,
        env: { PATH: process.env.PATH, ...env, ...motoEnv(), AWS_ENDPOINT_URL_IAM: proxy.url },
      });
      await proxy.arrival((q) => q.action === 'CreateAccessKey');
      await sendTaken(run.child, signal);
      await proxy.arrival((q) => q.action === heldAction);
      await sendTaken(run.child, signal);
      await expect.poll(() => run.out.stderr, { timeout: 10_000 }).toContain(finishingRollback(signal));
      const forcedAt = Date.now();
      run.child.kill(signal);
      const r = await run.exited;

      expect(Date.now() - forcedAt).toBeLessThan(8_000);
      const fresh = proxy.seen.find((q) => q.action === 'DeleteAccessKey')?.params.AccessKeyId ?? '?';
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
        code: EXIT[signal],
        stdout: '',
        stderr: `${finishingRollback(signal)}\nawskeys: force quit: ${leftBehind(user, fresh)}\n`,
      });
    } finally {
      await proxy.close();
    }
  });
});

import { spawnCollecting } from './support/spawn.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { finishingRollback } from '../src/cli/critical-section.js';
import { ensureBuilt } from './support/built.js';
import { binPath, repoRoot, runInProcess } from './support/cli.js';
import { fakeClock } from './support/fake-clock.js';
import {
  expectProfileWorks,
  statuses,
  useAuthMoto,
  type RotationHome,
  type SeenRequest,
} from './iam-rotate-fixtures.js';

/**
 * Ctrl-C during `iam rotate` is handled like a failure: what was done is undone, and the message
 * says exactly which key each profile holds, but the exit code is 130. A proxy in front of a moto
 * that checks signatures holds chosen requests (a slow network), and the test presses Ctrl-C
 * (aborts the signal, or sends SIGINT to the built binary) when one of them arrives.
 */

const kit = useAuthMoto();
const setUp = (prefix: string) => kit.home(prefix);

/** The check of the new key: GetCallerIdentity signed with anything but the old key. */
const verifyCall = (s: RotationHome) => (r: SeenRequest) => r.action === 'GetCallerIdentity' && r.signedBy !== s.old.accessKeyId;

/** The key the rollback deleted (the only DeleteAccessKey of a rotation interrupted before the end). */
function createdKey(s: RotationHome): string {
  return s.proxy.seen.find((q) => q.action === 'DeleteAccessKey')?.params.AccessKeyId ?? '';
}

const dryRunHint = '(hint: see what would happen: awskeys iam rotate --profile dev --dry-run)';

describe('Ctrl-C during awskeys iam rotate: everything is undone, exit 130', () => {
  it('while the new key is checked on a slow network: the check is cut short at once and the new key deleted', async () => {
    const s = await setUp('slowsts');
    const before = await s.snapshot();
    s.proxy.faults.push({ action: 'GetCallerIdentity', when: verifyCall(s), effect: 'delay', delayMs: 20_000 });
    const controller = new AbortController();
    let abortedAt = 0;
    s.proxy.onRequest = (q) => {
      if (verifyCall(s)(q)) {
        abortedAt = Date.now();
        controller.abort();
      }
    };

    const r = await runInProcess(['iam', 'rotate', '--profile', 'dev', '--yes'], { env: s.env, clock: fakeClock(Date.now()), signal: controller.signal });
    const afterAbortMs = Date.now() - abortedAt;

    const fresh = createdKey(s);
    expect(fresh).toMatch(/^AKIA/);
    // Well before the 20 s the proxy holds the check; wide, for a loaded CI machine.
    expect(afterAbortMs).toBeLessThan(8_000);
    expect(r).toEqual({
      code: 130,
      stdout: '',
      stderr:
        `Created access key ${fresh} for IAM user "${s.user}".\n` +
        'awskeys: error: Rotation of profile dev was interrupted (Ctrl-C) at "check that the new key works". ' +
        `Now: profile dev still uses ${s.old.accessKeyId} (Active); the files are unchanged; the new key ${fresh} was deleted. ${dryRunHint}\n`,
    });
    expect(await statuses(kit.moto, s.user)).toEqual({ [s.old.accessKeyId]: 'Active' });
    expect(await s.snapshot()).toEqual(before);
    await expectProfileWorks(kit.moto, s);
    // The delete was signed with the old key, after the one interrupted check.
    expect(s.proxy.seen.map((q) => `${q.action} ${q.signedBy === s.old.accessKeyId ? 'old' : 'new'}`)).toEqual([
      'GetCallerIdentity old',
      'ListAccessKeys old',
      'CreateAccessKey old',
      'GetCallerIdentity new',
      'DeleteAccessKey old',
    ]);
  });

  it('while the new key is being created: the creation is let finish, then the key is deleted again', async () => {
    const s = await setUp('ctrlc');
    const before = await s.snapshot();
    const controller = new AbortController();
    s.proxy.onRequest = (q) => {
      if (q.action === 'CreateAccessKey') controller.abort();
    };

    const r = await runInProcess(['iam', 'rotate', '--profile', 'dev', '--yes'], { env: s.env, clock: fakeClock(Date.now()), signal: controller.signal });

    const fresh = createdKey(s);
    expect(fresh).toMatch(/^AKIA/);
    expect(r.code).toBe(130);
    expect(r.stderr.split('\n').at(-2)).toBe(
      'awskeys: error: Rotation of profile dev was interrupted (Ctrl-C) at "create the new key". ' +
        `Now: profile dev still uses ${s.old.accessKeyId} (Active); the files are unchanged; the new key ${fresh} was deleted. ${dryRunHint}`,
    );
    expect(s.proxy.seen.some(verifyCall(s))).toBe(false);
    expect(await statuses(kit.moto, s.user)).toEqual({ [s.old.accessKeyId]: 'Active' });
    expect(await s.snapshot()).toEqual(before);
    await expectProfileWorks(kit.moto, s);
  });

  it('while the old key is being deactivated: that change completes, so the profile keeps the new key and the old one stays Inactive', async () => {
    const s = await setUp('ctrlcdeact');
    s.proxy.faults.push({ action: 'UpdateAccessKey', params: { Status: 'Inactive' }, effect: 'delay', delayMs: 300 });
    const controller = new AbortController();
    s.proxy.onRequest = (q) => {
      if (q.action === 'UpdateAccessKey') controller.abort();
    };

    const r = await runInProcess(['iam', 'rotate', '--profile', 'dev', '--yes'], { env: s.env, clock: fakeClock(Date.now()), signal: controller.signal });

    const fresh = await expectProfileWorks(kit.moto, s);
    expect(await statuses(kit.moto, s.user)).toEqual({ [s.old.accessKeyId]: 'Inactive', [fresh]: 'Active' });
    expect(r.code).toBe(130);
    expect(r.stderr.split('\n').at(-2)).toBe(
      `awskeys: error: Rotated profile dev to ${fresh}, which works, but was interrupted (Ctrl-C) before deleting the old key ${s.old.accessKeyId}. ` +
        'It is Inactive: nothing can sign with it. ' +
        `(hint: delete it: awskeys iam delete-key --user ${s.user} --access-key-id ${s.old.accessKeyId} --yes --profile dev)`,
    );
    expect(s.proxy.seen.filter((q) => q.action === 'DeleteAccessKey')).toEqual([]);
  });
});

/**
 * The second and third stop signal during a rollback, for each of the three: Ctrl-C at a terminal,
 * SIGTERM from `timeout` or `kill` (which often sends it again when the first seems ignored),
 * SIGHUP from a dropped session. The second only says the rollback is finishing (how to force it,
 * in that signal's terms); the third force-quits, naming the key it leaves behind.
 */
describe.each([
  ['SIGINT', 130, 'interrupted (Ctrl-C)'],
  ['SIGTERM', 143, 'stopped by SIGTERM'],
  ['SIGHUP', 129, 'stopped by SIGHUP (hang-up)'],
] as const)('%s to the built binary during awskeys iam rotate', (signal, exitCode, named) => {
  beforeAll(ensureBuilt, 120_000);
  const finishing = finishingRollback(signal);

  /** Starts `awskeys iam rotate --profile dev --yes` with the home's env, and collects its output. */
  function start(s: RotationHome) {
    const { child, out, exited } = spawnCollecting(process.execPath, [binPath, 'iam', 'rotate', '--profile', 'dev', '--yes'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, ...s.env },
    });
    return { child, out, exited: exited.then((r) => r.code) };
  }

  it(`a second ${signal} during the rollback does not stop it: the new key is still deleted, exit ${exitCode}`, async () => {
    const s = await setUp(`${signal.toLowerCase()}2`);
    const before = await s.snapshot();
    s.proxy.faults.push(
      { action: 'GetCallerIdentity', when: verifyCall(s), effect: 'delay', delayMs: 20_000 },
      { action: 'DeleteAccessKey', effect: 'delay', delayMs: 1500 },
    );
    const { child, out, exited } = start(s);

    await s.proxy.arrival(verifyCall(s));
    child.kill(signal);
    await s.proxy.arrival((q) => q.action === 'DeleteAccessKey');
    child.kill(signal);
    const code = await exited;

    const fresh = createdKey(s);
    expect({ code, stdout: out.stdout }).toEqual({ code: exitCode, stdout: '' });
    expect(out.stderr).toBe(
      `Created access key ${fresh} for IAM user "${s.user}".\n` +
        `${finishing}\n` +
        `awskeys: error: Rotation of profile dev was ${named} at "check that the new key works". ` +
        `Now: profile dev still uses ${s.old.accessKeyId} (Active); the files are unchanged; the new key ${fresh} was deleted. ${dryRunHint}\n`,
    );
    expect(await statuses(kit.moto, s.user)).toEqual({ [s.old.accessKeyId]: 'Active' });
    expect(await s.snapshot()).toEqual(before);
    await expectProfileWorks(kit.moto, s);
  });

  it(`a third ${signal} forces the quit at once, naming the key it leaves behind`, async () => {
    const s = await setUp(`${signal.toLowerCase()}3`);
    s.proxy.faults.push(
      { action: 'GetCallerIdentity', when: verifyCall(s), effect: 'delay', delayMs: 20_000 },
      { action: 'DeleteAccessKey', effect: 'delay', delayMs: 20_000 },
    );
    const { child, out, exited } = start(s);

    await s.proxy.arrival(verifyCall(s));
    child.kill(signal);
    await s.proxy.arrival((q) => q.action === 'DeleteAccessKey');
    child.kill(signal);
    await expect.poll(() => out.stderr, { timeout: 10_000 }).toContain(finishing);
    const forcedAt = Date.now();
    child.kill(signal);
    const code = await exited;

    expect(code).toBe(exitCode);
    // Not waiting for the DeleteAccessKey the proxy holds for 20 s.
    expect(Date.now() - forcedAt).toBeLessThan(8_000);
    const fresh = createdKey(s);
    // The key the forced quit may leave behind is named, with the command that deletes it.
    expect(out.stderr).toBe(
      `Created access key ${fresh} for IAM user "${s.user}".\n${finishing}\n` +
        `awskeys: force quit: the new key ${fresh} of IAM user "${s.user}" may be left Active and stored nowhere; ` +
        `delete it: awskeys iam delete-key --user ${s.user} --access-key-id ${fresh} --yes --profile dev\n`,
    );
  });
});

import { spawn } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/built.js';
import { binPath, repoRoot } from './support/cli.js';
import type { SeenRequest } from './support/fault-proxy.js';
import { spawnCollecting } from './support/spawn.js';
import { expectProfileWorks, statuses, useAuthMoto, type RotationHome } from './iam-rotate-fixtures.js';

/**
 * Two runs for the same IAM user never race: a rotation (or create-key) holds the user's lock for
 * its whole transaction, and a second run stops at once with exit 16, changing nothing. Without the
 * lock, a second `rotate --delete-other` deletes the first run's new key as "the other key".
 */

beforeAll(ensureBuilt, 120_000);

const kit = useAuthMoto();

function awskeys(s: RotationHome, args: string[]) {
  return spawnCollecting(process.execPath, [binPath, ...args], { cwd: repoRoot, env: { PATH: process.env.PATH, ...s.env } });
}

const newKeyCheck = (s: RotationHome) => (r: SeenRequest) => r.action === 'GetCallerIdentity' && r.signedBy !== s.old.accessKeyId;
const lockPath = (s: RotationHome) => `${s.awsDir}/awskeys-iam-user-${s.user}.lock`;

describe('one rotation or key creation per IAM user at a time', () => {
  it('a second rotation of the same profile while the first runs stops at once (exit 16); the first completes', async () => {
    const s = await kit.home('twice');
    s.proxy.faults.push({ action: 'GetCallerIdentity', when: newKeyCheck(s), effect: 'delay', delayMs: 3000, times: 1 });
    const first = awskeys(s, ['iam', 'rotate', '--profile', 'dev', '--yes']);
    await s.proxy.arrival(newKeyCheck(s));

    const second = await awskeys(s, ['iam', 'rotate', '--profile', 'dev', '--yes', '--delete-other']).exited;
    const done = await first.exited;

    expect({ code: second.code, stdout: second.stdout, stderr: second.stderr }).toEqual({
      code: 16,
      stdout: '',
      stderr:
        `awskeys: error: Another awskeys (process ${first.child.pid ?? '?'} on ${hostname()}) is rotating or creating an access key for IAM user "${s.user}"; nothing was changed. ` +
        `(hint: run again once it has finished (its lock: ${lockPath(s)}))\n`,
    });
    expect(done.code).toBe(0);
    const fresh = await expectProfileWorks(kit.moto, s);
    expect(await statuses(kit.moto, s.user)).toEqual({ [fresh]: 'Active' });
    // The lock is gone once the first run ends.
    expect((await readdir(s.awsDir)).sort()).toEqual(['config', 'credentials']);
  });

  it('create-key for a user whose key is being rotated stops at once (exit 16) before reading or changing the keys', async () => {
    const s = await kit.home('rotcreate');
    s.proxy.faults.push({ action: 'GetCallerIdentity', when: newKeyCheck(s), effect: 'delay', delayMs: 3000, times: 1 });
    const first = awskeys(s, ['iam', 'rotate', '--profile', 'dev', '--yes']);
    await s.proxy.arrival(newKeyCheck(s));
    const seenBefore = s.proxy.seen.length;

    const create = await awskeys(s, ['iam', 'create-key', '--user', s.user, '--profile', 'dev', '--format', 'json']).exited;
    const done = await first.exited;

    expect({ code: create.code, stdout: create.stdout }).toEqual({ code: 16, stdout: '' });
    expect(create.stderr).toContain(`is rotating or creating an access key for IAM user "${s.user}"; nothing was changed.`);
    // create-key (signed with dev's old key) sent nothing: --user names the user, and the lock comes first.
    expect(s.proxy.seen.slice(seenBefore).filter((q) => q.signedBy === s.old.accessKeyId).map((q) => q.action)).toEqual([]);
    expect(done.code).toBe(0);
    const fresh = await expectProfileWorks(kit.moto, s);
    expect(await statuses(kit.moto, s.user)).toEqual({ [fresh]: 'Active' });
  });

  it('a lock left by a process that is gone (killed, a power cut) does not block the next rotation', async () => {
    const s = await kit.home('stale');
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => dead.once('exit', resolve));
    await writeFile(lockPath(s), JSON.stringify({ pid: dead.pid, host: hostname(), token: 'gone' }), { mode: 0o600 });

    const r = await awskeys(s, ['iam', 'rotate', '--profile', 'dev', '--yes']).exited;

    expect(r.code).toBe(0);
    const fresh = await expectProfileWorks(kit.moto, s);
    expect(await statuses(kit.moto, s.user)).toEqual({ [fresh]: 'Active' });
    expect((await readdir(s.awsDir)).sort()).toEqual(['config', 'credentials']);
  });
});

import { readFile } from 'node:fs/promises';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/built.js';
import { binPath, repoRoot } from './support/cli.js';
import { holdLock, type HeldLock } from './support/held-lock.js';
import type { SeenRequest } from './support/fault-proxy.js';
import { spawnCollecting } from './support/spawn.js';
import { statuses, useAuthMoto } from './iam-rotate-fixtures.js';
import { expectNoSecretUnderHome, expectStoredKeyWorks, forEachStore, vaultHome, type VaultHome } from './iam-rotate-vault-kit.js';

/**
 * Ctrl-C, SIGTERM and kill -9 at each step of `iam rotate` of a vault profile (issue 17: "the key
 * is either in the store or in the file, never in neither; the report says which"), both stores,
 * the built binary against moto with its signature checks on. The fault proxy holds the request
 * of the step under test while the signal is sent. After each stop the store holds a key that
 * signs as the user and is Active, and the message names which one the profile has.
 */

beforeAll(ensureBuilt, 120_000);

const kit = useAuthMoto();
const homes: VaultHome[] = [];
let lock: HeldLock | undefined;
afterEach(async () => {
  await lock?.release();
  lock = undefined;
  for (const h of homes.splice(0)) await h.proxy.close();
});

const SIGNALS = [
  { signal: 'SIGINT', exit: 130, stopped: 'interrupted (Ctrl-C)' },
  { signal: 'SIGTERM', exit: 143, stopped: 'stopped by SIGTERM' },
] as const;
const dryRunHint = '(hint: see what would happen: awskeys iam rotate --profile dev --dry-run)';
const isNewKeyCheck = (h: VaultHome) => (q: SeenRequest) => q.action === 'GetCallerIdentity' && q.signedBy !== h.old.accessKeyId;
/** The new key's id, from the request that deleted it (the undo) or the one that deactivated the old key with it. */
const newKeyOf = (h: VaultHome) =>
  h.proxy.seen.find((q) => q.action === 'DeleteAccessKey' && q.params.AccessKeyId !== h.old.accessKeyId)?.params.AccessKeyId ??
  h.proxy.seen.find((q) => q.action === 'UpdateAccessKey')?.signedBy ??
  '?';

function startRotation(h: VaultHome) {
  return spawnCollecting(process.execPath, [binPath, 'iam', 'rotate', '--profile', 'dev', '--yes'], { cwd: repoRoot, env: h.env });
}

forEachStore('stopping iam rotate of a vault profile', (c) => {
  const setUp = async (prefix: string, credentials = '') => {
    const h = await vaultHome(kit.moto, c, prefix, credentials);
    homes.push(h);
    return h;
  };

  describe.each(SIGNALS)('$signal', ({ signal, exit, stopped }) => {
    it.each([
      ['create the new key', (_h: VaultHome) => (q: SeenRequest) => q.action === 'CreateAccessKey', 500],
      ['check that the new key works', isNewKeyCheck, 20_000],
    ] as const)('at "%s": the old item stays, the new key is deleted, the message says the profile still uses the old key', async (step, match, delayMs) => {
      const h = await setUp(`vsig${signal.slice(3, 6).toLowerCase()}`);
      const before = await c.item(h);
      h.proxy.faults.push({ action: '*', when: match(h), effect: 'delay', delayMs });
      const run = startRotation(h);
      await h.proxy.arrival(match(h));
      run.child.kill(signal);
      const r = await run.exited;

      expect({ code: r.code, last: r.stderr.split('\n').at(-2) }).toEqual({
        code: exit,
        last:
          `awskeys: error: Rotation of profile dev was ${stopped} at "${step}". ` +
          `Now: profile dev still uses ${h.old.accessKeyId} (Active), still in ${c.location(h)}; the new key ${newKeyOf(h)} was deleted. ${dryRunHint}`,
      });
      expect(await c.item(h)).toEqual(before);
      await expectStoredKeyWorks(kit.moto, h, c);
      expect(await statuses(kit.moto, h.user)).toEqual({ [h.old.accessKeyId]: 'Active' });
      await expectNoSecretUnderHome(h, c);
    });

    it('after the store write (while it waits to write a plaintext profile holding the same key): the old item is put back exactly, the new key deleted', async () => {
      const h = await setUp(`vsigw${signal.slice(3, 5).toLowerCase()}`, '\n[dev-copy]\naws_access_key_id = KEY\naws_secret_access_key = SECRET\n');
      const before = await c.item(h);
      const credentialsBefore = await readFile(h.credentials, 'utf8');
      lock = await holdLock(h.credentials);
      const run = startRotation(h);
      await lock.noticed;
      // The store already holds the new key: the rotation waits for the credentials file's lock.
      expect((await c.item(h))?.accessKeyId).not.toBe(h.old.accessKeyId);
      run.child.kill(signal);
      const r = await run.exited;

      expect({ code: r.code, last: r.stderr.split('\n').at(-2) }).toEqual({
        code: exit,
        last:
          `awskeys: error: Rotation of profile dev was ${stopped} at "write the new key into the files". ` +
          `Now: profile dev still uses ${h.old.accessKeyId} (Active), put back in ${c.location(h)}; the files are unchanged; the new key ${newKeyOf(h)} was deleted. ${dryRunHint}`,
      });
      expect(await c.item(h)).toEqual(before);
      await expectStoredKeyWorks(kit.moto, h, c);
      expect(await statuses(kit.moto, h.user)).toEqual({ [h.old.accessKeyId]: 'Active' });
      expect(await readFile(h.credentials, 'utf8')).toBe(credentialsBefore);
      await expectNoSecretUnderHome(h, c, h.credentials);
    });

    it('while the old key is deactivated: that change completes, the store holds the new key, the message says so', async () => {
      const h = await setUp(`vsigd${signal.slice(3, 5).toLowerCase()}`);
      h.proxy.faults.push({ action: 'UpdateAccessKey', params: { Status: 'Inactive' }, effect: 'delay', delayMs: 500 });
      const run = startRotation(h);
      await h.proxy.arrival((q) => q.action === 'UpdateAccessKey');
      run.child.kill(signal);
      const r = await run.exited;

      const item = await expectStoredKeyWorks(kit.moto, h, c);
      expect(await statuses(kit.moto, h.user)).toEqual({ [h.old.accessKeyId]: 'Inactive', [item.accessKeyId]: 'Active' });
      expect({ code: r.code, last: r.stderr.split('\n').at(-2) }).toEqual({
        code: exit,
        last:
          `awskeys: error: Rotated profile dev to ${item.accessKeyId}, which works, but was ${stopped} before deleting the old key ${h.old.accessKeyId}. ` +
          'It is Inactive: nothing can sign with it. ' +
          `(hint: delete it: awskeys iam delete-key --user ${h.user} --access-key-id ${h.old.accessKeyId} --yes --profile dev)`,
      });
      await expectNoSecretUnderHome(h, c);
    });
  });

  describe('kill -9', () => {
    it.each([
      ['while the new key is created', 'old', (_h: VaultHome) => (q: SeenRequest) => q.action === 'CreateAccessKey'],
      ['while the new key is checked', 'old', isNewKeyCheck],
      ['after the store write, while the old key is deactivated', 'new', (_h: VaultHome) => (q: SeenRequest) => q.action === 'UpdateAccessKey'],
      ['after the deactivation, while the old key is deleted', 'new', (_h: VaultHome) => (q: SeenRequest) => q.action === 'DeleteAccessKey'],
    ] as const)('%s: the store holds a key that works (the %s one)', async (_when, which, match) => {
      const h = await setUp('vkill');
      const before = await c.item(h);
      h.proxy.faults.push({ action: '*', when: match(h), effect: 'delay', delayMs: 20_000 });
      const run = startRotation(h);
      await h.proxy.arrival(match(h));
      run.child.kill('SIGKILL');
      await run.exited;
      expect(run.child.signalCode).toBe('SIGKILL');

      const item = await expectStoredKeyWorks(kit.moto, h, c);
      if (which === 'old') expect(item).toEqual(before);
      else expect(item.accessKeyId).not.toBe(h.old.accessKeyId);
      await expectNoSecretUnderHome(h, c);
    });
  });
});

import { chmod, readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { ensureBuilt } from './support/built.js';
import { IAMClient } from '@aws-sdk/client-iam';
import { motoUrl } from './iam-fixtures.js';
import { needs } from './support/optional-tools.js';
import { spawnCollecting } from './support/spawn.js';
import { repoRoot } from './support/cli.js';
import { statuses, useAuthMoto } from './iam-rotate-fixtures.js';
import { CONFIG, expectNoSecretUnderHome, expectStoredKeyWorks, forEachStore, vaultFile, vaultHome, VAULT_LINES, type VaultHome } from './iam-rotate-vault-kit.js';

/**
 * `awskeys iam rotate` of a vault profile (docs/rotation.md, "A vault profile"), both stores, the
 * built binary against moto with its signature checks on: the new key goes into the profile's
 * store item and reads back before the old key is deactivated, the credentials file is never
 * written for it, the store is probed before any AWS call, and a failure puts the old item back
 * exactly. After every test no file under HOME holds a secret (but the plaintext profiles a test
 * made itself).
 */

beforeAll(ensureBuilt, 120_000);

const kit = useAuthMoto();
const homes: VaultHome[] = [];
afterEach(async () => {
  for (const h of homes.splice(0)) await h.proxy.close();
});

const rotate = (h: VaultHome) => h.run(['iam', 'rotate', '--profile', 'dev', '--yes']);
const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/) as unknown as string;

forEachStore('iam rotate of a vault profile', (c) => {
  const setUp = async (prefix: string, credentials = '') => {
    const h = await vaultHome(kit.moto, c, prefix, credentials);
    homes.push(h);
    return h;
  };

  it('writes the new key into the store item (its IAM user and creation date, the old session dropped) and reads it back; the AWS files stay byte for byte', async () => {
    const h = await setUp('vrot');
    // A cached session of the old key: made with it, so it must not survive the rotation.
    expect((await h.run(['credential-process', '--profile', 'dev'])).code).toBe(0);
    expect(await c.item(h)).toMatchObject({ accessKeyId: h.old.accessKeyId, session: expect.objectContaining({ durationSeconds: 3600 }) as unknown });
    const before = { credentials: await readFile(h.credentials, 'utf8'), config: await readFile(h.config, 'utf8') };
    expect(before).toEqual({ credentials: '[dev]\n', config: `${CONFIG}${VAULT_LINES(c.store)}` });
    const storedAt = (await c.item(h))?.storedAt;

    const r = await rotate(h);
    const item = await expectStoredKeyWorks(kit.moto, h, c);
    const fresh = item.accessKeyId;
    expect(r).toEqual({
      code: 0,
      stdout: '',
      stderr:
        `Created access key ${fresh} for IAM user "${h.user}".\n` +
        `It works: sts get-caller-identity answers as ${h.arn}.\n` +
        `Wrote it into profile dev in ${c.location(h)}, and read it back.\n` +
        `Deactivated the old key ${h.old.accessKeyId}.\n` +
        `Deleted the old key ${h.old.accessKeyId}.\n` +
        `Rotated profile dev: ${h.old.accessKeyId} -> ${fresh}.\n`,
    });
    expect(item).toEqual({ version: 1, accessKeyId: fresh, secretAccessKey: expect.any(String) as unknown, userName: h.user, createDate: ISO, storedAt: ISO });
    expect(item.storedAt).not.toBe(storedAt);
    expect(await statuses(kit.moto, h.user)).toEqual({ [fresh]: 'Active' });
    // Every call about the keys was signed with a key from the store, never a session.
    expect(new Set(h.proxy.seen.map((q) => q.signedBy))).toEqual(new Set([h.old.accessKeyId, fresh]));
    expect({ credentials: await readFile(h.credentials, 'utf8'), config: await readFile(h.config, 'utf8') }).toEqual(before);
    await expectNoSecretUnderHome(h, c);

    // The rotated profile works for the next run: its session is made with the new key.
    h.proxy.seen.length = 0;
    expect((await h.run(['credential-process', '--profile', 'dev'])).code).toBe(0);
    expect(h.proxy.seen.filter((q) => q.action === 'GetSessionToken').map((q) => q.signedBy)).toEqual([fresh]);
  });

  it('--dry-run names the store item as where the new key goes, and changes nothing (no probe item either)', async () => {
    const h = await setUp('vdry');
    const item = await c.item(h);
    const r = await h.run(['iam', 'rotate', '--profile', 'dev', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`  3. Write it into profile dev in ${c.location(h)}, and read it back.\n`);
    expect(await c.item(h)).toEqual(item);
    expect(await c.item(h, '.awskeys-probe')).toBeUndefined();
  });

  it('other profiles holding the same key in the AWS files get the new key as before; the vault profile gets none there', async () => {
    const h = await setUp('vshare', '\n[dev-copy]\naws_access_key_id = KEY\naws_secret_access_key = SECRET\n');
    const r = await rotate(h);
    const item = await expectStoredKeyWorks(kit.moto, h, c);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Wrote it into profile dev in ${c.location(h)}, and read it back.\nWrote it into profile dev-copy in ${h.credentials}.\n`);
    expect(await readFile(h.credentials, 'utf8')).toBe(`[dev]\n\n[dev-copy]\naws_access_key_id = ${item.accessKeyId}\naws_secret_access_key = ${item.secretAccessKey}\n`);
    await expectNoSecretUnderHome(h, c, h.credentials);
  });

  it('a plaintext copy left by a stopped vault move is refused before any AWS call (exit 2): the new key would land in plaintext', async () => {
    const h = await setUp('vleft');
    const leftover = `[dev]\naws_access_key_id = ${h.old.accessKeyId}\naws_secret_access_key = ${h.old.secretAccessKey}\n`;
    await writeFile(h.credentials, leftover);
    const item = await c.item(h);
    const r = await rotate(h);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        `awskeys: error: Profile dev keeps its key in the vault (${c.store}), but ${h.credentials} still holds a plaintext copy of it (a vault move that was stopped); nothing was changed. ` +
        `(hint: finish the move first: awskeys vault move --profile dev --to ${c.store})\n`,
    });
    expect(await readFile(h.credentials, 'utf8')).toBe(leftover);
    expect(await c.item(h)).toEqual(item);
    expect(await statuses(kit.moto, h.user)).toEqual({ [h.old.accessKeyId]: 'Active' });
    // What the hint says finishes it, and then the rotation runs.
    expect((await h.run(['vault', 'move', '--profile', 'dev', '--to', c.store])).code).toBe(0);
    expect((await rotate(h)).code).toBe(0);
    await expectNoSecretUnderHome(h, c);
  });

  it('a failed deactivation puts the old item back exactly (key, IAM user, when stored, its session) and deletes the new key', async () => {
    const h = await setUp('vundo');
    // A rich item: a first rotation gives it the IAM user and dates, a run caches a session.
    expect((await rotate(h)).code).toBe(0);
    expect((await h.run(['credential-process', '--profile', 'dev'])).code).toBe(0);
    const before = await expectStoredKeyWorks(kit.moto, h, c);
    expect(Object.keys(before).sort()).toEqual(['accessKeyId', 'createDate', 'secretAccessKey', 'session', 'storedAt', 'userName', 'version']);
    h.secrets.push(before.secretAccessKey);
    h.proxy.faults.push({ action: 'UpdateAccessKey', params: { Status: 'Inactive' }, effect: 'deny', message: 'not today' });

    const r = await rotate(h);
    const fresh = h.proxy.seen.find((q) => q.action === 'DeleteAccessKey' && q.params.AccessKeyId !== h.old.accessKeyId)?.params.AccessKeyId ?? '?';
    expect({ code: r.code, last: r.stderr.split('\n').at(-2) }).toEqual({
      code: 12,
      last:
        `awskeys: error: Rotation of profile dev failed at "deactivate the old key": Deactivate access key ${before.accessKeyId}: AccessDenied (HTTP 403): not today. ` +
        `Now: profile dev still uses ${before.accessKeyId} (Active), put back in ${c.location(h)}; the new key ${fresh} was deleted. ` +
        '(hint: see what would happen: awskeys iam rotate --profile dev --dry-run)',
    });
    expect(await c.item(h)).toEqual(before);
    expect(await statuses(kit.moto, h.user)).toEqual({ [before.accessKeyId]: 'Active' });
    await expectNoSecretUnderHome(h, c);
  });
});

forEachStore('the store is probed before any AWS call', (c) => {
  it(c.store === 'file' ? 'a wrong passphrase is exit 27, the vault file byte for byte as it was' : 'no D-Bus session is exit 26', async () => {
    const h = await vaultHome(kit.moto, c, 'vprobe');
    homes.push(h);
    const bytes = c.store === 'file' ? await readFile(vaultFile(h)) : undefined;
    const r = c.store === 'file' ? await h.run(['iam', 'rotate', '--profile', 'dev', '--yes'], { AWSKEYS_VAULT_PASSPHRASE: 'not it' }) : await h.run(['iam', 'rotate', '--profile', 'dev', '--yes'], { DBUS_SESSION_BUS_ADDRESS: '' });
    expect(r).toEqual({
      code: c.store === 'file' ? 27 : 26,
      stdout: '',
      stderr:
        c.store === 'file'
          ? `awskeys: error: Wrong passphrase for the vault file ${vaultFile(h)}; nothing was changed. (hint: AWSKEYS_VAULT_PASSPHRASE does not open this file: set it to the file's passphrase)\n`
          : expect.stringMatching(/^awskeys: error: No D-Bus session to reach the keychain \(Secret Service\) on \(.*\)\. \(hint: .*store "file"\)\)\n$/) as unknown as string,
    });
    expect(h.proxy.seen).toEqual([]);
    if (bytes) expect(await readFile(vaultFile(h))).toEqual(bytes);
    expect(await statuses(kit.moto, h.user)).toEqual({ [h.old.accessKeyId]: 'Active' });
  });

  if (c.store === 'file') {
    it('a vault file that reads but cannot be written (read-only) is exit 26 before CreateAccessKey, not a new key stored nowhere', async () => {
      const h = await vaultHome(kit.moto, c, 'vro');
      homes.push(h);
      await chmod(vaultFile(h), 0o400);
      try {
        const r = await h.run(['iam', 'rotate', '--profile', 'dev', '--yes']);
        expect(r).toEqual({
          code: 26,
          stdout: '',
          stderr: `awskeys: error: The vault file ${vaultFile(h)} is read-only; nothing was written. (hint: make it writable: chmod u+w ${vaultFile(h)})\n`,
        });
        expect(h.proxy.seen).toEqual([]);
        expect(await statuses(kit.moto, h.user)).toEqual({ [h.old.accessKeyId]: 'Active' });
      } finally {
        await chmod(vaultFile(h), 0o600);
      }
    });

    it('a store write that fails after CreateAccessKey (made read-only meanwhile) leaves the item as it was and deletes the new key', async () => {
      const h = await vaultHome(kit.moto, c, 'vwfail');
      homes.push(h);
      const before = await c.item(h);
      // While the new key is checked, the vault file becomes read-only.
      h.proxy.onRequest = (q) => {
        if (q.action === 'GetCallerIdentity' && q.signedBy !== h.old.accessKeyId) void chmod(vaultFile(h), 0o400);
      };
      try {
        const r = await h.run(['iam', 'rotate', '--profile', 'dev', '--yes']);
        const fresh = h.proxy.seen.find((q) => q.action === 'DeleteAccessKey')?.params.AccessKeyId ?? '?';
        expect({ code: r.code, last: r.stderr.split('\n').at(-2) }).toEqual({
          code: 12,
          last:
            `awskeys: error: Rotation of profile dev failed at "write the new key into the vault": The vault file ${vaultFile(h)} is read-only; nothing was written. ` +
            `Now: profile dev still uses ${h.old.accessKeyId} (Active), still in ${vaultFile(h)}; the new key ${fresh} was deleted. ` +
            '(hint: see what would happen: awskeys iam rotate --profile dev --dry-run)',
        });
        expect(await c.item(h)).toEqual(before);
        expect(await statuses(kit.moto, h.user)).toEqual({ [h.old.accessKeyId]: 'Active' });
      } finally {
        await chmod(vaultFile(h), 0o600);
      }
      await expectNoSecretUnderHome(h, c);
    });
  }
});

/**
 * The other tools read the rotated profile through its credential_process line, as before: the
 * session they get is made with the new key. moto with its signature checks off here (the shared
 * one): it answers every GetSessionToken with one example session, which it would not know.
 */
forEachStore('after a rotation, the AWS CLI, boto3 and the JS SDK sign with a session of the new key', (c) => {
  let h: VaultHome;
  let fresh: string;
  const sessionsSignedBy = () => h.proxy.seen.filter((q) => q.action === 'GetSessionToken').map((q) => q.signedBy);
  // Each test its own home: the keychain's set-up empties the keyring after every test.
  beforeEach(async () => {
    const shared = { url: motoUrl(), admin: new IAMClient({ endpoint: motoUrl(), region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } }) };
    h = await vaultHome(shared, c, 'vtools');
    expect((await rotate(h)).code).toBe(0);
    fresh = (await c.item(h))?.accessKeyId ?? '?';
    expect(fresh).not.toBe(h.old.accessKeyId);
    h.proxy.seen.length = 0;
  }, 60_000);
  afterEach(async () => {
    await expectNoSecretUnderHome(h, c);
    await h.proxy.close();
  });

  needs('aws').it('aws sts get-caller-identity --profile dev', async () => {
    const r = await spawnCollecting('aws', ['sts', 'get-caller-identity', '--profile', 'dev', '--output', 'json'], { cwd: h.home, env: h.env }).exited;
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toHaveProperty('Account', '123456789012');
    expect(sessionsSignedBy()).toEqual([fresh]);
  });

  needs('boto3').it('boto3', async () => {
    const script = 'import boto3; print(boto3.Session(profile_name="dev").client("sts").get_caller_identity()["Account"])';
    const r = await spawnCollecting('python3', ['-c', script], { cwd: h.home, env: h.env }).exited;
    expect(r).toEqual({ code: 0, stdout: '123456789012\n', stderr: '' });
    expect(sessionsSignedBy()).toEqual([fresh]);
  });

  it("the JS SDK's default chain", async () => {
    const script = [
      "const { defaultProvider } = require('@aws-sdk/credential-provider-node');",
      "defaultProvider({ profile: 'dev' })().then((c) => process.stdout.write(String(Boolean(c.sessionToken))));",
    ].join('\n');
    const r = await spawnCollecting(process.execPath, ['-e', script], { cwd: repoRoot, env: h.env }).exited;
    expect(r).toEqual({ code: 0, stdout: 'true', stderr: '' });
    expect(sessionsSignedBy()).toEqual([fresh]);
  });
});

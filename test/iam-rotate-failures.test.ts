import { execFile } from 'node:child_process';
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { CreateAccessKeyCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { awsCli } from './iam-hygiene-fixtures.js';
import { needs } from './support/optional-tools.js';
import { runInProcess } from './support/cli.js';
import { fakePrompter } from './support/fake-prompter.js';
import { fakeClock } from './support/fake-clock.js';
import {
  expectProfileWorks as profileWorks,
  statuses,
  useAuthMoto,
  whoIs,
  type RotationHome,
} from './iam-rotate-fixtures.js';

/**
 * Every rotation step failing for real: a moto with signature checking on (so a key that "works"
 * really is the one moto stored) behind a proxy that refuses the chosen call. After each failure
 * the profile's key must answer GetCallerIdentity as its user and be Active in ListAccessKeys.
 */

const run = promisify(execFile);
const kit = useAuthMoto();

const undo: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of undo.splice(0).reverse()) await step();
});

const setUp = (prefix: string): Promise<RotationHome> => kit.home(prefix);
type Setup = RotationHome;

function rotate(s: Setup, extra: string[] = []) {
  const clock = fakeClock(Date.now());
  return { clock, result: runInProcess(['iam', 'rotate', '--profile', 'dev', '--yes', ...extra], { env: s.env, clock }) };
}

const expectProfileWorks = (s: Setup, profile = 'dev') => profileWorks(kit.moto, s, profile);

/** A lock on `path` held by a live process (this one), as a concurrent awskeys would hold it. */
async function holdLock(path: string): Promise<void> {
  await writeFile(`${path}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), token: 'held-by-test' }), { mode: 0o600 });
  undo.push(() => rm(`${path}.lock`, { force: true }));
}

function newKeyIn(keys: Record<string, string>, old: string): string {
  return Object.keys(keys).find((id) => id !== old) ?? '';
}

describe('reports tell the truth', () => {
  it("the old key's delete whose answer was lost: the SDK's retry gets NoSuchEntity, which is success (exit 0)", async () => {
    const s = await setUp('lostdel');
    s.proxy.faults.push({ action: 'DeleteAccessKey', effect: 'lose-answer', times: 1 });

    const r = await rotate(s).result;

    const fresh = await expectProfileWorks(s);
    expect(await statuses(kit.moto, s.user)).toEqual({ [fresh]: 'Active' });
    expect(s.proxy.seen.filter((q) => q.action === 'DeleteAccessKey')).toHaveLength(2);
    expect({ code: r.code, tail: r.stderr.split('\n').slice(-3) }).toEqual({
      code: 0,
      tail: [`Deleted the old key ${s.old.accessKeyId}.`, `Rotated profile dev: ${s.old.accessKeyId} -> ${fresh}.`, ''],
    });
  });

  it('iam delete-key whose answer was lost: reported deleted (exit 0), as it is', async () => {
    const s = await setUp('lostdelkey');
    s.proxy.faults.push({ action: 'DeleteAccessKey', effect: 'lose-answer', times: 1 });
    const other = (await kit.moto.admin.send(new CreateAccessKeyCommand({ UserName: s.user }))).AccessKey?.AccessKeyId ?? '';

    const r = await runInProcess(['iam', 'delete-key', '--user', s.user, '--access-key-id', other, '--yes', '--profile', 'dev'], { env: s.env });

    expect(r).toEqual({ code: 0, stdout: '', stderr: `Deleted access key ${other} of IAM user "${s.user}".\n` });
    expect(await statuses(kit.moto, s.user)).toEqual({ [s.old.accessKeyId]: 'Active' });
  });
});

describe('awskeys iam rotate against moto with signature checks', () => {
  needs('aws').it('rotates: the old key is refused, the new one signs as the same user through the AWS CLI', async () => {
    const s = await setUp('auth');

    const r = await rotate(s).result;

    expect(r.code).toBe(0);
    const fresh = await expectProfileWorks(s);
    expect(await statuses(kit.moto, s.user)).toEqual({ [fresh]: 'Active' });
    expect(await whoIs(kit.moto.url, s.old)).toBe('error: InvalidClientTokenId');
    expect(await expectProfileWorks(s, 'dev-copy')).toBe(fresh);
    const cli = await awsCli(['sts', 'get-caller-identity', '--profile', 'ci', '--region', 'us-east-1', '--endpoint-url', kit.moto.url, '--output', 'json'], {
      HOME: s.home,
      AWS_SHARED_CREDENTIALS_FILE: s.credentials,
      AWS_CONFIG_FILE: s.config,
    });
    expect(cli.stderr).toBe('');
    expect(JSON.parse(cli.stdout)).toMatchObject({ Arn: s.arn });
  });
});

describe('awskeys iam rotate while IAM propagates the new key', () => {
  it('retries a deactivation refused because IAM does not know the new key yet', async () => {
    const s = await setUp('propagate');
    s.proxy.faults.push({ action: 'UpdateAccessKey', params: { Status: 'Inactive' }, effect: 'unknown-key', times: 2 });

    const { clock, result } = rotate(s);
    const r = await result;

    expect(r.code).toBe(0);
    expect(clock.sleeps).toEqual([1000, 2000]);
    const fresh = await expectProfileWorks(s);
    expect(await statuses(kit.moto, s.user)).toEqual({ [fresh]: 'Active' });
  });
});

describe('awskeys iam rotate undoes everything when a step fails (exit 12)', () => {
  it('creation refused: nothing changed', async () => {
    const s = await setUp('create');
    s.proxy.faults.push({ action: 'CreateAccessKey', effect: 'deny' });

    const r = await rotate(s).result;

    expect(r).toEqual({
      code: 12,
      stdout: '',
      stderr:
        'awskeys: error: Rotation of profile dev failed at "create the new key": CreateAccessKey: AccessDenied (HTTP 403): CreateAccessKey refused by the test proxy. ' +
        `Now: profile dev still uses ${s.old.accessKeyId} (Active); the files are unchanged; no new key was created. ` +
        '(hint: see what would happen: awskeys iam rotate --profile dev --dry-run)\n',
    });
    expect(await statuses(kit.moto, s.user)).toEqual({ [s.old.accessKeyId]: 'Active' });
    expect(await readFile(s.credentials, 'utf8')).toBe(s.credentialsText);
    await expectProfileWorks(s);
  });

  it('creation whose answer is lost (the SDK then retries): names the key IAM made without handing it over', async () => {
    const s = await setUp('lost');
    // The first CreateAccessKey is carried out, but its answer (with the secret) never arrives; the
    // SDK's retries then hit IAM's two-keys quota (which the SDK retries too, as a throttling error).
    s.proxy.faults.push({ action: 'CreateAccessKey', effect: 'lose-answer', times: 1 });

    const r = await rotate(s).result;

    const stray = newKeyIn(await statuses(kit.moto, s.user), s.old.accessKeyId);
    expect(stray).toMatch(/^AKIA/);
    expect(s.proxy.seen.map((q) => q.action)).toEqual(['GetCallerIdentity', 'ListAccessKeys', 'CreateAccessKey', 'CreateAccessKey', 'CreateAccessKey', 'ListAccessKeys']);
    expect(r).toEqual({
      code: 12,
      stdout: '',
      stderr:
        'awskeys: error: Rotation of profile dev failed at "create the new key": CreateAccessKey: ' +
        `Cannot exceed quota for AccessKeysPerUser: 2. ` +
        `Now: profile dev still uses ${s.old.accessKeyId} (Active); the files are unchanged; no new key was handed over, yet IAM now lists ${stray} as well: ` +
        'created by the failed request without its secret reaching awskeys (so nothing can use it), or by someone else meanwhile. ' +
        `(hint: if nothing else made it, delete it: awskeys iam delete-key --user ${s.user} --access-key-id ${stray} --yes --profile dev)\n`,
    });
    expect(await readFile(s.credentials, 'utf8')).toBe(s.credentialsText);
    await expectProfileWorks(s);
  });

  it('verification: a new key that never works is retried with backoff for 60 s, then deleted', async () => {
    const s = await setUp('verify');
    // IAM hands back a secret that does not match the key: moto refuses every signature with it.
    s.proxy.faults.push({ action: 'CreateAccessKey', effect: 'corrupt-secret' });

    const { clock, result } = rotate(s);
    const r = await result;

    const created = s.proxy.seen.filter((q) => q.action === 'GetCallerIdentity' && q.signedBy !== s.old.accessKeyId);
    const fresh = created[0]?.signedBy ?? '';
    expect(created).toHaveLength(8);
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 8000, 15000, 15000, 10000]);
    expect(r.code).toBe(12);
    const rejected =
      'sts get-caller-identity: AWS rejected the credentials (SignatureDoesNotMatch): The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details';
    // Progress on stderr while waiting, and the time actually spent (this clock's sleeps) in the message.
    const progress = [
      [1, 0],
      [2, 1],
      [4, 3],
      [8, 7],
      [15, 15],
      [15, 30],
      [10, 45],
    ].map(([wait, sofar]) => `The new key does not work yet (${rejected}); trying again in ${wait} s (${sofar} s of at most 60 s so far).\n`);
    expect(r.stderr).toBe(
      `Created access key ${fresh} for IAM user "${s.user}".\n` +
        progress.join('') +
        `awskeys: error: Rotation of profile dev failed at "check that the new key works": it still did not work after 8 tries in 55 s (${rejected}). ` +
        `Now: profile dev still uses ${s.old.accessKeyId} (Active); the files are unchanged; the new key ${fresh} was deleted. ` +
        '(hint: see what would happen: awskeys iam rotate --profile dev --dry-run)\n',
    );
    expect(await statuses(kit.moto, s.user)).toEqual({ [s.old.accessKeyId]: 'Active' });
    expect(await readFile(s.credentials, 'utf8')).toBe(s.credentialsText);
    await expectProfileWorks(s);
  });

  it('write: the credentials file is locked by another writer; the new key is deleted again', async () => {
    const s = await setUp('lock');
    await holdLock(s.credentials);

    const r = await rotate(s).result;

    const fresh = s.proxy.seen.find((q) => q.action === 'DeleteAccessKey')?.params.AccessKeyId ?? '';
    expect(r.code).toBe(12);
    expect(r.stderr).toMatch(
      new RegExp(
        `awskeys: error: Rotation of profile dev failed at "write the new key into the files": Timed out after 10 s waiting for the lock ${s.credentials}\\.lock held by process ${process.pid} on [^ ]+\\. ` +
          `Now: profile dev still uses ${s.old.accessKeyId} \\(Active\\); the files are unchanged; the new key ${fresh} was deleted\\. `,
      ),
    );
    expect(await statuses(kit.moto, s.user)).toEqual({ [s.old.accessKeyId]: 'Active' });
    expect(await readFile(s.credentials, 'utf8')).toBe(s.credentialsText);
    await expectProfileWorks(s);
  });

  it('write: the second file fails after the first was written; the first is restored byte for byte', async () => {
    const s = await setUp('second');
    await holdLock(s.config);

    const r = await rotate(s).result;

    expect(r.code).toBe(12);
    expect(r.stderr).toMatch(/Now: profile dev still uses \w+ \(Active\); the files were restored; the new key \w+ was deleted\. /);
    expect(await readFile(s.credentials, 'utf8')).toBe(s.credentialsText);
    expect(await readFile(s.config, 'utf8')).toBe(s.configText);
    expect(await statuses(kit.moto, s.user)).toEqual({ [s.old.accessKeyId]: 'Active' });
    await expectProfileWorks(s);
  });

  it('deactivation refused: files restored, the new key deleted, the old key still Active', async () => {
    const s = await setUp('deact');
    s.proxy.faults.push({ action: 'UpdateAccessKey', params: { Status: 'Inactive' }, effect: 'deny' });

    const r = await rotate(s).result;

    const fresh = s.proxy.seen.find((q) => q.action === 'DeleteAccessKey')?.params.AccessKeyId ?? '';
    expect(r.code).toBe(12);
    expect(r.stderr.split('\n').at(-2)).toBe(
      `awskeys: error: Rotation of profile dev failed at "deactivate the old key": Deactivate access key ${s.old.accessKeyId}: AccessDenied (HTTP 403): UpdateAccessKey refused by the test proxy. ` +
        `Now: profile dev still uses ${s.old.accessKeyId} (Active); the files were restored; the new key ${fresh} was deleted. ` +
        '(hint: see what would happen: awskeys iam rotate --profile dev --dry-run)',
    );
    expect(await readFile(s.credentials, 'utf8')).toBe(s.credentialsText);
    expect(await readFile(s.config, 'utf8')).toBe(s.configText);
    expect(await statuses(kit.moto, s.user)).toEqual({ [s.old.accessKeyId]: 'Active' });
    await expectProfileWorks(s);
    // IAM refused outright, so there was nothing to reactivate.
    expect(s.proxy.seen.filter((q) => q.action === 'UpdateAccessKey').map((q) => q.params.Status)).toEqual(['Inactive']);
  });

  it('deactivation without a clear answer (HTTP 500): the old key is made Active again before anything else', async () => {
    const s = await setUp('deact500');
    s.proxy.faults.push({ action: 'UpdateAccessKey', params: { Status: 'Inactive' }, effect: 'fail' });

    const r = await rotate(s).result;

    expect(r.code).toBe(12);
    expect(r.stderr).toMatch(
      new RegExp(`Now: profile dev still uses ${s.old.accessKeyId} \\(Active again\\); the files were restored; the new key \\w+ was deleted\\. `),
    );
    expect(s.proxy.seen.filter((q) => q.action === 'UpdateAccessKey').map((q) => q.params.Status)).toEqual([
      'Inactive',
      'Inactive',
      'Inactive',
      'Active',
    ]);
    expect(await readFile(s.credentials, 'utf8')).toBe(s.credentialsText);
    expect(await statuses(kit.moto, s.user)).toEqual({ [s.old.accessKeyId]: 'Active' });
    await expectProfileWorks(s);
  });

  it('when the files cannot be put back, the new key is kept: every profile still has a working key', async () => {
    const s = await setUp('restore');
    s.proxy.faults.push({ action: 'UpdateAccessKey', params: { Status: 'Inactive' }, effect: 'deny' });
    // Another writer takes the credentials file just after our write.
    let held: Promise<void> | undefined;
    s.proxy.onRequest = (q) => {
      if (q.action === 'UpdateAccessKey') held ??= holdLock(s.credentials);
    };

    const r = await rotate(s).result;
    await held;

    const fresh = newKeyIn(await statuses(kit.moto, s.user), s.old.accessKeyId);
    expect(r.code).toBe(12);
    expect(r.stderr).toMatch(
      new RegExp(
        `Now: ${s.credentials} could not be restored \\(Timed out after 10 s waiting for the lock ${s.credentials}\\.lock held by process \\d+ on [^ ]+\\), ` +
          `so profiles dev and dev-copy there still use the new key ${fresh}, which works; the old key ${s.old.accessKeyId} is Active too\\. `,
      ),
    );
    expect(await statuses(kit.moto, s.user)).toEqual({ [s.old.accessKeyId]: 'Active', [fresh]: 'Active' });
    expect(await expectProfileWorks(s)).toBe(fresh);
    // The config file could be restored, and was.
    expect(await readFile(s.config, 'utf8')).toBe(s.configText);
  });

  it('when the new key cannot be deleted again, says so and how to delete it', async () => {
    const s = await setUp('nodelete');
    s.proxy.faults.push(
      { action: 'UpdateAccessKey', params: { Status: 'Inactive' }, effect: 'deny' },
      { action: 'DeleteAccessKey', effect: 'deny' },
    );

    const r = await rotate(s).result;

    const fresh = newKeyIn(await statuses(kit.moto, s.user), s.old.accessKeyId);
    expect(r.code).toBe(12);
    expect(r.stderr).toMatch(
      new RegExp(
        `Now: profile dev still uses ${s.old.accessKeyId} \\(Active\\); the files were restored; the new key ${fresh} could not be deleted ` +
          `\\(Delete access key ${fresh}: AccessDenied \\(HTTP 403\\): DeleteAccessKey refused by the test proxy\\); it is Active and stored nowhere\\. ` +
          `\\(hint: delete the unused key: awskeys iam delete-key --user ${s.user} --access-key-id ${fresh} --yes --profile dev\\)\\n$`,
      ),
    );
    expect(await readFile(s.credentials, 'utf8')).toBe(s.credentialsText);
    await expectProfileWorks(s);
  });
});

describe('awskeys iam rotate after the point of no return', () => {
  /** A rotation whose DeleteAccessKey of the old key is refused: past the point of no return. */
  async function rotateWithRefusedDelete(name: string) {
    const s = await setUp(name);
    s.proxy.faults.push({ action: 'DeleteAccessKey', params: { AccessKeyId: s.old.accessKeyId }, effect: 'deny' });
    return { s, r: await rotate(s).result };
  }

  it('a failed delete of the old key leaves it Inactive, the profile working on the new key, exit 12', async () => {
    const { s, r } = await rotateWithRefusedDelete('lastdel');

    const fresh = await expectProfileWorks(s);
    expect(await statuses(kit.moto, s.user)).toEqual({ [s.old.accessKeyId]: 'Inactive', [fresh]: 'Active' });
    expect(r.code).toBe(12);
    expect(r.stderr.split('\n').at(-2)).toBe(
      `awskeys: error: Rotated profile dev to ${fresh}, which works, but could not delete (Delete access key ${s.old.accessKeyId}: AccessDenied (HTTP 403): DeleteAccessKey refused by the test proxy) ` +
        `the old key ${s.old.accessKeyId}. It is Inactive: nothing can sign with it. ` +
        `(hint: delete it: awskeys iam delete-key --user ${s.user} --access-key-id ${s.old.accessKeyId} --yes --profile dev)`,
    );
  });

  needs('aws').it('after a failed delete of the old key, the AWS CLI signs with the profile as the same user', async () => {
    const { s, r } = await rotateWithRefusedDelete('lastdel-cli');
    expect(r.code).toBe(12);

    const cli = await awsCli(['sts', 'get-caller-identity', '--profile', 'dev', '--endpoint-url', kit.moto.url, '--output', 'json'], {
      HOME: s.home,
      AWS_SHARED_CREDENTIALS_FILE: s.credentials,
      AWS_CONFIG_FILE: s.config,
    });
    expect(JSON.parse(cli.stdout)).toMatchObject({ Arn: s.arn });
  });
});

describe('awskeys iam rotate checks the files before changing anything', () => {
  it('an unwritable folder fails with exit 3 before any key is created', async () => {
    const s = await setUp('rofs');
    if (process.getuid?.() === 0) {
      // Permission bits do not stop root; the immutable attribute does.
      await run('chattr', ['+i', s.awsDir]);
      undo.push(() => run('chattr', ['-i', s.awsDir]));
    } else {
      await chmod(s.awsDir, 0o500);
      undo.push(() => chmod(s.awsDir, 0o700));
    }

    const r = await rotate(s).result;

    expect(r.code).toBe(3);
    // The first thing written is the IAM user's rotation lock, beside the files (user-lock.ts).
    expect(r.stderr).toBe(
      `awskeys: error: Cannot create the lock file ${s.awsDir}/awskeys-iam-user-${s.user}.lock: permission denied. (hint: check the permissions of ${s.awsDir})\n`,
    );
    expect(s.proxy.seen.map((q) => q.action)).toEqual(['GetCallerIdentity']);
    expect(await statuses(kit.moto, s.user)).toEqual({ [s.old.accessKeyId]: 'Active' });
    expect(await readFile(s.credentials, 'utf8')).toBe(s.credentialsText);
  });
});

describe('rotate --delete-other and a local profile holding the other key', () => {
  it('refuses (exit 7) naming the profile, also in --dry-run; --even-if-used goes ahead', async () => {
    const s = await setUp('otherused');
    const other = (await kit.moto.admin.send(new CreateAccessKeyCommand({ UserName: s.user }))).AccessKey;
    const otherId = other?.AccessKeyId ?? '';
    await writeFile(s.credentials, `${s.credentialsText}\n[laptop]\naws_access_key_id = ${otherId}\naws_secret_access_key = ${other?.SecretAccessKey ?? ''}\n`);

    const refused = await rotate(s, ['--delete-other']).result;
    const message =
      `awskeys: error: IAM user "${s.user}" already has 2 access keys, and the other one, ${otherId}, is what profile laptop signs with: ` +
      'deleting it to make room breaks it; nothing was changed. (hint: to delete it anyway, pass --delete-other --even-if-used; profile laptop then needs a new key, or the one this rotation writes)\n';
    expect(refused).toEqual({ code: 7, stdout: '', stderr: message });
    expect(await statuses(kit.moto, s.user)).toEqual({ [s.old.accessKeyId]: 'Active', [otherId]: 'Active' });

    const dry = await rotate(s, ['--delete-other', '--dry-run']).result;
    expect(dry.code).toBe(7);
    expect(dry.stdout).toContain(`  1. Would stop: the other key ${otherId} is what profile laptop signs with; deleting it to make room would break it (pass --delete-other --even-if-used to delete it anyway).\n`);

    const forced = await rotate(s, ['--delete-other', '--even-if-used']).result;
    expect(forced.code).toBe(0);
    const fresh = await expectProfileWorks(s);
    expect(await statuses(kit.moto, s.user)).toEqual({ [fresh]: 'Active' });
  });

  it('the --dry-run plan with --even-if-used names the profile that will stop working', async () => {
    const s = await setUp('otherplan');
    const other = (await kit.moto.admin.send(new CreateAccessKeyCommand({ UserName: s.user }))).AccessKey;
    const otherId = other?.AccessKeyId ?? '';
    await writeFile(s.credentials, `${s.credentialsText}\n[laptop]\naws_access_key_id = ${otherId}\naws_secret_access_key = ${other?.SecretAccessKey ?? ''}\n`);

    const dry = await rotate(s, ['--delete-other', '--even-if-used', '--dry-run']).result;

    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(
      new RegExp(`\\n  1\\. Delete the other access key \\(IAM allows 2 keys per user\\):\\n       ${otherId}  Active  .*\\n       profile laptop signs with it and will stop working\\n  2\\. Create`),
    );
    expect(await statuses(kit.moto, s.user)).toEqual({ [s.old.accessKeyId]: 'Active', [otherId]: 'Active' });
  });

  it('an Inactive other key that a profile holds is not deleted without its id typed on a terminal', async () => {
    const s = await setUp('otherinactive');
    const other = (await kit.moto.admin.send(new CreateAccessKeyCommand({ UserName: s.user }))).AccessKey;
    const otherId = other?.AccessKeyId ?? '';
    await kit.moto.admin.send(new UpdateAccessKeyCommand({ UserName: s.user, AccessKeyId: otherId, Status: 'Inactive' }));
    await writeFile(s.credentials, `${s.credentialsText}\n[laptop]\naws_access_key_id = ${otherId}\naws_secret_access_key = ${other?.SecretAccessKey ?? ''}\n`);
    const prompter = fakePrompter({ 'rotate.delete-other': '' });

    const kept = await runInProcess(['iam', 'rotate', '--profile', 'dev', '--yes'], { env: s.env, clock: fakeClock(Date.now()), prompter });

    expect(prompter.asked).toEqual(['rotate.delete-other']);
    expect(kept.code).toBe(6);
    expect(await statuses(kit.moto, s.user)).toEqual({ [s.old.accessKeyId]: 'Active', [otherId]: 'Inactive' });
  });
});

import { GetAccessKeyLastUsedCommand } from '@aws-sdk/client-iam';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { fakePrompter } from './support/fake-prompter.js';
import { runInProcess, tempHome } from './support/cli.js';
import { awsCli } from './iam-hygiene-fixtures.js';
import { needs } from './support/optional-tools.js';
import { fakeClock } from './support/fake-clock.js';
import { adminIam, createKey, createUser, deactivate, keysOf, motoUrl, useKey } from './iam-fixtures.js';
import { startFaultProxy, type FaultProxy } from './iam-rotate-fixtures.js';

const proxies: FaultProxy[] = [];
afterEach(async () => {
  for (const p of proxies.splice(0)) await p.close();
});

/**
 * A temp HOME whose credentials file holds the user's key in profile `dev` and again in
 * `dev-copy`, between a comment and another profile; the config file gives dev a region.
 */
async function setUp(prefix: string) {
  const user = await createUser(prefix);
  const old = await createKey(user);
  const credentialsText = [
    '# keys for the work account',
    '[acme.prod]',
    'aws_access_key_id = AKIAACMEACMEACMEACME',
    'aws_secret_access_key = acme-secret',
    '',
    '[dev]',
    `aws_access_key_id = ${old.accessKeyId}`,
    `aws_secret_access_key = ${old.secretAccessKey}`,
    // A full-line comment: botocore (the AWS CLI) would keep an inline one as part of the secret.
    '; rotated by awskeys',
    '',
    '[dev-copy]',
    `aws_access_key_id=${old.accessKeyId}`,
    `aws_secret_access_key=${old.secretAccessKey}`,
    'region = eu-west-1',
    '',
  ].join('\n');
  const configText = '[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-central-1\noutput = json\n';
  const { home, env, credentials, config } = await tempHome({ credentials: credentialsText, config: configText, modes: 'private' });
  const proxy = await startFaultProxy(motoUrl());
  proxies.push(proxy);
  return {
    user,
    old,
    home,
    credentials,
    config,
    credentialsText,
    configText,
    proxy,
    // Through the recording proxy, so a test can list every call awskeys made.
    env: { ...env, AWS_ENDPOINT_URL_IAM: proxy.url, AWS_ENDPOINT_URL_STS: proxy.url, AWS_EC2_METADATA_DISABLED: 'true' },
  };
}

const clock = () => fakeClock(Date.now());

/**
 * The UTC day of the key's last use as moto recorded it, which is what awskeys prints: not the
 * day the test asserts on, which differs when the test runs across midnight.
 */
async function lastUsedDay(accessKeyId: string): Promise<string> {
  const out = await adminIam().send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }));
  return out.AccessKeyLastUsed?.LastUsedDate?.toISOString().slice(0, 10) ?? 'never';
}

/** The one key a user has left, which is not `old`. */
function newKeyOf(keys: Record<string, string>, old: string): string {
  const ids = Object.keys(keys).filter((id) => id !== old);
  if (ids.length !== 1 || ids[0] === undefined) throw new Error(`expected one new key, got ${JSON.stringify(keys)}`);
  return ids[0];
}

function secretIn(text: string, profile: string): string {
  const section = text.split(`[${profile}]`)[1] ?? '';
  return /aws_secret_access_key ?= ?([A-Za-z0-9+/]{40})/.exec(section)?.[1] ?? '';
}

describe('awskeys iam rotate', () => {
  it('replaces the key in every profile holding it and deletes the old key', async () => {
    const s = await setUp('rot');

    const r = await runInProcess(['iam', 'rotate', '--profile', 'dev', '--yes'], { env: s.env, clock: clock() });

    const keys = await keysOf(s.user);
    const fresh = newKeyOf(keys, s.old.accessKeyId);
    expect(keys).toEqual({ [fresh]: 'Active' });
    const text = await readFile(s.credentials, 'utf8');
    const secret = secretIn(text, 'dev');
    expect(secret).not.toBe(s.old.secretAccessKey);
    // Byte for byte the same file, apart from the key lines of the two profiles.
    expect(text).toBe(s.credentialsText.replaceAll(s.old.accessKeyId, fresh).replaceAll(s.old.secretAccessKey, secret));
    expect(await readFile(s.config, 'utf8')).toBe(s.configText);
    expect((await stat(s.credentials)).mode & 0o777).toBe(0o600);
    expect(r).toEqual({
      code: 0,
      stdout: '',
      stderr: [
        `Created access key ${fresh} for IAM user "${s.user}".`,
        `It works: sts get-caller-identity answers as arn:aws:iam::123456789012:user/${s.user}.`,
        `Wrote it into profile dev and profile dev-copy in ${s.credentials}.`,
        `Deactivated the old key ${s.old.accessKeyId}.`,
        `Deleted the old key ${s.old.accessKeyId}.`,
        `Rotated profile dev: ${s.old.accessKeyId} -> ${fresh}.`,
        '',
      ].join('\n'),
    });

    // Calls signed with the old key up to the creation, with the new key from then on.
    expect(s.proxy.seen.map((q) => `${q.action} ${q.signedBy === s.old.accessKeyId ? 'old' : q.signedBy === fresh ? 'new' : q.signedBy}`)).toEqual([
      'GetCallerIdentity old',
      'ListAccessKeys old',
      'CreateAccessKey old',
      'GetCallerIdentity new',
      'UpdateAccessKey new',
      'DeleteAccessKey new',
    ]);
  });

  needs('aws').it('the AWS CLI answers as the same user on the rotated profile', async () => {
    const s = await setUp('rot-cli');
    expect((await runInProcess(['iam', 'rotate', '--profile', 'dev', '--yes'], { env: s.env, clock: clock() })).code).toBe(0);

    const cli = await awsCli(['sts', 'get-caller-identity', '--profile', 'dev', '--endpoint-url', motoUrl(), '--output', 'json'], {
      HOME: s.home,
      AWS_SHARED_CREDENTIALS_FILE: s.credentials,
      AWS_CONFIG_FILE: s.config,
    });
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ Arn: `arn:aws:iam::123456789012:user/${s.user}` });
  });

  it('--keep-old leaves the old key Inactive and says how to delete it', async () => {
    const s = await setUp('keep');

    const r = await runInProcess(['iam', 'rotate', '--profile', 'dev', '--keep-old', '--yes'], { env: s.env, clock: clock() });

    const keys = await keysOf(s.user);
    const fresh = newKeyOf(keys, s.old.accessKeyId);
    expect(keys).toEqual({ [s.old.accessKeyId]: 'Inactive', [fresh]: 'Active' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `Left the old key ${s.old.accessKeyId} Inactive (--keep-old); once nothing needs it: awskeys iam delete-key --user ${s.user} --access-key-id ${s.old.accessKeyId} --yes --profile dev\n`,
    );
  });

  it('rewrites static keys in the config file too, with one write per file', async () => {
    const s = await setUp('cfg');
    const configText = `${s.configText}\n[profile ci]\naws_access_key_id = ${s.old.accessKeyId}\naws_secret_access_key = ${s.old.secretAccessKey}\n`;
    await writeFile(s.config, configText);

    const r = await runInProcess(['iam', 'rotate', '--profile', 'ci', '--yes'], { env: s.env, clock: clock() });

    const fresh = newKeyOf(await keysOf(s.user), s.old.accessKeyId);
    const config = await readFile(s.config, 'utf8');
    const secret = secretIn(config, 'profile ci');
    expect(config).toBe(configText.replace(s.old.accessKeyId, fresh).replace(s.old.secretAccessKey, secret));
    expect(await readFile(s.credentials, 'utf8')).toBe(
      s.credentialsText.replaceAll(s.old.accessKeyId, fresh).replaceAll(s.old.secretAccessKey, secret),
    );
    expect(r.stderr).toContain(
      `Wrote it into profile dev and profile dev-copy in ${s.credentials}; and profile ci in ${s.config}.\n`,
    );
  });
});

describe('awskeys iam rotate when the user already has another key', () => {
  it('deletes an Inactive other key first, and says so', async () => {
    const s = await setUp('inact');
    const other = await createKey(s.user);
    await deactivate(s.user, other.accessKeyId);

    const r = await runInProcess(['iam', 'rotate', '--profile', 'dev', '--yes'], { env: s.env, clock: clock() });

    const keys = await keysOf(s.user);
    expect(Object.keys(keys)).not.toContain(other.accessKeyId);
    expect(Object.values(keys)).toEqual(['Active']);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe(`Deleted the other access key ${other.accessKeyId} (Inactive) of IAM user "${s.user}" to make room.`);
  });

  it('stops with exit 6 on an Active other key, showing its last use, and changes nothing', async () => {
    const s = await setUp('active');
    const other = await createKey(s.user);
    await useKey(other);

    const r = await runInProcess(['iam', 'rotate', '--profile', 'dev', '--yes'], { env: s.env, clock: clock() });

    const day = other.createdAt.toISOString().slice(0, 10);
    const used = await lastUsedDay(other.accessKeyId);
    expect(r.code).toBe(6);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      new RegExp(
        `^IAM user "${s.user}" has another access key, and IAM allows 2:\\n` +
          `  ${other.accessKeyId}  Active    created ${day} \\(today\\)  last used ${used} \\(today, sts, us-east-1\\)\\n` +
          `awskeys: error: IAM user "${s.user}" already has 2 access keys and the other one, ${other.accessKeyId}, is Active; nothing was changed\\. ` +
          `\\(hint: if nothing uses ${other.accessKeyId}, run: awskeys iam rotate --profile dev --delete-other --yes\\)\\n$`,
      ),
    );
    expect(await keysOf(s.user)).toEqual({ [s.old.accessKeyId]: 'Active', [other.accessKeyId]: 'Active' });
    expect(await readFile(s.credentials, 'utf8')).toBe(s.credentialsText);
  });

  it('--delete-other deletes the Active other key, then rotates', async () => {
    const s = await setUp('delother');
    const other = await createKey(s.user);

    const r = await runInProcess(['iam', 'rotate', '--profile', 'dev', '--delete-other', '--yes'], { env: s.env, clock: clock() });

    expect(r.code).toBe(0);
    const keys = await keysOf(s.user);
    expect(Object.keys(keys)).toHaveLength(1);
    expect(keys).not.toHaveProperty(other.accessKeyId);
    expect(keys).not.toHaveProperty(s.old.accessKeyId);
    expect(r.stderr.split('\n')[0]).toBe(`Deleted the other access key ${other.accessKeyId} (Active) of IAM user "${s.user}" to make room.`);
  });

  it('on a terminal, deletes the Active other key once its id is typed', async () => {
    const s = await setUp('typed');
    const other = await createKey(s.user);
    const prompter = fakePrompter({ 'rotate.delete-other': other.accessKeyId });

    const r = await runInProcess(['iam', 'rotate', '--profile', 'dev'], { env: s.env, clock: clock(), prompter });

    expect(r.code).toBe(0);
    expect(prompter.asked).toEqual(['rotate.delete-other']);
    expect(await keysOf(s.user)).not.toHaveProperty(other.accessKeyId);
    expect(r.stderr).toMatch(/^Rotate access key \w+ of profile dev/);
  });

  it('on a terminal, pressing Enter at the typed confirmation keeps both keys (exit 6)', async () => {
    const s = await setUp('enter');
    const other = await createKey(s.user);

    const r = await runInProcess(['iam', 'rotate', '--profile', 'dev', '--yes'], {
      env: s.env,
      clock: clock(),
      prompter: fakePrompter({ 'rotate.delete-other': '' }),
    });

    expect(r.code).toBe(6);
    expect(r.stderr).toBe(
      `IAM user "${s.user}" has another access key, and IAM allows 2:\n` +
        `  ${other.accessKeyId}  Active    created ${other.createdAt.toISOString().slice(0, 10)} (today)  never used\n` +
        `awskeys: error: The other access key ${other.accessKeyId} of IAM user "${s.user}" was kept, so there is no room for a new key; nothing was changed. ` +
        `(hint: delete it first: awskeys iam delete-key --user ${s.user} --access-key-id ${other.accessKeyId} --yes --profile dev)\n`,
    );
    expect(await keysOf(s.user)).toEqual({ [s.old.accessKeyId]: 'Active', [other.accessKeyId]: 'Active' });
    expect(await readFile(s.credentials, 'utf8')).toBe(s.credentialsText);
  });
});

describe('awskeys iam rotate --dry-run', () => {
  it('prints the plan on stdout, calls only read-only APIs and leaves the files byte-identical', async () => {
    const s = await setUp('dry');
    const other = await createKey(s.user);
    await deactivate(s.user, other.accessKeyId);

    const r = await runInProcess(['iam', 'rotate', '--profile', 'dev', '--dry-run'], { env: s.env, clock: clock() });

    const day = other.createdAt.toISOString().slice(0, 10);
    expect(r).toEqual({
      code: 0,
      stdout: [
        `Rotate access key ${s.old.accessKeyId} of profile dev (IAM user "${s.user}"):`,
        '  1. Delete the other access key (inactive keys count toward the quota of 2):',
        `       ${other.accessKeyId}  Inactive  created ${day} (today)  never used`,
        `  2. Create a new access key for IAM user "${s.user}", signed with ${s.old.accessKeyId}.`,
        `  3. Wait until the new key answers sts get-caller-identity as arn:aws:iam::123456789012:user/${s.user} (up to 60 s).`,
        `  4. Write it into profile dev and profile dev-copy in ${s.credentials}.`,
        `  5. Deactivate ${s.old.accessKeyId}, signed with the new key.`,
        `  6. Delete ${s.old.accessKeyId}.`,
        '',
      ].join('\n'),
      stderr: 'Nothing was changed (--dry-run).\n',
    });
    expect(s.proxy.seen.map((q) => q.action)).toEqual(['GetCallerIdentity', 'ListAccessKeys', 'GetAccessKeyLastUsed']);
    expect(await keysOf(s.user)).toEqual({ [s.old.accessKeyId]: 'Active', [other.accessKeyId]: 'Inactive' });
    expect(await readFile(s.credentials, 'utf8')).toBe(s.credentialsText);
    expect(await readFile(s.config, 'utf8')).toBe(s.configText);
  });
});

describe('awskeys iam rotate --dry-run when the rotation would stop', () => {
  it('with an Active other key and no terminal: prints the whole plan, saying where it would stop, then exits 6', async () => {
    const s = await setUp('dryactive');
    const other = await createKey(s.user);
    await useKey(other);

    const r = await runInProcess(['iam', 'rotate', '--profile', 'dev', '--dry-run'], { env: s.env, clock: clock() });

    const used = await lastUsedDay(other.accessKeyId);
    expect(r).toEqual({
      code: 6,
      stdout: [
        `Rotate access key ${s.old.accessKeyId} of profile dev (IAM user "${s.user}"):`,
        `  1. Would stop: the other key ${other.accessKeyId} is Active (last used ${used}, today, sts, us-east-1); pass --delete-other to delete it first (IAM allows 2 keys per user).`,
        `  2. Create a new access key for IAM user "${s.user}", signed with ${s.old.accessKeyId}.`,
        `  3. Wait until the new key answers sts get-caller-identity as arn:aws:iam::123456789012:user/${s.user} (up to 60 s).`,
        `  4. Write it into profile dev and profile dev-copy in ${s.credentials}.`,
        `  5. Deactivate ${s.old.accessKeyId}, signed with the new key.`,
        `  6. Delete ${s.old.accessKeyId}.`,
        '',
      ].join('\n'),
      stderr:
        `awskeys: error: IAM user "${s.user}" already has 2 access keys and the other one, ${other.accessKeyId}, is Active, so the rotation would stop at step 1; nothing was changed (--dry-run). ` +
        `(hint: if nothing uses ${other.accessKeyId}, run: awskeys iam rotate --profile dev --delete-other --yes)\n`,
    });
    expect(s.proxy.seen.map((q) => q.action)).toEqual(['GetCallerIdentity', 'ListAccessKeys', 'GetAccessKeyLastUsed']);
    expect(await keysOf(s.user)).toEqual({ [s.old.accessKeyId]: 'Active', [other.accessKeyId]: 'Active' });
    expect(await readFile(s.credentials, 'utf8')).toBe(s.credentialsText);
  });
});

describe('awskeys iam rotate refuses, changing nothing', () => {
  it('without a terminal and without --yes: exit 7', async () => {
    const s = await setUp('noyes');
    const r = await runInProcess(['iam', 'rotate', '--profile', 'dev'], { env: s.env, clock: clock() });
    expect(r).toEqual({
      code: 7,
      stdout: '',
      stderr:
        'awskeys: error: Rotating the key of profile dev needs a confirmation, and there is no terminal to ask. (hint: pass --yes (see the plan first with --dry-run))\n',
    });
    expect(await keysOf(s.user)).toEqual({ [s.old.accessKeyId]: 'Active' });
  });

  it('on a terminal, answering no: exit 14', async () => {
    const s = await setUp('no');
    const r = await runInProcess(['iam', 'rotate', '--profile', 'dev'], {
      env: s.env,
      clock: clock(),
      prompter: fakePrompter({ 'rotate.confirm': false }),
    });
    expect(r.code).toBe(14);
    expect(r.stderr).toMatch(/\nawskeys: error: Not confirmed; nothing was changed\.\n$/);
    expect(await keysOf(s.user)).toEqual({ [s.old.accessKeyId]: 'Active' });
    expect(await readFile(s.credentials, 'utf8')).toBe(s.credentialsText);
  });

  it('an SSO profile: exit 2, before any AWS call', async () => {
    const s = await setUp('sso');
    await writeFile(s.config, `${s.configText}\n[profile work]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n`);
    const r = await runInProcess(['iam', 'rotate', '--profile', 'work', '--yes'], { env: s.env, clock: clock() });
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'awskeys: error: Profile work is an SSO profile: IAM Identity Center hands it short-lived credentials, so it holds no access key to rotate. (hint: rotate a profile that has aws_access_key_id; see them with: awskeys iam audit --offline)\n',
    });
    expect(s.proxy.seen).toEqual([]);
  });

  it('an unknown profile: exit 5', async () => {
    const s = await setUp('unknown');
    const r = await runInProcess(['iam', 'rotate', '--profile', 'nope', '--yes'], { env: s.env, clock: clock() });
    expect(r.code).toBe(5);
    expect(r.stderr).toBe(
      `awskeys: error: No profile named nope in ${s.config} or ${s.credentials}. (hint: check the name with: aws configure list-profiles)\n`,
    );
  });

  it('--user naming someone else: exit 2', async () => {
    const s = await setUp('other');
    const r = await runInProcess(['iam', 'rotate', '--profile', 'dev', '--user', 'mallory', '--yes'], { env: s.env, clock: clock() });
    expect(r.stderr).toBe(
      `awskeys: error: The key of profile dev (${s.old.accessKeyId}) belongs to IAM user "${s.user}", not "mallory". (hint: drop --user, or pass --user ${s.user})\n`,
    );
    expect(r.code).toBe(2);
  });

  // As every AWS tool: without --profile and AWS_PROFILE, the profile is `default`.
  it('no profile named: rotates profile default', async () => {
    const s = await setUp('default');
    const text = s.credentialsText.replace('[dev]', '[default]');
    await writeFile(s.credentials, text);
    const r = await runInProcess(['iam', 'rotate', '--yes'], { env: s.env, clock: clock() });
    const fresh = newKeyOf(await keysOf(s.user), s.old.accessKeyId);
    expect(r.stderr.split('\n').slice(-3)).toEqual([`Deleted the old key ${s.old.accessKeyId}.`, `Rotated profile default: ${s.old.accessKeyId} -> ${fresh}.`, '']);
    expect(r.code).toBe(0);
    const written = await readFile(s.credentials, 'utf8');
    expect(written).toBe(text.replaceAll(s.old.accessKeyId, fresh).replaceAll(s.old.secretAccessKey, secretIn(written, 'default')));
  });

  it('no profile named and no profile default: exit 5 naming default', async () => {
    const { env } = await tempHome();
    const r = await runInProcess(['iam', 'rotate', '--yes'], { env, clock: clock() });
    expect(r).toEqual({
      code: 5,
      stdout: '',
      stderr: `awskeys: error: No profile named default in ${env.AWS_CONFIG_FILE} or ${env.AWS_SHARED_CREDENTIALS_FILE}. (hint: pass --profile (or set AWS_PROFILE) with one of the profiles that aws configure list-profiles lists)\n`,
    });
  });
});

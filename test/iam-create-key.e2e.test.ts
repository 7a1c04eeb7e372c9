import { execFile } from 'node:child_process';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/global-setup.js';
import { ensureBuilt } from './support/built.js';
import { runBuilt } from './support/cli.js';
import { createKey, createUser, keysOf, motoHome, motoUrl } from './iam-fixtures.js';
import { needs } from './support/optional-tools.js';

const run = promisify(execFile);
const EXISTING = '# Work account: do not remove\r\n[acme.prod]\r\naws_access_key_id = AKIAACMEACMEACMEACME\r\naws_secret_access_key = acme/secret+1\r\n';

beforeAll(ensureBuilt, 120_000);

const undo: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of undo.splice(0).reverse()) await step();
});

/** A new user's HOME: the credentials file already holds a comment and [acme.prod]. */
const home = () => motoHome(EXISTING);

describe('awskeys iam create-key, the built binary, with the aws CLI reading what it wrote', () => {
  needs('aws').it('creates alice a key that `aws sts get-caller-identity --profile alice` accepts, keeping the file byte for byte at 0600', async () => {
    const alice = await createUser('alice');
    const h = await home();

    const r = await runBuilt(['iam', 'create-key', '--user', alice, '--write-profile', alice], { env: h.env });

    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const [id] = Object.keys(await keysOf(alice));
    expect(r.stderr).toContain(`Created access key ${id} for IAM user "${alice}".\n`);
    const text = await readFile(h.credentials, 'utf8');
    expect(text.startsWith(EXISTING)).toBe(true);
    expect(text.slice(EXISTING.length)).toMatch(
      new RegExp(`^\\r\\n\\[${alice}\\]\\r\\naws_access_key_id = ${id}\\r\\naws_secret_access_key = [A-Za-z0-9+/]{40}\\r\\n$`),
    );
    expect((await stat(h.credentials)).mode & 0o777).toBe(0o600);

    const aws = await run('aws', ['sts', 'get-caller-identity', '--profile', alice, '--output', 'json'], {
      env: {
        PATH: process.env.PATH,
        HOME: h.dir,
        AWS_SHARED_CREDENTIALS_FILE: h.credentials,
        AWS_CONFIG_FILE: join(h.dir, '.aws', 'config'),
        AWS_ENDPOINT_URL_STS: motoUrl(),
        AWS_DEFAULT_REGION: 'us-east-1',
      },
    });
    expect((JSON.parse(aws.stdout) as { Arn: string }).Arn).toBe(`arn:aws:iam::123456789012:user/${alice}`);
  });

  it('without a TTY and with two keys: exit 6 and the command that frees a slot', async () => {
    const user = await createUser('full');
    const a = await createKey(user);
    await createKey(user);
    const h = await home();

    const r = await runBuilt(['iam', 'create-key', '--user', user, '--format', 'json'], { env: h.env });

    expect(r.code).toBe(6);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').at(-2)).toBe(
      `awskeys: error: IAM user "${user}" already has 2 access keys; no key was created. (hint: awskeys iam delete-key --user ${user} --access-key-id ${a.accessKeyId} --yes)`,
    );
  });
});

describe('awskeys iam create-key at the quota, with keys that local profiles sign with (the built binary)', () => {
  const day = (d: Date) => d.toISOString().slice(0, 10);

  it('names the profile holding a key, and the hint deletes the other one, which no profile holds', async () => {
    const user = await createUser('held');
    const a = await createKey(user);
    const b = await createKey(user);
    const h = await home();
    // The key that would be picked first (the older, never used) is the one a profile signs with.
    await writeFile(h.credentials, `${EXISTING}[laptop]\naws_access_key_id = ${a.accessKeyId}\naws_secret_access_key = ${a.secretAccessKey}\n`);

    const r = await runBuilt(['iam', 'create-key', '--user', user, '--format', 'json'], { env: h.env });

    expect(r).toEqual({
      code: 6,
      stdout: '',
      stderr: [
        `IAM user "${user}" already has 2 access keys, the most IAM allows (inactive keys count too):`,
        `  ${a.accessKeyId}  Active    created ${day(a.createdAt)} (today)  never used  used here by profile laptop`,
        `  ${b.accessKeyId}  Active    created ${day(b.createdAt)} (today)  never used`,
        `awskeys: error: IAM user "${user}" already has 2 access keys; no key was created. ` +
          `(hint: profile laptop signs with ${a.accessKeyId}; ${b.accessKeyId} is in no profile here, delete it: ` +
          `awskeys iam delete-key --user ${user} --access-key-id ${b.accessKeyId} --yes)`,
        '',
      ].join('\n'),
    });
    expect(await keysOf(user)).toEqual({ [a.accessKeyId]: 'Active', [b.accessKeyId]: 'Active' });

    // The hinted command goes through (no profile holds that key), and then create-key does.
    const fix = await runBuilt(['iam', 'delete-key', '--user', user, '--access-key-id', b.accessKeyId, '--yes'], { env: h.env });
    expect(fix.code).toBe(0);
    const again = await runBuilt(['iam', 'create-key', '--user', user, '--format', 'json'], { env: h.env });
    expect(again.code).toBe(0);
  });

  it('with every key held (a profile, and AWS_ACCESS_KEY_ID), offers no safe choice: the hint names both and needs --even-if-used', async () => {
    const user = await createUser('bothheld');
    const a = await createKey(user);
    const b = await createKey(user);
    const h = await home();
    await writeFile(h.credentials, `${EXISTING}[ci]\naws_access_key_id = ${b.accessKeyId}\naws_secret_access_key = ${b.secretAccessKey}\n`);
    await writeFile(join(h.dir, '.aws', 'config'), `[profile ci-copy]\naws_access_key_id = ${b.accessKeyId}\naws_secret_access_key = ${b.secretAccessKey}\n`);
    // The user signs as themselves with key a, from the environment (moto then reports a as used).
    const env = { ...h.env, AWS_ACCESS_KEY_ID: a.accessKeyId, AWS_SECRET_ACCESS_KEY: a.secretAccessKey };

    const r = await runBuilt(['iam', 'create-key', '--user', user, '--format', 'json'], { env });

    expect(r).toEqual({
      code: 6,
      stdout: '',
      stderr: [
        `IAM user "${user}" already has 2 access keys, the most IAM allows (inactive keys count too):`,
        `  ${a.accessKeyId}  Active    created ${day(a.createdAt)} (today)  last used ${day(new Date())} (today, iam, us-east-1)  used here by AWS_ACCESS_KEY_ID in this environment`,
        `  ${b.accessKeyId}  Active    created ${day(b.createdAt)} (today)  never used  used here by profile ci and profile ci-copy`,
        `awskeys: error: IAM user "${user}" already has 2 access keys; no key was created. ` +
          `(hint: AWS_ACCESS_KEY_ID in this environment signs with ${a.accessKeyId}, and profile ci and profile ci-copy sign with ${b.accessKeyId}, ` +
          'so deleting either breaks what signs with it; ' +
          `if profile ci and profile ci-copy no longer need ${b.accessKeyId}: ` +
          `awskeys iam delete-key --user ${user} --access-key-id ${b.accessKeyId} --yes --even-if-used)`,
        '',
      ].join('\n'),
    });
    expect(await keysOf(user)).toEqual({ [a.accessKeyId]: 'Active', [b.accessKeyId]: 'Active' });
  });
});

function withoutKeys(env: Record<string, string>): Record<string, string> {
  const rest = { ...env };
  delete rest.AWS_ACCESS_KEY_ID;
  delete rest.AWS_SECRET_ACCESS_KEY;
  return rest;
}

describe('awskeys iam create-key, the built binary, on bad input', () => {
  type Case = [string, number, (h: Awaited<ReturnType<typeof home>>, user: string) => Promise<Record<string, string | undefined>>, RegExp];
  const cases: Case[] = [
    ['an unknown user', 5, (h) => Promise.resolve(h.env), /^awskeys: error: IAM user "[^"]+" does not exist\. \(hint: [^\n]+\)\n$/],
    [
      'a malformed credentials file',
      3,
      async (h) => {
        await writeFile(h.credentials, `${EXISTING}oops no section\n`);
        return h.env;
      },
      /^awskeys: error: \S+credentials line 5: [^\n]+\n$/,
    ],
    [
      'no source credentials',
      4,
      (h) => Promise.resolve(withoutKeys(h.env)),
      /^awskeys: error: [^\n]*no AWS credentials found[^\n]+\n$/,
    ],
    [
      'a source profile (AWS_PROFILE) in neither AWS file',
      5,
      (h) => Promise.resolve({ ...h.env, AWS_PROFILE: 'nope' }),
      /^awskeys: error: No profile named nope \(from AWS_PROFILE\) in \S+config or \S+credentials\. \(hint: unset AWS_PROFILE, [^\n]+\)\n$/,
    ],
    [
      'an unreachable server',
      8,
      async (h) => ({ ...h.env, AWS_ENDPOINT_URL_IAM: `http://127.0.0.1:${await freePort()}` }),
      /^awskeys: error: [^\n]*cannot reach AWS \(127\.0\.0\.1:\d+\): ECONNREFUSED\. [^\n]+\n$/,
    ],
    [
      'an unwritable folder',
      3,
      async (h) => {
        const dir = join(h.dir, '.aws');
        if (process.getuid?.() === 0) {
          await run('chattr', ['+i', dir]);
          undo.push(() => run('chattr', ['-i', dir]));
        } else {
          await chmod(dir, 0o500);
          undo.push(() => chmod(dir, 0o700));
        }
        return h.env;
      },
      /^awskeys: error: Cannot write \S+credentials: permission denied\. [^\n]+\n$/,
    ],
  ];

  it.each(cases)('%s: exit %i, one line, no key created, the file untouched', async (_what, code, arrange, stderr) => {
    const user = _what === 'an unknown user' ? 'no-such-user-e2e' : await createUser('bad');
    const h = await home();
    const env = await arrange(h, user);
    const before = await readFile(h.credentials, 'utf8');

    const r = await runBuilt(['iam', 'create-key', '--user', user, '--write-profile', 'new'], { env });

    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(stderr);
    expect(await readFile(h.credentials, 'utf8')).toBe(before);
    if (user !== 'no-such-user-e2e') expect(await keysOf(user)).toEqual({});
  });
});

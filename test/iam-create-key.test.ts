import { execFile } from 'node:child_process';
import { chmod, lstat, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './support/global-setup.js';
import { fakePrompter } from './support/fake-prompter.js';
import { runBuilt, runInProcess } from './support/cli.js';
import { CreateUserCommand } from '@aws-sdk/client-iam';
import { adminIam, createKey, createUser, deactivate, keysOf, motoEnv, motoHome, uniqueName } from './iam-fixtures.js';
import { needs } from './support/optional-tools.js';

const run = promisify(execFile);
const EXISTING = '# work account\n[acme.prod]\naws_access_key_id = AKIAACMEACMEACMEACME\naws_secret_access_key = acme-secret\n';

const undo: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of undo.splice(0).reverse()) await step();
});

/** A temp HOME whose credentials file already holds a comment and [acme.prod]. */
const home = () => motoHome(EXISTING);

function onlyKey(keys: Record<string, string>): string {
  const ids = Object.keys(keys);
  if (ids.length !== 1 || ids[0] === undefined) throw new Error(`expected one key, got ${ids.join(', ')}`);
  return ids[0];
}

describe('awskeys iam create-key', () => {
  it('--write-profile stores the key and reports what it did on stderr, never the secret', async () => {
    const user = await createUser('alice');
    const h = await home();

    const r = await runInProcess(['iam', 'create-key', '--user', user, '--write-profile', user], { env: h.env });

    const id = onlyKey(await keysOf(user));
    const text = await readFile(h.credentials, 'utf8');
    const secret = /aws_secret_access_key = (\S+)\n$/.exec(text)?.[1] ?? '';
    expect(text).toBe(`${EXISTING}\n[${user}]\naws_access_key_id = ${id}\naws_secret_access_key = ${secret}\n`);
    expect(r).toEqual({
      code: 0,
      stdout: '',
      stderr: [
        `Created access key ${id} for IAM user "${user}".`,
        `Stored it as profile "${user}" in ${h.credentials}.`,
        `Try it: aws sts get-caller-identity --profile ${user}`,
        '',
      ].join('\n'),
    });
    expect(secret).toMatch(/^[A-Za-z0-9+/]{40}$/);
  });

  it('--format env prints exports on stdout (the only way the secret reaches stdout)', async () => {
    const user = await createUser('envy');
    const r = await runInProcess(['iam', 'create', '--user', user, '--format', 'env'], { env: (await home()).env });

    const id = onlyKey(await keysOf(user));
    const secret = /AWS_SECRET_ACCESS_KEY='(.+)'/.exec(r.stdout)?.[1] ?? '';
    expect(r.stdout).toBe(
      `export AWS_ACCESS_KEY_ID='${id}'\nexport AWS_SECRET_ACCESS_KEY='${secret}'\nunset AWS_SESSION_TOKEN\nunset AWS_CREDENTIAL_EXPIRATION\n`,
    );
    expect(r.stderr).toBe(`Created access key ${id} for IAM user "${user}".\n`);
  });

  it('--format csv and --csv-file combine: CSV on stdout and a 0600 file that names the user', async () => {
    const user = await createUser('csv');
    const h = await home();
    const path = join(h.dir, 'alice_accessKeys.csv');

    const r = await runInProcess(['iam', 'create-key', '--user', user, '--format', 'csv', '--csv-file', path], { env: h.env });

    const id = onlyKey(await keysOf(user));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^User Name,Access key ID,Secret access key\\n${user},${id},[A-Za-z0-9+/]{40}\\n$`));
    expect(await readFile(path, 'utf8')).toBe(r.stdout);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(r.stderr).toBe(
      `Created access key ${id} for IAM user "${user}".\nWrote it to ${path} (mode 0600); import it with: aws configure import --csv file://${path}\n`,
    );
  });

  // IAM allows commas in user names; the AWS CLI's importer splits lines at every comma (key-csv.ts).
  it('a user name with a comma: a valid CSV that awskeys iam import reads, and no aws configure import hint', async () => {
    const user = `ops,${uniqueName('team')}`;
    await adminIam().send(new CreateUserCommand({ UserName: user }));
    const h = await home();
    const path = join(h.dir, 'keys.csv');

    const r = await runInProcess(['iam', 'create-key', '--user', user, '--csv-file', path], { env: h.env });

    const id = onlyKey(await keysOf(user));
    const profile = user.replace(',', '-');
    expect(r).toEqual({
      code: 0,
      stdout: '',
      stderr:
        `Created access key ${id} for IAM user "${user}".\n` +
        `Wrote it to ${path} (mode 0600); not importable with the AWS CLI (aws configure import splits every line at commas and would misread the user name "${user}"); ` +
        `import it with: awskeys iam import --csv ${path} --profile ${profile}\n`,
    });
    expect(await readFile(path, 'utf8')).toMatch(new RegExp(`^User Name,Access key ID,Secret access key\\n"${user}",${id},[A-Za-z0-9+/]{40}\\n$`));
    // The suggested command works as printed.
    const imported = await runInProcess(['iam', 'import', '--csv', path, '--profile', profile], { env: h.env });
    expect(imported.code).toBe(0);
    expect(await readFile(h.credentials, 'utf8')).toContain(`[${profile}]\naws_access_key_id = ${id}\n`);
  });

  it('a relative --csv-file resolves against the working directory the command was given', async () => {
    const user = await createUser('rel');
    const h = await home();
    const name = `${user}_accessKeys.csv`;

    const r = await runInProcess(['iam', 'create-key', '--user', user, '--csv-file', name], { env: h.env, cwd: h.dir });

    const path = join(h.dir, name);
    const id = onlyKey(await keysOf(user));
    expect(r.code).toBe(0);
    expect(await readFile(path, 'utf8')).toMatch(new RegExp(`^User Name,Access key ID,Secret access key\\n${user},${id},[A-Za-z0-9+/]{40}\\n$`));
    // Not in the test process's own directory.
    expect(await stat(name).catch(() => 'absent')).toBe('absent');
    expect(r.stderr).toBe(
      `Created access key ${id} for IAM user "${user}".\nWrote it to ${path} (mode 0600); import it with: aws configure import --csv file://${path}\n`,
    );
  });

  /** create-key for a new user into profile "my prof" and a CSV named "bob's keys.csv": the names a shell would split. */
  async function createSpaced() {
    const user = await createUser('spaced');
    const h = await home();
    const csv = join(h.dir, "bob's keys.csv");
    const r = await runInProcess(['iam', 'create-key', '--user', user, '--write-profile', 'my prof', '--csv-file', csv], { env: h.env });
    return { user, h, csv, r, tryIt: "aws sts get-caller-identity --profile 'my prof'" };
  }

  it('quotes the names in the commands it suggests, so they can be pasted into a shell', async () => {
    const { h, csv, r, tryIt } = await createSpaced();

    expect(r.code).toBe(0);
    const importIt = `aws configure import --csv 'file://${h.dir}/bob'\\''s keys.csv'`;
    expect(r.stderr.split('\n').slice(1)).toEqual([
      `Wrote it to ${csv} (mode 0600); import it with: ${importIt}`,
      `Stored it as profile "my prof" in ${h.credentials}.`,
      `Try it: ${tryIt}`,
      '',
    ]);
    // The shell splits each suggestion into the intended words.
    expect(await shellWords(importIt)).toEqual(['aws', 'configure', 'import', '--csv', `file://${csv}`]);
    expect(await shellWords(tryIt)).toEqual(['aws', 'sts', 'get-caller-identity', '--profile', 'my prof']);
  });

  needs('aws').it('the suggested "Try it" command works as printed, pasted into a shell', async () => {
    const { user, h, r, tryIt } = await createSpaced();

    expect(r.stderr).toContain(`Try it: ${tryIt}\n`);
    const aws = await run('sh', ['-c', `${tryIt} --output text --query Arn`], {
      env: {
        PATH: process.env.PATH,
        HOME: h.dir,
        AWS_SHARED_CREDENTIALS_FILE: h.credentials,
        AWS_CONFIG_FILE: join(h.dir, '.aws', 'config'),
        AWS_ENDPOINT_URL_STS: motoEnv().AWS_ENDPOINT_URL_STS,
        AWS_DEFAULT_REGION: 'us-east-1',
      },
    });
    expect(aws.stdout).toBe(`arn:aws:iam::123456789012:user/${user}\n`);
  });

  it('declining to replace a profile that holds a key: exit 14 (cancelled), no key, file untouched', async () => {
    const user = await createUser('decline');
    const h = await home();
    const prompter = fakePrompter({ 'create-key.replace-profile': false });

    const r = await runInProcess(['iam', 'create-key', '--user', user, '--write-profile', 'acme.prod'], { env: h.env, prompter });

    expect(r).toEqual({
      code: 14,
      stdout: '',
      stderr: `awskeys: error: Profile "acme.prod" in ${h.credentials} already holds access key AKIAACMEACMEACMEACME; nothing was replaced and no key was created. (hint: pass --force to replace it, or choose another --write-profile)\n`,
    });
    expect(await keysOf(user)).toEqual({});
    expect(await readFile(h.credentials, 'utf8')).toBe(EXISTING);
  });

  it('without a destination and without a terminal, refuses before calling IAM (exit 7)', async () => {
    const user = await createUser('nodest');
    const r = await runInProcess(['iam', 'create-key', '--user', user], { env: (await home()).env });
    expect(r).toEqual({
      code: 7,
      stdout: '',
      stderr:
        "awskeys: error: Nowhere to put the new key's secret, and no terminal to ask where. (hint: pass --write-profile NAME, --csv-file PATH, or --format env|json|csv)\n",
    });
    expect(await keysOf(user)).toEqual({});
  });
});

describe('awskeys iam create-key on bad input: one line, its own exit code, files untouched', () => {
  it('a profile name that would break the file: exit 2, before calling IAM', async () => {
    const user = await createUser('badname');
    const h = await home();
    const r = await runInProcess(['iam', 'create-key', '--user', user, '--write-profile', 'a]b'], { env: h.env });
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: 'awskeys: error: Invalid profile name "a]b": it contains [ or ]. (hint: choose a profile name of letters, digits and - _ . @ (for example: dev, acme.prod))\n',
    });
    expect(await keysOf(user)).toEqual({});
    expect(await readFile(h.credentials, 'utf8')).toBe(EXISTING);
  });

  it('unknown user: exit 5', async () => {
    const h = await home();
    const r = await runInProcess(['iam', 'create-key', '--user', 'no-such-user-7', '--write-profile', 'x'], { env: h.env });
    expect(r).toEqual({
      code: 5,
      stdout: '',
      stderr: 'awskeys: error: IAM user "no-such-user-7" does not exist. (hint: check the name with: aws iam list-users)\n',
    });
    expect(await readFile(h.credentials, 'utf8')).toBe(EXISTING);
  });

  it('malformed credentials file: exit 3 naming the line, before any key is created', async () => {
    const user = await createUser('broken');
    const h = await home();
    const broken = `${EXISTING}[half\n`;
    await writeFile(h.credentials, broken);

    const r = await runInProcess(['iam', 'create-key', '--user', user, '--write-profile', user], { env: h.env });

    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^awskeys: error: ${h.credentials} line 5: [^\\n]+\\n$`));
    expect(await keysOf(user)).toEqual({});
    expect(await readFile(h.credentials, 'utf8')).toBe(broken);
  });

  it('no source credentials: exit 4', async () => {
    const h = await home();
    // Nothing in the default chain: no env keys, a credentials file with no default, no IMDS.
    const env = { ...h.env };
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;

    const r = await runInProcess(['iam', 'create-key', '--user', 'anyone', '--write-profile', 'x'], { env });

    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^awskeys: error: List access keys: no AWS credentials found: [^\n]+ \(hint: pass --profile NAME, set AWS_PROFILE, or run: awskeys sso login\)\n$/,
    );
    expect(await readFile(h.credentials, 'utf8')).toBe(EXISTING);
  });

  it('a --profile that is in neither AWS file: exit 5 naming it and both files, before calling IAM', async () => {
    const h = await home();
    const config = join(h.dir, '.aws', 'config');

    const r = await runInProcess(['iam', 'create-key', '--profile', 'nope', '--user', 'anyone', '--write-profile', 'x'], { env: h.env });

    expect(r).toEqual({
      code: 5,
      stdout: '',
      stderr: `awskeys: error: No profile named nope in ${config} or ${h.credentials}. (hint: check the name with: aws configure list-profiles, or create it: aws configure --profile nope)\n`,
    });
    expect(await readFile(h.credentials, 'utf8')).toBe(EXISTING);
  });

  it('an AWS_PROFILE that is in neither AWS file: exit 5, saying where the name came from', async () => {
    const h = await home();
    const config = join(h.dir, '.aws', 'config');

    const r = await runInProcess(['iam', 'create-key', '--user', 'anyone', '--write-profile', 'x'], { env: { ...h.env, AWS_PROFILE: 'my typo' } });

    expect(r).toEqual({
      code: 5,
      stdout: '',
      stderr: `awskeys: error: No profile named my typo (from AWS_PROFILE) in ${config} or ${h.credentials}. (hint: unset AWS_PROFILE, or set it to one of the profiles that aws configure list-profiles lists)\n`,
    });
  });

  it('a --profile found in the credentials file is used as the source', async () => {
    const user = await createUser('viaprofile');
    const h = await home();
    await writeFile(h.credentials, `${EXISTING}[admin]\naws_access_key_id = testing\naws_secret_access_key = testing\n`);
    const env = { ...h.env };
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;

    const r = await runInProcess(['iam', 'create-key', '--profile', 'admin', '--user', user, '--format', 'json'], { env });

    expect(r.code).toBe(0);
    expect(Object.keys(await keysOf(user))).toEqual([(JSON.parse(r.stdout) as { AccessKeyId: string }).AccessKeyId]);
  });

  it('server unreachable: exit 8', async () => {
    const h = await home();
    const closed = `http://127.0.0.1:${await freePort()}`;
    const env = { ...h.env, AWS_ENDPOINT_URL_IAM: closed, AWS_ENDPOINT_URL_STS: closed };

    const r = await runInProcess(['iam', 'create-key', '--user', 'anyone', '--write-profile', 'x'], { env });

    expect(r).toEqual({
      code: 8,
      stdout: '',
      stderr:
        'awskeys: error: List access keys: cannot reach AWS (127.0.0.1:' +
        closed.split(':')[2] +
        '): ECONNREFUSED. (hint: check your network, proxy, and any AWS_ENDPOINT_URL* settings)\n',
    });
    expect(await readFile(h.credentials, 'utf8')).toBe(EXISTING);
  });

  it('unwritable folder: exit 3 and no key left behind', async () => {
    const user = await createUser('rofs');
    const h = await home();
    const awsDir = join(h.dir, '.aws');
    if (process.getuid?.() === 0) {
      // Permission bits do not stop root; the immutable attribute does.
      await run('chattr', ['+i', awsDir]);
      undo.push(() => run('chattr', ['-i', awsDir]));
    } else {
      await chmod(awsDir, 0o500);
      undo.push(() => chmod(awsDir, 0o700));
    }

    const r = await runInProcess(['iam', 'create-key', '--user', user, '--write-profile', user], { env: h.env });

    expect(r).toEqual({ code: 3, stdout: '', stderr: `awskeys: error: Cannot write ${h.credentials}: permission denied.${hintFor(awsDir)}\n` });
    expect(await keysOf(user)).toEqual({});
    expect(await readFile(h.credentials, 'utf8')).toBe(EXISTING);
  });
});

describe('awskeys iam create-key decides under the lock', () => {
  it('four runs writing one profile at once: one stores its key, the other three delete theirs and say so', async () => {
    const users = await Promise.all([1, 2, 3, 4].map((i) => createUser(`race${i}`)));
    const h = await home();

    const runs = await Promise.all(
      users.map((user) => runBuilt(['iam', 'create-key', '--user', user, '--write-profile', 'shared'], { env: h.env })),
    );

    const keys = (await Promise.all(users.map(keysOf))).flatMap((k) => Object.keys(k));
    const text = await readFile(h.credentials, 'utf8');
    expect(keys).toHaveLength(1);
    expect(text).toContain(`[shared]\naws_access_key_id = ${keys[0]}\n`);
    expect(runs.map((r) => r.code).sort()).toEqual([0, 7, 7, 7]);
    for (const r of runs.filter((x) => x.code === 7)) {
      // Lost the decision under the lock (its key deleted again), or came late enough to be refused before creating one.
      expect(r.stderr).toMatch(
        /^awskeys: error: Profile "shared" in .* already holds access key AKIA\w+(, written by another process since this run checked; the new key was not stored\. The new key AKIA\w+ was deleted again; nothing changed\.|; no key was created\.) \(hint: pass --force to replace it, or choose another --write-profile\)\n$/,
      );
    }
  }, 60_000);
});

describe('awskeys iam create-key only writes regular files', () => {
  it('a credentials file that is a FIFO: exit 3 at once (no hang), no key created', async () => {
    const user = await createUser('fifo');
    const h = await home();
    const fifo = join(h.dir, 'fifo');
    await run('mkfifo', [fifo]);

    const r = await runInProcess(['iam', 'create-key', '--user', user, '--write-profile', user], {
      env: { ...h.env, AWS_SHARED_CREDENTIALS_FILE: fifo },
    });

    expect(r).toEqual({
      code: 3,
      stdout: '',
      stderr: `awskeys: error: ${fifo} is a FIFO (named pipe), not a regular file; awskeys writes secrets only to regular files. (hint: use the path of a regular file (check: ls -lL ${fifo}))\n`,
    });
    expect(await keysOf(user)).toEqual({});
  });

  it('a --csv-file that is a symlink to /dev/null: exit 3, no key created, the device untouched', async () => {
    const user = await createUser('devnull');
    const h = await home();
    const link = join(h.dir, 'keys.csv');
    await symlink('/dev/null', link);

    const r = await runInProcess(['iam', 'create-key', '--user', user, '--csv-file', link], { env: h.env });

    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `awskeys: error: ${link} is a character device, not a regular file; awskeys writes secrets only to regular files. (hint: use the path of a regular file (check: ls -lL ${link}))\n`,
    );
    expect(await keysOf(user)).toEqual({});
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect((await stat('/dev/null')).isCharacterDevice()).toBe(true);
  });
});

describe('awskeys iam create-key --write-profile and a profile that gets credentials another way', () => {
  it('refuses an SSO, role or credential_process profile (exit 2), even with --force, before any AWS call: no key is created', async () => {
    const user = await createUser('kind');
    const h = await home();
    const config =
      '[profile work]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n\n' +
      '[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = acme.prod\n\n[profile tool]\ncredential_process = /usr/local/bin/creds\n';
    await writeFile(join(h.dir, '.aws', 'config'), config);
    const env = { ...h.env, AWS_CONFIG_FILE: join(h.dir, '.aws', 'config') };

    for (const [profile, setting] of [['work', 'sso_session'], ['admin', 'role_arn'], ['tool', 'credential_process']] as const) {
      for (const force of [[], ['--force']]) {
        const r = await runInProcess(['iam', 'create-key', '--user', user, '--write-profile', profile, ...force], { env });
        expect(r).toEqual({
          code: 2,
          stdout: '',
          stderr: `awskeys: error: Profile "${profile}" already gets credentials another way (${setting} in the config file); no key was created. (hint: choose another name with --write-profile)\n`,
        });
      }
    }
    expect(await keysOf(user)).toEqual({});
    expect(await readFile(h.credentials, 'utf8')).toBe(EXISTING);
    expect(await readFile(join(h.dir, '.aws', 'config'), 'utf8')).toBe(config);

    // Before any AWS call: with IAM and STS unreachable the answer is the same, at once.
    const port = await freePort();
    const dead = { ...env, AWS_ENDPOINT_URL_IAM: `http://127.0.0.1:${port}`, AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${port}` };
    const offline = await runInProcess(['iam', 'create-key', '--user', user, '--write-profile', 'work'], { env: dead });
    expect(offline.code).toBe(2);
  });

  it('the same refusal as iam import, word for word but the flag and what was not done', async () => {
    const h = await home();
    await writeFile(join(h.dir, '.aws', 'config'), '[profile work]\nsso_session = corp\n');
    const csv = join(h.dir, 'key.csv');
    await writeFile(csv, 'Access key ID,Secret access key\nAKIANEWNEWNEWNEWNEW1,new-secret\n', { mode: 0o600 });
    const env = { ...h.env, AWS_CONFIG_FILE: join(h.dir, '.aws', 'config') };

    const created = await runInProcess(['iam', 'create-key', '--write-profile', 'work'], { env });
    const imported = await runInProcess(['iam', 'import', '--csv', csv, '--profile', 'work'], { env });

    expect([created.code, imported.code]).toEqual([2, 2]);
    const common = (r: { stderr: string }) => r.stderr.replace('no key was created', 'X').replace('nothing was written', 'X').replace('--write-profile', '--profile');
    expect(common(created)).toBe(common(imported));
  });
});

describe('awskeys iam create-key when the user already has two keys', () => {
  it('without a terminal: exit 6, both keys on stderr, and the command that frees a slot', async () => {
    const user = await createUser('quota');
    const a = await createKey(user);
    const b = await createKey(user);
    await deactivate(user, a.accessKeyId);
    const h = await home();

    const r = await runInProcess(['iam', 'create-key', '--user', user, '--write-profile', user], { env: h.env });

    const day = (d: Date) => d.toISOString().slice(0, 10);
    expect(r).toEqual({
      code: 6,
      stdout: '',
      stderr: [
        `IAM user "${user}" already has 2 access keys, the most IAM allows (inactive keys count too):`,
        `  ${a.accessKeyId}  Inactive  created ${day(a.createdAt)} (today)  never used`,
        `  ${b.accessKeyId}  Active    created ${day(b.createdAt)} (today)  never used`,
        `awskeys: error: IAM user "${user}" already has 2 access keys; no key was created. (hint: awskeys iam delete-key --user ${user} --access-key-id ${a.accessKeyId} --yes)`,
        '',
      ].join('\n'),
    });
    expect(await keysOf(user)).toEqual({ [a.accessKeyId]: 'Inactive', [b.accessKeyId]: 'Active' });
    expect(await readFile(h.credentials, 'utf8')).toBe(EXISTING);

    // The hint is a working command: run it, and create-key goes through.
    const fix = await runInProcess(['iam', 'delete-key', '--user', user, '--access-key-id', a.accessKeyId, '--yes'], { env: h.env });
    expect(fix.code).toBe(0);
    expect((await runInProcess(['iam', 'create-key', '--user', user, '--write-profile', user], { env: h.env })).code).toBe(0);
  });

  it('on a terminal: deletes the key chosen at the prompt, then creates and stores the new one', async () => {
    const user = await createUser('pick');
    const a = await createKey(user);
    const b = await createKey(user);
    const h = await home();
    const prompter = fakePrompter({ 'create-key.make-room': `delete:${b.accessKeyId}` });

    const r = await runInProcess(['iam', 'create-key', '--user', user, '--write-profile', user], { env: h.env, prompter });

    expect(r.code).toBe(0);
    const keys = await keysOf(user);
    const created = Object.keys(keys).find((id) => id !== a.accessKeyId) ?? '';
    expect(Object.keys(keys).sort()).toEqual([a.accessKeyId, created].sort());
    expect(created).not.toBe(b.accessKeyId);
    expect(r.stderr.split('\n').slice(-5)).toEqual([
      `Deleted access key ${b.accessKeyId} of IAM user "${user}".`,
      `Created access key ${created} for IAM user "${user}".`,
      `Stored it as profile "${user}" in ${h.credentials}.`,
      `Try it: aws sts get-caller-identity --profile ${user}`,
      '',
    ]);
  });
});

/** The words a POSIX shell makes of `command`. */
async function shellWords(command: string): Promise<string[]> {
  const { stdout } = await run('sh', ['-c', `for w in ${command}; do printf '%s\\0' "$w"; done`]);
  return stdout.split('\0').slice(0, -1);
}

function hintFor(dir: string): string {
  return ` (hint: check the permissions of ${dir})`;
}

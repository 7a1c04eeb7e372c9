import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakePrompter } from './support/fake-prompter.js';
import { holdLock } from './support/held-lock.js';
import { runInProcess, tempHome } from './support/cli.js';
import { awsCli } from './iam-hygiene-fixtures.js';
import { needs } from './support/optional-tools.js';
import { createKey, createUser, motoUrl } from './iam-fixtures.js';

const EXISTING = '# work\n[acme.prod]\naws_access_key_id = AKIAACMEACMEACMEACME\naws_secret_access_key = acme-secret\n';

async function setUp(csv: string, credentials: string | null = EXISTING) {
  const { home, env } = await tempHome();
  const awsDir = join(home, '.aws');
  await mkdir(awsDir, { mode: 0o700 });
  const credentialsPath = join(awsDir, 'credentials');
  if (credentials !== null) await writeFile(credentialsPath, credentials, { mode: 0o600 });
  const csvPath = join(home, 'alice_accessKeys.csv');
  await writeFile(csvPath, csv, { mode: 0o600 });
  return { home, credentials: credentialsPath, csvPath, env };
}

describe('awskeys iam import', () => {
  /** The console's CSV for a new key of a new user (BOM, CRLF, no user name), imported as profile alice. */
  async function importConsoleCsv() {
    const user = await createUser('imp');
    const key = await createKey(user);
    const s = await setUp(`\uFEFFAccess key ID,Secret access key\r\n${key.accessKeyId},${key.secretAccessKey}\r\n`);
    const r = await runInProcess(['iam', 'import', '--csv', s.csvPath, '--profile', 'alice'], { env: s.env });
    return { user, key, s, r };
  }

  it("stores the console's CSV (BOM, CRLF, no user name) in a new profile", async () => {
    const { key, s, r } = await importConsoleCsv();

    expect(await readFile(s.credentials, 'utf8')).toBe(
      `${EXISTING}\n[alice]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`,
    );
    expect(r).toEqual({
      code: 0,
      stdout: '',
      stderr: [
        `Imported access key ${key.accessKeyId} into profile alice in ${s.credentials}.`,
        'Try it: aws sts get-caller-identity --profile alice',
        `${s.csvPath} still holds the secret: delete it once the profile works.`,
        '',
      ].join('\n'),
    });
  });

  needs('aws').it('the imported profile signs in the AWS CLI as the key\'s user', async () => {
    const { user, s, r } = await importConsoleCsv();
    expect(r.code).toBe(0);

    const cli = await awsCli(['sts', 'get-caller-identity', '--profile', 'alice', '--region', 'us-east-1', '--endpoint-url', motoUrl(), '--output', 'json'], {
      HOME: s.home,
      AWS_SHARED_CREDENTIALS_FILE: s.credentials,
      AWS_CONFIG_FILE: join(s.home, '.aws', 'config'),
    });
    expect(JSON.parse(cli.stdout)).toMatchObject({ Arn: `arn:aws:iam::123456789012:user/${user}` });
  });

  it('creates the credentials file 0600 when there is none, and names the user from a User Name column', async () => {
    const s = await setUp('User Name,Access key ID,Secret access key\nbob,AKIABOBBOBBOBBOBBOB1,bob/secret+key\n', null);

    const r = await runInProcess(['iam', 'import', '--csv', s.csvPath, '--profile', 'bob'], { env: s.env });

    expect(r.code).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe(`Imported access key AKIABOBBOBBOBBOBBOB1 (IAM user "bob") into profile bob in ${s.credentials} (new file, mode 0600).`);
    expect(await readFile(s.credentials, 'utf8')).toBe('[bob]\naws_access_key_id = AKIABOBBOBBOBBOBBOB1\naws_secret_access_key = bob/secret+key\n');
    expect((await stat(s.credentials)).mode & 0o777).toBe(0o600);
  });

  it('refuses to replace a profile that holds a key without --force (exit 7), and replaces it with --force', async () => {
    const s = await setUp('Access key ID,Secret access key\nAKIANEWNEWNEWNEWNEW1,new-secret\n');

    const refused = await runInProcess(['iam', 'import', '--csv', s.csvPath, '--profile', 'acme.prod'], { env: s.env });
    expect(refused).toEqual({
      code: 7,
      stdout: '',
      stderr:
        `awskeys: error: Profile "acme.prod" in ${s.credentials} already holds access key AKIAACMEACMEACMEACME; nothing was written. (hint: pass --force to replace it, or choose another --profile)\n`,
    });
    expect(await readFile(s.credentials, 'utf8')).toBe(EXISTING);

    const forced = await runInProcess(['iam', 'import', '--csv', s.csvPath, '--profile', 'acme.prod', '--force'], { env: s.env });
    expect(forced.code).toBe(0);
    expect(await readFile(s.credentials, 'utf8')).toBe(
      EXISTING.replace('AKIAACMEACMEACMEACME', 'AKIANEWNEWNEWNEWNEW1').replace('acme-secret', 'new-secret'),
    );
  });

  it('on a terminal, asks before replacing: no leaves the file as it was (exit 14), yes replaces', async () => {
    const s = await setUp('Access key ID,Secret access key\nAKIANEWNEWNEWNEWNEW1,new-secret\n');
    const args = ['iam', 'import', '--csv', s.csvPath, '--profile', 'acme.prod'];

    const no = await runInProcess(args, { env: s.env, prompter: fakePrompter({ 'import.replace-profile': false }) });
    expect(no.code).toBe(14);
    expect(await readFile(s.credentials, 'utf8')).toBe(EXISTING);

    const yes = await runInProcess(args, { env: s.env, prompter: fakePrompter({ 'import.replace-profile': true }) });
    expect(yes.code).toBe(0);
    expect(await readFile(s.credentials, 'utf8')).toContain('aws_access_key_id = AKIANEWNEWNEWNEWNEW1\n');
  });

  it('never turns an SSO, role or credential_process profile into an access-key profile, not even with --force (exit 2)', async () => {
    const s = await setUp('Access key ID,Secret access key\nAKIANEWNEWNEWNEWNEW1,new-secret\n');
    const config =
      '[profile work]\nsso_session = corp\n\n[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = acme.prod\n\n' +
      '[profile tool]\ncredential_process = /usr/local/bin/creds\n';
    await writeFile(join(s.home, '.aws', 'config'), config);

    for (const [profile, setting] of [['work', 'sso_session'], ['admin', 'role_arn'], ['tool', 'credential_process']] as const) {
      for (const force of [[], ['--force']]) {
        const r = await runInProcess(['iam', 'import', '--csv', s.csvPath, '--profile', profile, ...force], { env: s.env });
        expect(r).toEqual({
          code: 2,
          stdout: '',
          stderr: `awskeys: error: Profile "${profile}" already gets credentials another way (${setting} in the config file); nothing was written. (hint: choose another name with --profile)\n`,
        });
      }
    }
    expect(await readFile(s.credentials, 'utf8')).toBe(EXISTING);
    expect(await readFile(join(s.home, '.aws', 'config'), 'utf8')).toBe(config);
  });

  it('decides again under the lock: of two imports into a new profile that both passed the check, one is refused (exit 7)', async () => {
    const s = await setUp('Access key ID,Secret access key\nAKIAFIRSTFIRSTFIRST1,first-secret\n');
    const second = join(s.home, 'bob_accessKeys.csv');
    await writeFile(second, 'Access key ID,Secret access key\nAKIASECONDSECONDSEC1,second-secret\n', { mode: 0o600 });
    const lock = await holdLock(s.credentials);
    try {
      // Both find the profile free, then wait for the lock another awskeys holds.
      const a = runInProcess(['iam', 'import', '--csv', s.csvPath, '--profile', 'shared'], { env: s.env });
      await lock.noticed;
      const b = runInProcess(['iam', 'import', '--csv', second, '--profile', 'shared'], { env: s.env });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await lock.release();
      const results = await Promise.all([a, b]);

      // Either may get the lock first (waiters retry with jitter); the other must be refused.
      const winner = results[0].code === 0 ? { id: 'AKIAFIRSTFIRSTFIRST1', secret: 'first-secret' } : { id: 'AKIASECONDSECONDSEC1', secret: 'second-secret' };
      expect(results.map((r) => r.code).sort()).toEqual([0, 7]);
      expect(results.find((r) => r.code === 7)).toEqual({
        code: 7,
        stdout: '',
        stderr:
          `awskeys: error: Profile "shared" in ${s.credentials} already holds access key ${winner.id}, written by another process since this run checked; nothing was written. ` +
          '(hint: pass --force to replace it, or choose another --profile)\n',
      });
      expect(await readFile(s.credentials, 'utf8')).toBe(`${EXISTING}\n[shared]\naws_access_key_id = ${winner.id}\naws_secret_access_key = ${winner.secret}\n`);
    } finally {
      await lock.release();
    }
  });

  it('importing the same key again changes nothing', async () => {
    const s = await setUp('Access key ID,Secret access key\nAKIAACMEACMEACMEACME,acme-secret\n');
    const r = await runInProcess(['iam', 'import', '--csv', s.csvPath, '--profile', 'acme.prod'], { env: s.env });
    expect(r).toEqual({
      code: 0,
      stdout: '',
      stderr: `Profile acme.prod in ${s.credentials} already holds access key AKIAACMEACMEACMEACME; nothing changed.\n`,
    });
  });

  it('a file that is not the CSV: exit 3, nothing written, the secret never echoed', async () => {
    const s = await setUp('Access key ID,Secret access key\nwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY,AKIAIOSFODNN7EXAMPLE\n');
    const r = await runInProcess(['iam', 'import', '--csv', s.csvPath, '--profile', 'x'], { env: s.env });
    expect(r).toEqual({
      code: 3,
      stdout: '',
      stderr: `awskeys: error: ${s.csvPath} is not the IAM console's access key CSV: its "Access key ID" field does not hold an access key id. (hint: download it again from the IAM console (Security credentials, Access keys))\n`,
    });
    expect(await readFile(s.credentials, 'utf8')).toBe(EXISTING);
  });

  it('a relative --csv resolves against the working directory the command was given', async () => {
    const s = await setUp('Access key ID,Secret access key\nAKIARELRELRELRELREL1,rel/secret\n');

    const r = await runInProcess(['iam', 'import', '--csv', 'alice_accessKeys.csv', '--profile', 'rel'], { env: s.env, cwd: s.home });

    expect(r).toEqual({
      code: 0,
      stdout: '',
      stderr: [
        `Imported access key AKIARELRELRELRELREL1 into profile rel in ${s.credentials}.`,
        'Try it: aws sts get-caller-identity --profile rel',
        `${s.csvPath} still holds the secret: delete it once the profile works.`,
        '',
      ].join('\n'),
    });
    expect(await readFile(s.credentials, 'utf8')).toBe(`${EXISTING}\n[rel]\naws_access_key_id = AKIARELRELRELRELREL1\naws_secret_access_key = rel/secret\n`);
  });

  it('a missing CSV file: exit 3', async () => {
    const s = await setUp('');
    const r = await runInProcess(['iam', 'import', '--csv', join(s.home, 'nope.csv'), '--profile', 'x'], { env: s.env });
    expect(r).toEqual({
      code: 3,
      stdout: '',
      stderr: `awskeys: error: ${join(s.home, 'nope.csv')} does not exist. (hint: pass the path of the CSV the IAM console downloaded to --csv)\n`,
    });
  });
});

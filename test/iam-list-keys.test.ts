import { GetAccessKeyLastUsedCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { runInProcess, tempHome } from './support/cli.js';
import { adminIam, createKey, createUser, DAY, deactivate, motoEnv, useKey } from './iam-fixtures.js';
import { fakeClock } from './support/fake-clock.js';

async function env() {
  return { ...(await tempHome()).env, ...motoEnv() };
}

describe('awskeys iam list-keys', () => {
  it('prints a table of id, status, created, age and last use, and warns on stderr about keys past --max-age', async () => {
    const user = await createUser('lister');
    const used = await createKey(user);
    const unused = await createKey(user);
    await deactivate(user, unused.accessKeyId);
    await useKey(used);
    const lastUsed = (await adminIam().send(new GetAccessKeyLastUsedCommand({ AccessKeyId: used.accessKeyId }))).AccessKeyLastUsed;
    const lastUsedDate = lastUsed?.LastUsedDate?.toISOString().slice(0, 10);
    const created = used.createdAt.toISOString().slice(0, 10);
    const created2 = unused.createdAt.toISOString().slice(0, 10);
    const now = new Date(used.createdAt.getTime() + 100.5 * DAY);

    const r = await runInProcess(['iam', 'list-keys', '--user', user], { env: await env(), clock: fakeClock(now.getTime()) });

    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'ACCESS KEY ID         STATUS    CREATED     AGE       LAST USED',
        `${used.accessKeyId}  Active    ${created}  100 days  ${lastUsedDate} sts us-east-1`,
        `${unused.accessKeyId}  Inactive  ${created2}  100 days  never`,
        '',
      ].join('\n'),
    );
    expect(r.stderr).toBe(
      [
        `awskeys: warning: access key ${used.accessKeyId} of IAM user "${user}" is 100 days old (more than 90 days); rotate it.`,
        `awskeys: warning: access key ${unused.accessKeyId} of IAM user "${user}" is 100 days old (more than 90 days); rotate it.`,
        '',
      ].join('\n'),
    );

    const lenient = await runInProcess(['iam', 'list-keys', '--user', user, '--max-age', '365'], { env: await env(), clock: fakeClock(now.getTime()) });
    expect(lenient.stderr).toBe('');
  });

  it('prints a JSON array with ISO dates and null for a key never used', async () => {
    const user = await createUser('json');
    const key = await createKey(user);
    const now = new Date(key.createdAt.getTime() + 3 * DAY);

    const r = await runInProcess(['iam', 'list-keys', '--user', user, '--json'], { env: await env(), clock: fakeClock(now.getTime()) });

    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { accessKeyId: key.accessKeyId, userName: user, status: 'Active', createDate: key.createdAt.toISOString(), ageDays: 3, lastUsed: null },
    ]);
    expect(r.stderr).toBe('');
  });

  it('says on stderr that a user has no keys, and prints [] with --json', async () => {
    const user = await createUser('empty');
    const table = await runInProcess(['iam', 'list-keys', '--user', user], { env: await env() });
    expect(table).toEqual({ code: 0, stdout: '', stderr: `IAM user "${user}" has no access keys.\n` });
    const json = await runInProcess(['iam', 'list-keys', '--user', user, '--json'], { env: await env() });
    expect(json).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });

  it('lists the keys of the user that owns the source credentials when --user is not given', async () => {
    const user = await createUser('me');
    const own = await createKey(user);
    const r = await runInProcess(['iam', 'list-keys', '--json'], {
      env: { ...(await env()), AWS_ACCESS_KEY_ID: own.accessKeyId, AWS_SECRET_ACCESS_KEY: own.secretAccessKey },
    });
    expect((JSON.parse(r.stdout) as { userName: string }[]).map((k) => k.userName)).toEqual([user]);
  });

  it.each([
    [['--user', 'nobody-at-all'], 5, 'awskeys: error: IAM user "nobody-at-all" does not exist. (hint: check the name with: aws iam list-users)\n'],
    [['--max-age', 'soon'], 2, 'awskeys: error: --max-age must be a whole number of days, 1 or more (not "soon"). (hint: for example: --max-age 90)\n'],
    [['--profile', 'nope'], 5, 'awskeys: error: No profile named nope in HOME/.aws/config or HOME/.aws/credentials. (hint: check the name with: aws configure list-profiles, or create it: aws configure --profile nope)\n'],
  ])('fails with %j: exit %i, one line', async (args, code, stderr) => {
    const e = await env();
    const r = await runInProcess(['iam', 'list-keys', ...args], { env: e });
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(stderr.replaceAll('HOME/', `${e.HOME}/`));
  });
});

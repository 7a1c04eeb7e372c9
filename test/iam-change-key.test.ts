import { describe, expect, it } from 'vitest';
import { fakePrompter } from './support/fake-prompter.js';
import { runInProcess, tempHome } from './support/cli.js';
import { createKey, createUser, deactivate, keysOf, motoEnv } from './iam-fixtures.js';

async function env() {
  return { ...(await tempHome()).env, ...motoEnv() };
}

describe('awskeys iam deactivate-key / activate-key / delete-key', () => {
  it('deactivates, activates and deletes a key with --yes, reporting each on stderr', async () => {
    const user = await createUser('chg');
    const { accessKeyId: id } = await createKey(user);
    const args = ['--user', user, '--access-key-id', id, '--yes'];

    expect(await runInProcess(['iam', 'deactivate-key', ...args], { env: await env() })).toEqual({
      code: 0,
      stdout: '',
      stderr: `Deactivated access key ${id} of IAM user "${user}".\n`,
    });
    expect(await keysOf(user)).toEqual({ [id]: 'Inactive' });

    expect((await runInProcess(['iam', 'activate-key', ...args], { env: await env() })).stderr).toBe(
      `Activated access key ${id} of IAM user "${user}".\n`,
    );
    expect(await keysOf(user)).toEqual({ [id]: 'Active' });

    expect((await runInProcess(['iam', 'delete-key', ...args], { env: await env() })).stderr).toBe(
      `Deleted access key ${id} of IAM user "${user}".\n`,
    );
    expect(await keysOf(user)).toEqual({});
  });

  it('without a terminal and without --yes, refuses with exit 7 and changes nothing', async () => {
    const user = await createUser('noyes');
    const { accessKeyId: id } = await createKey(user);

    const r = await runInProcess(['iam', 'delete-key', '--user', user, '--access-key-id', id], { env: await env() });

    expect(r).toEqual({
      code: 7,
      stdout: '',
      stderr: `awskeys: error: Deleting access key ${id} of IAM user "${user}" needs a confirmation, and there is no terminal to ask. (hint: pass --yes)\n`,
    });
    expect(await keysOf(user)).toEqual({ [id]: 'Active' });
  });

  it('asks on a terminal: yes activates, no changes nothing (exit 14, cancelled)', async () => {
    const user = await createUser('ask');
    const { accessKeyId: id } = await createKey(user);
    await deactivate(user, id);
    const args = ['iam', 'activate-key', '--user', user, '--access-key-id', id];

    const declined = await runInProcess(args, { env: await env(), prompter: fakePrompter({ 'activate-key.confirm': false }) });
    expect(declined.code).toBe(14);
    expect(declined.stderr).toBe(`awskeys: error: Not confirmed; access key ${id} of IAM user "${user}" was not changed.\n`);
    expect(await keysOf(user)).toEqual({ [id]: 'Inactive' });

    const prompter = fakePrompter({ 'activate-key.confirm': true });
    const accepted = await runInProcess(args, { env: await env(), prompter });
    expect(accepted.code).toBe(0);
    expect(prompter.asked).toEqual(['activate-key.confirm']);
    expect(await keysOf(user)).toEqual({ [id]: 'Active' });
  });

  it.each([
    [['--profile', 'nope', '--access-key-id', 'AKIAIOSFODNN7EXAMPLE'], 5, 'awskeys: error: No profile named nope in HOME/.aws/config or HOME/.aws/credentials. (hint: check the name with: aws configure list-profiles, or create it: aws configure --profile nope)\n'],
    [['--user', 'ghost-user-x', '--access-key-id', 'AKIAIOSFODNN7EXAMPLE'], 5, 'awskeys: error: IAM user "ghost-user-x" does not exist. (hint: see the keys with: awskeys iam list-keys --user ghost-user-x)\n'],
    [['--access-key-id', 'AKIAIOSFODNN7EXAMPLE'], 5, 'awskeys: error: Access key AKIAIOSFODNN7EXAMPLE does not exist. (hint: see the keys with: awskeys iam list-keys)\n'],
    [['--access-key-id', 'not a key'], 2, 'awskeys: error: "not a key" is not an access key id (16 to 128 letters and digits, like AKIAIOSFODNN7EXAMPLE).\n'],
  ])('fails for %j with exit %i and one line', async (args, code, stderr) => {
    const e = await env();
    const r = await runInProcess(['iam', 'delete-key', ...args, '--yes'], { env: e });
    expect(r).toEqual({ code, stdout: '', stderr: stderr.replaceAll('HOME/', `${e.HOME}/`) });
  });
});

describe('a key that a local profile or the environment holds is never deleted or deactivated without saying so', () => {
  /** A HOME whose credentials file holds `id` in profiles work and work-copy. */
  async function holding(id: string) {
    const text = `[work]\naws_access_key_id = ${id}\naws_secret_access_key = s\n\n[work-copy]\naws_access_key_id = ${id}\naws_secret_access_key = s\n`;
    const h = await tempHome({ credentials: text, modes: 'private' });
    return { ...h.env, ...motoEnv() };
  }

  it.each(['delete', 'deactivate'] as const)('%s-key --yes without a terminal refuses (exit 7), naming the profiles; nothing changes', async (change) => {
    const user = await createUser('used');
    const { accessKeyId: id } = await createKey(user);

    const r = await runInProcess([`iam`, `${change}-key`, '--user', user, '--access-key-id', id, '--yes'], { env: await holding(id) });

    const ing = change === 'delete' ? 'deleting' : 'deactivating';
    expect(r).toEqual({
      code: 7,
      stdout: '',
      stderr:
        `awskeys: error: access key ${id} of IAM user "${user}" is what profile work and profile work-copy sign with: ${ing} it breaks them; nothing was changed. ` +
        `(hint: rotate it instead, or pass --even-if-used to ${change} it anyway)\n`,
    });
    expect(await keysOf(user)).toEqual({ [id]: 'Active' });
  });

  it('AWS_ACCESS_KEY_ID in the environment counts too; --even-if-used goes ahead', async () => {
    const user = await createUser('envused');
    const { accessKeyId: id } = await createKey(user);
    const args = ['iam', 'deactivate-key', '--user', user, '--access-key-id', id, '--yes'];
    const withKey = { ...(await env()), AWS_ACCESS_KEY_ID: id };

    const refused = await runInProcess(args, { env: withKey });
    expect(refused.code).toBe(7);
    expect(refused.stderr).toContain(`is what AWS_ACCESS_KEY_ID in this environment signs with: deactivating it breaks it;`);

    // The caller's own credentials must stay moto's admin: --even-if-used with the key named by id only.
    const done = await runInProcess([...args, '--even-if-used'], { env: await holding(id) });
    expect(done).toEqual({ code: 0, stdout: '', stderr: `Deactivated access key ${id} of IAM user "${user}".\n` });
    expect(await keysOf(user)).toEqual({ [id]: 'Inactive' });
  });

  it('on a terminal, asks for the key id to be typed (never a default yes); a wrong answer changes nothing', async () => {
    const user = await createUser('usedtty');
    const { accessKeyId: id } = await createKey(user);
    const args = ['iam', 'delete-key', '--user', user, '--access-key-id', id];

    const stopped = await runInProcess(args, { env: await holding(id), prompter: fakePrompter({ 'delete-key.confirm-used': '' }) });
    expect({ code: stopped.code, stderr: stopped.stderr }).toEqual({
      code: 14,
      stderr: `awskeys: error: Not confirmed; access key ${id} of IAM user "${user}" was not changed.\n`,
    });
    expect(await keysOf(user)).toEqual({ [id]: 'Active' });

    const typed = await runInProcess(args, { env: await holding(id), prompter: fakePrompter({ 'delete-key.confirm-used': id }) });
    expect(typed.code).toBe(0);
    expect(await keysOf(user)).toEqual({});
  });
});

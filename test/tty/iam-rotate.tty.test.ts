import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { ensureBuilt } from '../support/built.js';
import { binPath, tempHome } from '../support/cli.js';
import { shellQuote, startTmux, type TmuxSession } from '../support/tmux.js';
import { needs } from '../support/optional-tools.js';
import { createKey, createUser, keysOf, motoUrl } from '../iam-fixtures.js';

/**
 * `iam rotate` on a real terminal when the user's other key is one a local profile signs with: the
 * built binary runs in tmux against moto, and the test answers the type-the-id prompt as a person.
 */
const tmux = needs('tmux');

let session: TmuxSession | undefined;
afterEach(async () => {
  await session?.kill();
  session = undefined;
});

tmux.describe('awskeys iam rotate on a real terminal (tmux)', () => {
  beforeAll(ensureBuilt, 120_000);

  it("the prompt to delete the other key names the profile that signs with it; Enter keeps both keys (exit 6), the id goes ahead", async () => {
    const user = await createUser('ttyrot');
    const old = await createKey(user);
    const other = await createKey(user);
    const { home, env } = await tempHome();
    await mkdir(join(home, '.aws'), { mode: 0o700 });
    const credentials = join(home, '.aws', 'credentials');
    const text =
      `[dev]\naws_access_key_id = ${old.accessKeyId}\naws_secret_access_key = ${old.secretAccessKey}\n\n` +
      `[laptop]\naws_access_key_id = ${other.accessKeyId}\naws_secret_access_key = ${other.secretAccessKey}\n`;
    await writeFile(credentials, text, { mode: 0o600 });
    const start = () =>
      startTmux({
        name: 'awskeys-rotate-held',
        command: `${shellQuote(process.execPath, binPath, 'iam', 'rotate', '--profile', 'dev')}; echo EXIT=$?`,
        env: { ...env, HOME: home, AWS_ENDPOINT_URL_IAM: motoUrl(), AWS_ENDPOINT_URL_STS: motoUrl(), AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' },
        cwd: home,
        cols: 220,
      });
    const prompt =
      `${other.accessKeyId} is what profile laptop signs with: deleting it breaks it. ` +
      `IAM allows 2 keys: type ${other.accessKeyId} to delete the other key anyway and rotate, or press Enter to stop:`;

    session = await start();
    const asked = await session.waitFor(prompt);
    // The plan shown first says the same.
    expect(asked).toContain(`  1. Ask you to type its id, then delete the other access key (IAM allows 2 keys per user):\n`);
    expect(asked).toContain('       profile laptop signs with it and will stop working\n');
    await session.sendKeys('Enter');
    const kept = await session.waitFor(/^EXIT=\d+$/m);
    expect(kept).toMatch(/^EXIT=6$/m);
    expect(await keysOf(user)).toEqual({ [old.accessKeyId]: 'Active', [other.accessKeyId]: 'Active' });
    expect(await readFile(credentials, 'utf8')).toBe(text);
    await session.kill();

    session = await start();
    await session.waitFor(prompt);
    await session.type(other.accessKeyId);
    await session.sendKeys('Enter');
    const done = await session.waitFor(/^EXIT=\d+$/m, 30_000);
    expect(done).toMatch(/^EXIT=0$/m);
    const keys = await keysOf(user);
    expect(Object.keys(keys)).toHaveLength(1);
    expect(keys).not.toHaveProperty(other.accessKeyId);
    expect(keys).not.toHaveProperty(old.accessKeyId);
  });
});

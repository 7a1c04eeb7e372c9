import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/built.js';
import { binPath, repoRoot, tempHome } from './support/cli.js';
import { holdLock, type HeldLock } from './support/held-lock.js';
import { spawnCollecting } from './support/spawn.js';

/**
 * Ctrl-C, SIGTERM (`timeout`, a cancelled CI job) and SIGHUP (a dropped SSH session) stop
 * `iam import` while it waits for the credentials file's lock (another awskeys is writing): it
 * stops at once, says which signal stopped it and that nothing was written, ends with 128 + the
 * signal's number, and the AWS files are byte-for-byte what they were. `import` makes no AWS call
 * (the key comes from the console's CSV), so the lock is its only wait. Real signals to the built
 * binary.
 */

beforeAll(ensureBuilt, 120_000);

const EXISTING = '# work\n[acme.prod]\naws_access_key_id = AKIAACMEACMEACMEACME\naws_secret_access_key = acme-secret\n';
const CONFIG = '[default]\nregion = eu-west-1\n';
const CSV = 'Access key ID,Secret access key\nAKIAIMPORTIMPORTIMP1,import/secret+key\n';

let lock: HeldLock | undefined;
afterEach(async () => {
  await lock?.release();
  lock = undefined;
});

describe.each([
  ['SIGINT', 130, 'Interrupted'],
  ['SIGTERM', 143, 'Stopped by SIGTERM'],
  ['SIGHUP', 129, 'Stopped by SIGHUP (hang-up)'],
] as const)('%s during awskeys iam import (the built binary)', (signal, code, stoppedBy) => {
  it(`while it waits for the credentials file's lock: exit ${code}, "${stoppedBy} while waiting for the lock ...; nothing was written."`, async () => {
    const h = await tempHome({ credentials: EXISTING, config: CONFIG, modes: 'private' });
    const csv = join(h.home, 'alice_accessKeys.csv');
    await writeFile(csv, CSV, { mode: 0o600 });
    const awsDir = join(h.home, '.aws');
    const snapshot = async () => ({
      names: (await readdir(awsDir)).filter((n) => n !== 'credentials.lock').sort(),
      credentials: await readFile(h.credentials),
      config: await readFile(h.config),
    });
    const before = await snapshot();
    lock = await holdLock(h.credentials);

    const run = spawnCollecting(process.execPath, [binPath, 'iam', 'import', '--csv', csv, '--profile', 'alice'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, ...h.env },
    });
    await lock.noticed;
    const sentAt = Date.now();
    run.child.kill(signal);
    const r = await run.exited;

    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
      code,
      stdout: '',
      stderr: `awskeys: error: ${stoppedBy} while waiting for the lock ${h.credentials}.lock; nothing was written.\n`,
    });
    // At once: not when the lock's 10 s wait runs out.
    expect(Date.now() - sentAt).toBeLessThan(5_000);
    expect(await snapshot()).toEqual(before);
  });
});

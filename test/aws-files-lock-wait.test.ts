import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/built.js';
import { binPath, repoRoot, tempHome } from './support/cli.js';
import { lockHolders } from './support/lock-holders.js';
import { spawnCollecting } from './support/spawn.js';

/**
 * A run waiting for the credentials file's lock, held by another awskeys process (a real holder:
 * withFileLock in its own process, heartbeat and all), ends at once on SIGTERM and writes nothing;
 * the holder keeps its lock, and once it lets go the same run goes through. The built binary, as a
 * user runs it. (test/iam-import-signals.test.ts covers each stop signal's wording and exit code
 * with a lock that tells the test the moment awskeys looks at it.)
 */

beforeAll(ensureBuilt, 120_000);
const holders = lockHolders();
afterAll(() => holders.stopAll());

const EXISTING = '# work\n[acme.prod]\naws_access_key_id = AKIAACMEACMEACMEACME\naws_secret_access_key = acme-secret\n';
/** Long enough for the built binary to start and reach the lock on a loaded machine. */
const WAITING_MS = 1_500;

async function homeWithHeldLock() {
  const { home, env } = await tempHome();
  const awsDir = join(home, '.aws');
  await mkdir(awsDir, { mode: 0o700 });
  const credentials = join(awsDir, 'credentials');
  await writeFile(credentials, EXISTING, { mode: 0o600 });
  const csv = join(home, 'accessKeys.csv');
  await writeFile(csv, 'Access key ID,Secret access key\nAKIANEWNEWNEWNEWNEW1,new/secret\n', { mode: 0o600 });
  const holder = await holders.start(credentials, 2_000);
  const lock = await readFile(`${credentials}.lock`, 'utf8');
  return { env, awsDir, credentials, csv, holder, lock };
}

describe('a wait for the lock of an AWS file', () => {
  it('ends at once on SIGTERM (exit 143): iam import writes nothing, the holder keeps its lock, and after it the import goes through', async () => {
    const h = await homeWithHeldLock();
    const run = spawnCollecting(process.execPath, [binPath, 'iam', 'import', '--csv', h.csv, '--profile', 'new'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, ...h.env },
    });
    await new Promise((r) => setTimeout(r, WAITING_MS));
    expect(run.out).toEqual({ stdout: '', stderr: '' });
    const sent = performance.now();
    run.child.kill('SIGTERM');
    const done = await run.exited;
    const took = performance.now() - sent;

    expect(done).toEqual({
      code: 143,
      stdout: '',
      stderr: `awskeys: error: Stopped by SIGTERM while waiting for the lock ${h.credentials}.lock; nothing was written.\n`,
    });
    expect(took).toBeLessThan(1_500);
    expect(await readFile(h.credentials, 'utf8')).toBe(EXISTING);
    expect(await readFile(`${h.credentials}.lock`, 'utf8')).toBe(h.lock);
    expect((await readdir(h.awsDir)).sort()).toEqual(['credentials', 'credentials.lock']);

    // Once the holder lets go, the same import goes through.
    expect(await h.holder.release()).toBe(0);
    const again = await spawnCollecting(process.execPath, [binPath, 'iam', 'import', '--csv', h.csv, '--profile', 'new'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, ...h.env },
    }).exited;
    expect(again.code).toBe(0);
    expect(await readFile(h.credentials, 'utf8')).toBe(`${EXISTING}\n[new]\naws_access_key_id = AKIANEWNEWNEWNEWNEW1\naws_secret_access_key = new/secret\n`);
  }, 30_000);
});

import { chmod, chown, link, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';

const made: string[] = [];
afterAll(() => Promise.all(made.map((d) => rm(d, { recursive: true, force: true }))));

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'awskeys-atomic-'));
  made.push(dir);
  return dir;
}

/** The permission and special bits (setuid, setgid, sticky). */
const modeOf = async (path: string): Promise<number> => (await stat(path)).mode & 0o7777;

describe('writeFileAtomic', () => {
  it('creates a new file 0600 whatever the umask, with nothing to report', async () => {
    const path = join(await tempDir(), 'credentials');
    expect(await writeFileAtomic(path, 'secret')).toEqual([]);
    expect(await modeOf(path)).toBe(0o600);
    expect(await readFile(path, 'utf8')).toBe('secret');
  });

  // [mode before, mode after, what the warning says other users could do]
  it.each([
    [0o644, 0o600, 'readable'],
    [0o640, 0o600, 'readable'],
    [0o604, 0o600, 'readable'],
    [0o666, 0o600, 'readable'],
    [0o620, 0o600, 'writable'],
    [0o711, 0o700, 'executable'],
    [0o2640, 0o2600, 'readable'],
    [0o1644, 0o1600, 'readable'],
  ])('a secret written into an existing %o file leaves it %o, and says so', async (before, after, what) => {
    const path = join(await tempDir(), 'credentials');
    await writeFile(path, 'old');
    await chmod(path, before);
    const warnings = await writeFileAtomic(path, 'new secret', { mode: 0o600 });
    expect(await modeOf(path)).toBe(after);
    const octal = (m: number) => m.toString(8).padStart(4, '0');
    expect(warnings).toEqual([`${path} was ${what} by other users (mode ${octal(before)}); it is now ${octal(after)}`]);
    expect(await readFile(path, 'utf8')).toBe('new secret');
  });

  it.each([0o600, 0o400, 0o700, 0o2600])('keeps a private %o mode as it is, silently', async (mode) => {
    const path = join(await tempDir(), 'credentials');
    await writeFile(path, 'old');
    await chmod(path, mode);
    expect(await writeFileAtomic(path, 'new secret', { mode: 0o600 })).toEqual([]);
    expect(await modeOf(path)).toBe(mode);
  });

  it('keeps an existing mode as it is when the data is not private (mode with group or other bits)', async () => {
    const path = join(await tempDir(), 'notes');
    await writeFile(path, 'old');
    await chmod(path, 0o644);
    expect(await writeFileAtomic(path, 'new', { mode: 0o644 })).toEqual([]);
    expect(await modeOf(path)).toBe(0o644);
  });

  it("replaces a hard-linked file under its own name only, and says the other names keep the old contents", async () => {
    const dir = await tempDir();
    const path = join(dir, 'credentials');
    await writeFile(path, 'old secret', { mode: 0o600 });
    await link(path, join(dir, 'backup'));
    expect(await writeFileAtomic(path, 'new secret')).toEqual([`${path} has 1 other name (a hard link); it keeps the old contents`]);
    expect(await readFile(path, 'utf8')).toBe('new secret');
    expect(await readFile(join(dir, 'backup'), 'utf8')).toBe('old secret');
    expect((await stat(path)).nlink).toBe(1);

    await link(path, join(dir, 'copy-1'));
    await link(path, join(dir, 'copy-2'));
    await chmod(path, 0o644);
    expect(await writeFileAtomic(path, 'newer secret')).toEqual([
      `${path} was readable by other users (mode 0644); it is now 0600`,
      `${path} has 2 other names (hard links); they keep the old contents`,
    ]);
    expect(await readFile(join(dir, 'copy-2'), 'utf8')).toBe('new secret');
    expect((await readdir(dir)).sort()).toEqual(['backup', 'copy-1', 'copy-2', 'credentials']);
  });

  it.runIf(process.getuid?.() === 0)('run as root on a user\'s setgid file: keeps its owner and group, and its setgid bit (chown clears it)', async () => {
    const path = join(await tempDir(), 'credentials');
    await writeFile(path, 'old');
    await chown(path, 1000, 1000);
    await chmod(path, 0o2640);
    expect(await writeFileAtomic(path, 'new secret')).toEqual([`${path} was readable by other users (mode 2640); it is now 2600`]);
    const info = await stat(path);
    expect({ uid: info.uid, gid: info.gid, mode: info.mode & 0o7777 }).toEqual({ uid: 1000, gid: 1000, mode: 0o2600 });
  });
});

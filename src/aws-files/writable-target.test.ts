import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../app/clock.js';
import { ExitCode, FileError } from '../errors/cli-error.js';
import { editSection } from './ini-edit.js';
import { readIni } from './profiles.js';
import { updateAwsFile } from './update-file.js';
import { checkWritableTarget } from './writable-target.js';

let dir: string;
const server = createServer();
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'awskeys-target-'));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  await mkdir(join(dir, 'folder'));
  await new Promise<void>((resolve) => server.listen(join(dir, 'socket'), resolve));
  await symlink('/dev/null', join(dir, 'link-to-null'));
  await symlink(join(dir, 'fifo'), join(dir, 'link-to-fifo'));
  await symlink(join(dir, 'missing'), join(dir, 'dangling'));
  await writeFile(join(dir, 'regular'), '');
  await symlink(join(dir, 'regular'), join(dir, 'link-to-regular'));
});
afterAll(async () => {
  server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('checkWritableTarget', () => {
  it.each([
    ['fifo', 'a FIFO (named pipe)'],
    ['socket', 'a socket'],
    ['folder', 'a folder'],
    ['link-to-null', 'a character device'],
    ['link-to-fifo', 'a FIFO (named pipe)'],
  ])('refuses %s (%s) with exit 3', async (name, kind) => {
    const path = join(dir, name);
    const error = await checkWritableTarget(path).then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).exitCode).toBe(ExitCode.File);
    expect((error as FileError).message).toBe(`${path} is ${kind}, not a regular file; awskeys writes secrets only to regular files.`);
  });

  it.each(['regular', 'link-to-regular', 'missing', 'dangling'])('accepts %s', async (name) => {
    await expect(checkWritableTarget(join(dir, name))).resolves.toBeUndefined();
  });

  it('updateAwsFile refuses a symlink to /dev/null and leaves the device alone', async () => {
    const path = join(dir, 'link-to-null');
    await expect(updateAwsFile(path, (t) => editSection(t, 'x', { k: 'v' }), { clock: systemClock })).rejects.toThrow(
      'is a character device, not a regular file',
    );
    expect((await stat('/dev/null')).isCharacterDevice()).toBe(true);
  });

  it('reading a FIFO as an AWS file fails at once instead of hanging', async () => {
    await expect(readIni(join(dir, 'fifo'))).rejects.toThrow(`${join(dir, 'fifo')} is a FIFO (named pipe), not a regular file.`);
  });
});

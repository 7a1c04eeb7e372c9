import { symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuilt, runInProcess } from './support/cli.js';
import { tempHome } from './support/temp-home.js';

/**
 * A file awskeys cannot use is one line with what happened and the fix, exit 3, in every command
 * and on both routes (the lean env bundle and the full program) (issue 8, item 7).
 */
describe('AWS files the file system refuses', () => {
  it('a config file that is a symlink loop: names the loop and how to fix it', async () => {
    const h = await tempHome({ awsDir: true });
    await symlink(h.config, h.config);
    const line = `awskeys: error: Cannot read ${h.config}: a symbolic link loop. (hint: ${h.config} is a symlink loop: fix or remove it (check: ls -l ${h.config}))\n`;
    expect(await runBuilt(['env', '--profile', 'dev'], { env: h.env })).toEqual({ code: 3, stdout: '', stderr: line });
    for (const argv of [['iam', 'list-keys', '--profile', 'dev'], ['credential-process', '--profile', 'dev'], ['status']]) {
      expect(await runInProcess(argv, { env: h.env })).toEqual({ code: 3, stdout: '', stderr: line });
    }
  });

  it('a config path below a regular file: says a parent is not a folder', async () => {
    const h = await tempHome();
    await writeFile(join(h.home, 'notes'), 'not a folder\n');
    const config = join(h.home, 'notes', 'config');
    const env = { ...h.env, AWS_CONFIG_FILE: config };
    expect(await runBuilt(['env', '--profile', 'dev'], { env })).toEqual({
      code: 3,
      stdout: '',
      stderr: `awskeys: error: Cannot read ${config}: a parent is not a folder. (hint: a part of ${join(h.home, 'notes')} is a file, not a folder: fix the path or move that file away)\n`,
    });
  });
});

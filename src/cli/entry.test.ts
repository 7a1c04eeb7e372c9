import { spawnCollecting, type Collected } from '../../test/support/spawn.js';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../test/support/built.js';
import { repoRoot } from '../../test/support/cli.js';

/**
 * An install that lost dist/full (an interrupted copy, a hand-pruned package): bin/awskeys.js, the
 * lean bundle dist/entry.cjs and its help (dist/help.cjs), and nothing else. Anything that needs the
 * full program must say so in one line and exit 1, not end in node's unhandled-rejection dump.
 */
let install: string;

beforeAll(async () => {
  await ensureBuilt();
  install = await mkdtemp(join(tmpdir(), 'awskeys-partial-'));
  await mkdir(join(install, 'dist'));
  await cp(join(repoRoot, 'bin'), join(install, 'bin'), { recursive: true });
  await cp(join(repoRoot, 'dist', 'entry.cjs'), join(install, 'dist', 'entry.cjs'));
  await cp(join(repoRoot, 'dist', 'help.cjs'), join(install, 'dist', 'help.cjs'));
}, 120_000);

afterAll(() => rm(install, { recursive: true, force: true }));

function runPartial(argv: string[]): Promise<Collected> {
  return spawnCollecting(process.execPath, [join(install, 'bin', 'awskeys.js'), ...argv], {
    env: { PATH: process.env.PATH, HOME: install },
  }).exited;
}

describe('the built entry with dist/full missing', () => {
  const fullEntry = () => join(install, 'dist', 'full', 'full-entry.js');
  const entry = () => join(install, 'dist', 'entry.cjs');

  it.each([[['env', '-p', 'x', '--help']], [['iam', 'list-keys']], [['sso', 'login']]])(
    '%j says in one line that the install is incomplete and exits 1',
    async (argv) => {
      expect(await runPartial(argv)).toEqual({
        code: 1,
        stdout: '',
        stderr: `awskeys: internal error: Cannot find module '${fullEntry()}' imported from ${entry()} (reinstall: npm ci)\n`,
      });
    },
  );

  it('still runs what the lean bundle finishes itself', async () => {
    const r = await runPartial(['env', '--profile', 'nope']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^awskeys: error: No profile named nope in /);
  });

  it('still prints --help, which the lean bundle answers from dist/help.cjs (D56)', async () => {
    const r = await runPartial(['--help']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^Usage: awskeys \[options\] \[command\]\n/);
  });

  it('names the missing help file by its path when dist/help.cjs is lost too', async () => {
    await rm(join(install, 'dist', 'help.cjs'));
    try {
      expect(await runPartial(['--help'])).toEqual({
        code: 1,
        stdout: '',
        stderr: `awskeys: internal error: Cannot find module '${join(install, 'dist', 'help.cjs')}' Require stack: - ${entry()} (reinstall: npm ci)\n`,
      });
    } finally {
      await cp(join(repoRoot, 'dist', 'help.cjs'), join(install, 'dist', 'help.cjs'));
    }
  });
});

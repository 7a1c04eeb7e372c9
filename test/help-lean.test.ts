import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/main.js';
import { ensureBuilt } from './support/built.js';
import { runBuilt, tempHome } from './support/cli.js';

/**
 * `awskeys --help` and every command's help are printed by the lean entry from the help model
 * (D56, dist/help.cjs) without commander; through the built binary they must be what the full
 * program (commander) prints, with the same exit code and nothing on stderr. Command lines the model
 * does not cover exactly go to commander as before, with the same result. (test/tty/help.tty.test.ts
 * does the same on a real terminal; src/cli/help/help-model.test.ts at every width in process.)
 */

/** Every command path of the real table, each as `<path> --help`. */
function everyCommand(cmd: Command, path: string[] = []): string[][] {
  return [[...path, '--help'], ...cmd.commands.flatMap((sub) => everyCommand(sub, [...path, sub.name()]))];
}

let env: Record<string, string>;

beforeAll(async () => {
  await ensureBuilt();
  ({ env } = await tempHome({ credentials: '[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = s\n' }));
}, 120_000);

describe('help on the lean route and on the full route', () => {
  const commands = everyCommand(
    buildProgram(() => {
      throw new Error('no command runs here');
    }),
  );

  it.each([
    ...commands.map((argv) => [argv]),
    [['-h']],
    [['help']],
    [['help', 'exec']],
    [['iam', 'create', '-h']],
    [['iam', 'help', 'list']],
    [['help', 'complete']],
  ])('print the same and exit the same for %j', async (argv) => {
    const lean = await runBuilt(argv, { env });
    expect(lean).toEqual(await runBuilt(argv, { env, route: 'full' }));
    // `complete` has no help option: its --help is a word to complete, and prints no help.
    if (argv[0] !== 'complete') expect(lean).toEqual({ code: 0, stdout: expect.stringMatching(/^Usage: awskeys /) as string, stderr: '' });
  });

  it.each([
    [['env', '-p', 'dev', '--help']],
    [['--help', 'env']],
    [['help', 'nope']],
    [['help', 'iam', 'create-key']],
    [['iam', 'nope', '--help']],
    [['--help=yes']],
  ])('leave %j to commander, with the same result', async (argv) => {
    expect(await runBuilt(argv, { env })).toEqual(await runBuilt(argv, { env, route: 'full' }));
  });
});

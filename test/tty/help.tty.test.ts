import type { Command } from 'commander';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { ensureBuilt } from '../support/built.js';
import { binPath, fullEntryPath, tempHome } from '../support/cli.js';
import { needs } from '../support/optional-tools.js';
import { shellQuote, startTmux, type TmuxSession } from '../support/tmux.js';

/**
 * Help on a real terminal (D56): commander wraps to the terminal's columns, and so must the lean
 * entry, which asks for them only there. The built binary and the full program run one after the
 * other in the same tmux pane; both screens must be what commander prints at that width.
 */
const tmux = needs('tmux');

let session: TmuxSession | undefined;
afterEach(async () => {
  await session?.kill();
  session = undefined;
});

/** commander's help for the command at `path`, `width` columns wide, as the pane shows it (no trailing blanks). */
function commanderScreen(path: string[], width: number): string {
  let cmd: Command | undefined = buildProgram(() => {
    throw new Error('no command runs here');
  });
  for (const name of path) cmd = cmd?.commands.find((c) => c.name() === name);
  if (!cmd) throw new Error(`no command ${path.join(' ')}`);
  let out = '';
  cmd.configureOutput({ writeOut: (s) => (out += s), getOutHelpWidth: () => width });
  cmd.outputHelp();
  return out
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trimEnd();
}

tmux.describe('awskeys help on a real terminal (tmux)', () => {
  beforeAll(ensureBuilt, 120_000);

  it.each([
    [60, []],
    [120, []],
    [60, ['iam', 'create-key']],
    [120, ['exec']],
  ])('at %i columns prints %j\'s help as commander does there, on the lean and the full route', async (cols, path) => {
    const { home, env } = await tempHome();
    const argv = [...path, '--help'];
    session = await startTmux({
      name: 'awskeys-help',
      command: `${shellQuote(process.execPath, binPath, ...argv)}; echo LEAN=$?; ${shellQuote(process.execPath, fullEntryPath, ...argv)}; echo FULL=$?`,
      env: { ...env, HOME: home },
      cols,
      rows: 60,
      cwd: home,
    });
    const screen = await session.waitFor(/^FULL=\d+$/m);
    const [, lean, leanExit, full, fullExit] = /^([^]*)\nLEAN=(\d+)\n([^]*)\nFULL=(\d+)$/m.exec(screen) ?? [];
    const expected = commanderScreen(path, cols);
    expect(expected).not.toBe(commanderScreen(path, 80));
    expect({ lean: lean?.trimEnd(), exit: leanExit }).toEqual({ lean: expected, exit: '0' });
    expect({ full: full?.trimEnd(), exit: fullExit }).toEqual({ full: expected, exit: '0' });
  });
});

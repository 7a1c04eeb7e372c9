import { afterEach, beforeAll, expect, it } from 'vitest';
import { ensureBuilt } from '../support/built.js';
import { binPath, tempHome } from '../support/cli.js';
import { shellQuote, startTmux, type TmuxSession } from '../support/tmux.js';
import { needs } from '../support/optional-tools.js';

/**
 * `awskeys exec` on a real terminal: awskeys and its command share the terminal's foreground
 * process group, so the terminal itself delivers Ctrl-C and Ctrl-\ to the command. awskeys must
 * not pass them on a second time, must not stop, and must print nothing of its own.
 */
const tmux = needs('tmux');

// Counts the INT and QUIT it receives; 300 ms after the first one, exits with 10 + that count.
const COUNTER = [
  'let n = 0;',
  "const on = (s) => { n += 1; console.log('got ' + s); if (n === 1) setTimeout(() => process.exit(10 + n), 300); };",
  "process.on('SIGINT', () => on('SIGINT')); process.on('SIGQUIT', () => on('SIGQUIT'));",
  "console.log('ready'); setInterval(() => {}, 1000);",
].join('\n');

let session: TmuxSession | undefined;
afterEach(async () => {
  await session?.kill();
  session = undefined;
});

tmux.describe('awskeys exec on a real terminal (tmux)', () => {
  beforeAll(ensureBuilt, 120_000);

  it.each([
    ['Ctrl-C', 'C-c', 'SIGINT'],
    ['Ctrl-\\', 'C-\\', 'SIGQUIT'],
  ])('%s reaches the command exactly once, and awskeys says nothing', async (_, key, signal) => {
    const { home, env } = await tempHome({ credentials: '[static]\naws_access_key_id = AKIATTY\naws_secret_access_key = s\n' });
    // An interactive shell, as a person has: job control puts the command line in its own
    // process group, the terminal's foreground one.
    session = await startTmux({
      name: 'awskeys-exec',
      command: 'exec bash --norc --noprofile -i',
      env: { ...env, HOME: home, PS1: '$ ' },
      cwd: home,
    });
    await session.waitFor('$');
    await session.type(`${shellQuote(process.execPath, binPath, 'exec', '-p', 'static', '--', process.execPath, '-e', COUNTER)}; echo EXIT=$?`);
    await session.sendKeys('Enter');
    await session.waitFor(/^ready$/m);
    await session.sendKeys(key);
    const screen = await session.waitFor(/^EXIT=\d+$/m);
    const printed = screen.slice(screen.indexOf('\nready\n') + 1).split('\n');
    expect(printed.slice(0, 3)).toEqual(['ready', `${key === 'C-c' ? '^C' : '^\\'}got ${signal}`, 'EXIT=11']);
  });
});

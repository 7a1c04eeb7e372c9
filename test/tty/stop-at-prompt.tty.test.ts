import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { ensureBuilt } from '../support/built.js';
import { binPath, tempHome } from '../support/cli.js';
import { shellQuote, startTmux, type TmuxSession } from '../support/tmux.js';
import { needs } from '../support/optional-tools.js';

/**
 * SIGTERM and SIGHUP sent (by `kill`, `timeout`, a supervisor) while awskeys asks a question on a
 * real terminal: the question goes, the one line names the signal, the exit code is 128 + its
 * number, and nothing is written. The question here is `iam import`'s "Replace it?" for a profile
 * that already holds a key.
 */
const tmux = needs('tmux');
const CREDENTIALS = '[alice]\naws_access_key_id = AKIAOLDOLDOLDOLDOLD1\naws_secret_access_key = old\n';

let session: TmuxSession | undefined;
afterEach(async () => {
  await session?.kill();
  session = undefined;
});

tmux.describe('a stop signal at a question on a real terminal (tmux)', () => {
  beforeAll(ensureBuilt, 120_000);

  it.each([
    ['SIGTERM', 143, 'Stopped by SIGTERM'],
    ['SIGHUP', 129, 'Stopped by SIGHUP (hang-up)'],
  ] as const)('%s at "Replace it?": exit %i, "%s; nothing was written.", the credentials file untouched', async (signal, code, stoppedBy) => {
    const { home, env, credentials } = await tempHome({ credentials: CREDENTIALS, modes: 'private' });
    const csv = join(home, 'alice_accessKeys.csv');
    await writeFile(csv, 'Access key ID,Secret access key\nAKIANEWNEWNEWNEWNEW1,new/secret\n', { mode: 0o600 });
    // The inner shell prints its pid, then becomes awskeys (exec): the pid to signal.
    const awskeys = shellQuote(process.execPath, binPath, 'iam', 'import', '--csv', csv, '--profile', 'alice');
    session = await startTmux({
      name: 'awskeys-stop',
      command: `sh -c ${shellQuote(`echo PID=$$; exec ${awskeys}`)}; echo EXIT=$?`,
      env: { ...env, HOME: home },
      cwd: home,
    });
    const screen = await session.waitFor(/AKIANEWNEWNEWNEWNEW1\? \(y\/N\)/);
    const pid = Number(/PID=(\d+)/.exec(screen)?.[1]);

    process.kill(pid, signal);
    const after = await session.waitFor(/EXIT=\d+/);

    expect(after).toContain(`EXIT=${code}`);
    expect(after).toContain(`awskeys: error: ${stoppedBy}; nothing was written.`);
    expect(await readFile(credentials, 'utf8')).toBe(CREDENTIALS);
  });
});

import { readFile } from 'node:fs/promises';
import { afterEach, beforeAll, expect } from 'vitest';
import { startSigninEmulator, type SigninEmulator } from '../../emulators/signin/index.js';
import { playBrowser } from '../support/browser.js';
import { ensureBuilt } from '../support/built.js';
import { binPath, tempHome } from '../support/cli.js';
import { needs } from '../support/optional-tools.js';
import { shellQuote, startTmux, type TmuxSession } from '../support/tmux.js';

/**
 * `awskeys login --remote` on a real terminal: the built binary in tmux prints the URL, the test
 * signs in with a "browser on another device" over HTTP and pastes the code the confirmation page
 * shows, as a person would. A paste that is not such a code is refused at the prompt, which asks
 * again; what is on the screen is what was used.
 */
const tmux = needs('tmux');
const ALICE = 'arn:aws:iam::111122223333:user/alice';

let session: TmuxSession | undefined;
let emulator: SigninEmulator | undefined;
afterEach(async () => {
  await session?.kill();
  await emulator?.close();
  session = undefined;
  emulator = undefined;
});

tmux.describe('awskeys login --remote on a real terminal (tmux)', () => {
  beforeAll(ensureBuilt, 120_000);

  tmux.it('the pasted code signs in; a wrong paste is refused and asked again', async () => {
    emulator = await startSigninEmulator();
    const h = await tempHome({ config: '[profile work]\nregion = us-east-1\n', modes: 'private' });
    session = await startTmux({
      name: 'awskeys-login-remote',
      command: `${shellQuote(process.execPath, binPath, 'login', '--profile', 'work', '--remote')}; echo EXIT=$?`,
      env: { ...h.env, ...emulator.env },
      cwd: h.home,
      cols: 500,
    });
    const prompt = await session.waitFor('Enter the authorization code displayed in your browser:');
    const url = /^ {2}(http\S+)$/m.exec(prompt)?.[1] ?? '';
    expect(url).toContain(`${emulator.url}/v1/authorize?`);

    // A paste of something else (here the URL itself): refused at the prompt, nothing sent.
    await session.type('not-a-code!');
    await session.sendKeys('Enter');
    await session.waitFor('That is not the code the browser shows (it is base64 text, one line).');
    expect(emulator.calls.authorization_code).toBe(0);
    await session.sendKeys('C-u');

    const page = await playBrowser(url);
    const code = /<pre id="verification-code">([^<]+)<\/pre>/.exec(page.body)?.[1] ?? '';
    expect(code).not.toBe('');
    await session.type(code);
    await session.sendKeys('Enter');
    const done = await session.waitFor(/^EXIT=\d+$/m);
    expect(done).toMatch(/^EXIT=0$/m);
    // The screen shows the code as pasted, and that code is what was redeemed.
    expect(done).toContain(code);
    expect(done).toContain(`Updated profile work to use ${ALICE} credentials`);
    expect(emulator.calls.authorization_code).toBe(1);
    expect(await readFile(h.config, 'utf8')).toBe(`[profile work]\nregion = us-east-1\nlogin_session = ${ALICE}\n`);
  });
});

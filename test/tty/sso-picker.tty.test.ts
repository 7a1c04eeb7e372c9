import { mkdtemp, readdir, readFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { ensureBuilt } from '../support/built.js';
import { binPath, tempHome } from '../support/cli.js';
import { generateAccounts, startSsoEmulator, type SsoEmulator } from '../../emulators/sso/index.js';
import { shellQuote, startTmux, type TmuxSession } from '../support/tmux.js';
import { needs } from '../support/optional-tools.js';

const START_URL = 'https://example.awsapps.com/start';
const LOGIN = ['awskeys', 'sso', 'login', '--start-url', START_URL, '--region', 'us-east-1', '--no-browser'];
const tmux = needs('tmux');

/**
 * The built binary on a real pseudo-terminal (tmux), against 300 accounts in the SSO emulator:
 * what a user sees and types, keys and Ctrl-C included.
 */
tmux.describe(
  'awskeys sso login on a real terminal (tmux)',
  () => {
    let emulator: SsoEmulator;
    let binDir: string;
    let term: TmuxSession | undefined;

    beforeAll(async () => {
      await ensureBuilt();
      emulator = await startSsoEmulator({ accounts: generateAccounts(300), autoApproveAfterPolls: 1 });
      // `awskeys` on PATH, as after `npm install -g`.
      binDir = await mkdtemp(join(tmpdir(), 'awskeys-bin-'));
      await symlink(binPath, join(binDir, 'awskeys'));
    });
    afterEach(async () => {
      await term?.kill();
      term = undefined;
    });
    afterAll(() => emulator.close());

    /** A shell in a fresh HOME running `argv; echo EXIT=$?` on a 160x40 terminal. */
    async function runOnTerminal(argv: string[]) {
      const { home, env } = await tempHome();
      term = await startTmux({
        command: `${shellQuote(...argv)}; echo EXIT=$?`,
        env: { ...env, ...emulator.env, PATH: `${binDir}:${process.env.PATH ?? ''}` },
        cols: 160,
        rows: 40,
        name: 'sso-picker',
      });
      return { term, home, env };
    }

    const accountLines = (screen: string) => screen.split('\n').filter((l) => /\(\d{12}\)/.test(l) && !l.includes('Choose'));

    it('filters 300 accounts as you type, then takes the role chosen with the arrow keys and writes the profile', async () => {
      const { term, env } = await runOnTerminal([...LOGIN, '--profile', 'picked']);
      const first = await term.waitFor('? Choose an AWS account (300; type to filter)');
      // One page of the 300, sorted by name.
      expect(accountLines(await term.waitFor('Analytics Dev 181'))).toHaveLength(12);
      expect(first).toContain('Not opening a browser (--no-browser): open the URL on any device.');

      await term.type('bill sand 147');
      // "147" is in Billing Sandbox 147's name and in Billing Sandbox 187's id (100001472934).
      const filtered = await term.waitFor(/type to filter\) bill sand 147\n❯ Billing Sandbox 147 .*\n {2}Billing Sandbox 187 .*\n\n/);
      expect(accountLines(filtered)).toEqual([
        '❯ Billing Sandbox 147 (100001156174) billing-sandbox-147@example.com',
        '  Billing Sandbox 187 (100001472934) billing-sandbox-187@example.com',
      ]);

      await term.sendKeys('Enter');
      const roles = await term.waitFor('? Choose a role in Billing Sandbox 147 (100001156174)\n❯ DeveloperAccess\n  ReadOnlyAccess');
      expect(roles).toContain('✔ Choose an AWS account (300; type to filter) Billing Sandbox 147 (100001156174) billing-sandbox-147@example.com');
      await term.sendKeys('Down');
      await term.waitFor('  DeveloperAccess\n❯ ReadOnlyAccess');
      await term.sendKeys('Enter');

      const done = await term.waitFor(/EXIT=\d+/);
      expect(done).toContain('✔ Choose a role in Billing Sandbox 147 (100001156174) ReadOnlyAccess\n');
      expect(done).toContain(`Profile "picked" is saved in ${env.AWS_CONFIG_FILE}.\nTry: aws sts get-caller-identity --profile picked\nEXIT=0`);
      expect(await readFile(env.AWS_CONFIG_FILE ?? '', 'utf8')).toBe(
        [
          '[profile picked]',
          'sso_session = example',
          'sso_account_id = 100001156174',
          'sso_role_name = ReadOnlyAccess',
          'region = us-east-1',
          'output = json',
          '',
          '[sso-session example]',
          `sso_start_url = ${START_URL}`,
          'sso_region = us-east-1',
          'sso_registration_scopes = sso:account:access',
          '',
        ].join('\n'),
      );
    });

    it('a filter pasted with its Enter in one burst saves the account that filter shows, never the previous one', async () => {
      const { term, env } = await runOnTerminal([...LOGIN, '--profile', 'pasted', '--role-name', 'ReadOnlyAccess']);
      await term.waitFor('Analytics Dev 181');
      // One write: the text and the carriage return arrive together, as from a paste or tmux send-keys.
      await term.type('bill sand 147\r');
      const done = await term.waitFor(/EXIT=\d+/);
      expect(done).toContain(
        '✔ Choose an AWS account (300; type to filter) Billing Sandbox 147 (100001156174) billing-sandbox-147@example.com\n',
      );
      expect(done).toContain('EXIT=0');
      expect(await readFile(env.AWS_CONFIG_FILE ?? '', 'utf8')).toContain('[profile pasted]\nsso_session = example\nsso_account_id = 100001156174\n');
    });

    it('Ctrl-C at the "Profile name" prompt exits 130, keeps the cached login and writes no profile', async () => {
      const { term, home } = await runOnTerminal([...LOGIN, '--account-id', '100001156174', '--role-name', 'ReadOnlyAccess']);
      await term.waitFor('? Profile name (ReadOnlyAccess-100001156174)');
      await term.sendKeys('C-c');
      const done = await term.waitFor(/EXIT=\d+/);
      expect(done).toContain(
        'awskeys: error: Interrupted; you are logged in (token cached), but no profile was written.' +
          ' (hint: run the command again: it reuses the cached login)\nEXIT=130',
      );
      expect(await readdir(join(home, '.aws'))).toEqual(['cli', 'sso']);
      expect(await readdir(join(home, '.aws', 'sso', 'cache'))).toHaveLength(2);
    });
  },
);

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, expect } from 'vitest';
import { ensureBuilt } from '../support/built.js';
import { binPath, tempHome } from '../support/cli.js';
import { needs } from '../support/optional-tools.js';
import { shellQuote, startTmux, type TmuxSession } from '../support/tmux.js';

/**
 * The vault file's passphrase on a real terminal: the built binary in tmux, the test typing (and
 * pasting) as a person. What is typed never shows on the screen, a new file asks twice, and a
 * wrong passphrase later is exit 27 with the file unchanged.
 */
const tmux = needs('tmux');
const SECRET = 'ttyVAULTsecret/K7MDENG+bPxRfiCYEXAMPLEKEY';
const PASSPHRASE = 'correct horse battery staple';

let session: TmuxSession | undefined;
afterEach(async () => {
  await session?.kill();
  session = undefined;
});

tmux.describe('the vault passphrase on a real terminal (tmux)', () => {
  beforeAll(ensureBuilt, 120_000);

  tmux.it('is asked hidden, twice for a new file; a wrong one later is exit 27 and changes nothing', async () => {
    const h = await tempHome({ credentials: `[dev]\naws_access_key_id = AKIATTYTTYTTYTTY0001\naws_secret_access_key = ${SECRET}\n`, modes: 'private' });
    const vault = join(h.home, '.aws', 'awskeys', 'vault.enc');
    const start = (args: string[]) =>
      startTmux({ name: 'awskeys-vault-pass', command: `${shellQuote(process.execPath, binPath, ...args)}; echo EXIT=$?`, env: h.env, cwd: h.home, cols: 200 });

    session = await start(['vault', 'move', '--profile', 'dev', '--to', 'file']);
    await session.waitFor(`New passphrase for the vault file ${vault}:`);
    await session.type(PASSPHRASE);
    await session.sendKeys('Enter');
    await session.waitFor('The same passphrase again:');
    // A paste arrives as one burst of characters: the same as typing, still hidden.
    await session.type(PASSPHRASE);
    await session.sendKeys('Enter');
    const moved = await session.waitFor(/^EXIT=\d+$/m);
    expect(moved).toMatch(/^EXIT=0$/m);
    expect(moved).toContain(`Moved access key AKIATTYTTYTTYTTY0001 of profile dev to ${vault}.`);
    expect(moved).not.toContain('horse');
    expect(await readFile(vault, 'utf8')).not.toContain(SECRET);
    await session.kill();

    const before = await readFile(vault);
    session = await start(['vault', 'list']);
    await session.waitFor(`Passphrase of the vault file ${vault}:`);
    await session.type('wrong horse');
    await session.sendKeys('Enter');
    const refused = await session.waitFor(/^EXIT=\d+$/m);
    expect(refused).toMatch(/^EXIT=27$/m);
    expect(refused).toContain(`awskeys: error: Wrong passphrase for the vault file ${vault}; nothing was changed.`);
    expect(refused).not.toContain('wrong horse');
    expect(await readFile(vault)).toEqual(before);
    await session.kill();

    session = await start(['vault', 'list']);
    await session.waitFor(`Passphrase of the vault file ${vault}:`);
    await session.type(PASSPHRASE);
    await session.sendKeys('Enter');
    const listed = await session.waitFor(/^EXIT=\d+$/m);
    expect(listed).toMatch(/^EXIT=0$/m);
    expect(listed).toMatch(/^dev {6}file {3}AKIATTYTTYTTYTTY0001/m);
  });
});

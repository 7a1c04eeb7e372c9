import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { createUser } from '../../test/iam-fixtures.js';
import { needs } from '../../test/support/optional-tools.js';
import { SECRET_SERVICE_TOOLS, useSecretService } from '../../test/support/secret-service.js';
import { menuSetup, offered, withBus } from '../../test/support/create-key-menu.js';

/**
 * The destination menu with a keychain that answers (a private gnome-keyring): a file of its own,
 * because the keychain addon keeps the first D-Bus it reached for the life of the process.
 */

needs(...SECRET_SERVICE_TOOLS).describe('the destination menu with a keychain that answers', () => {
  const ss = useSecretService();

  it('offers the keychain first, as the default, and stores the key there when chosen', async () => {
    const user = await createUser('menu-keychain');
    const s = await menuSetup({ 'create-key.destination': 'keychain', 'create-key.profile-name': 'dev' });
    const key = await withBus(ss().env.DBUS_SESSION_BUS_ADDRESS, () => s.create({ user }));

    expect(offered(s.menu())).toEqual({ values: ['keychain', 'profile', 'file', 'csv-file', 'env', 'json'], default: 'keychain' });
    expect(s.menu()?.choices[0]?.label).toBe('A vault profile, its key in the Secret Service keyring (never on disk)');
    expect(await readFile(s.paths.config, 'utf8')).toBe('[profile dev]\ncredential_process = awskeys credential-process --profile dev\nawskeys_vault = keychain\n');
    const found = await ss().secretTool('search', '--all', 'service', 'awskeys');
    expect(found).toContain('attribute.username = dev');
    expect(found).toContain(key.secretAccessKey);
    // The probe that decided the menu left no item of its own.
    expect(found.match(/attribute\.username = /g)).toHaveLength(1);
  });
});

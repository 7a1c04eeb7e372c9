import { Option, type Command } from 'commander';
import type { Deps } from '../../app/deps.js';
import type { VaultListFlags, VaultMoveFlags, VaultRemoveFlags } from './vault-command.js';

/** `awskeys vault list|remove|move`: flags only; each action lazily imports its handler (docs/vault.md). */
export function registerVaultCommands(program: Command, getDeps: () => Deps): void {
  const vault = program
    .command('vault')
    .description('Long-term keys off disk: the OS keychain or an encrypted file (docs/vault.md).');

  vault
    .command('list')
    .description('Every key in the vault and every vault profile: profile, store, access key id, age (never a secret).')
    .option('--json', 'print a JSON document instead of a table')
    .action(async (flags: VaultListFlags) => {
      const { vaultListCommand } = await import('./vault-command.js');
      await vaultListCommand(flags, getDeps());
    });

  vault
    .command('remove')
    .description("Delete a profile's key from the vault (the key stays active in IAM); the config profile stops pointing at it.")
    .requiredOption('--profile <name>', 'the vault profile')
    .addOption(new Option('--store <store>', "only from this store (default: the one the profile names, else any that holds it)").choices(['keychain', 'file']))
    .option('--yes', 'do not ask (required without a terminal)')
    .action(async (flags: VaultRemoveFlags) => {
      const { vaultRemoveCommand } = await import('./vault-command.js');
      await vaultRemoveCommand(flags, getDeps());
    });

  vault
    .command('move')
    .description(
      "Move a profile's key between the credentials file (plaintext) and the vault; the old copy is removed only after the new one reads back.",
    )
    .requiredOption('--profile <name>', 'the profile whose key moves')
    .addOption(
      new Option('--to <place>', 'where the key goes (default: keychain for a plaintext key, credentials for a vault profile)').choices([
        'keychain',
        'file',
        'credentials',
      ]),
    )
    .action(async (flags: VaultMoveFlags) => {
      const { vaultMoveCommand } = await import('./vault-command.js');
      await vaultMoveCommand(flags, getDeps());
    });
}

import { Option, type Command } from 'commander';
import type { Deps } from '../../app/deps.js';
import { storeOption } from './store-option.js';
import { registerIamHygieneCommands } from './iam-hygiene.cli.js';
import type { CreateKeyFlags } from './iam-create-key.js';
import type { ListKeysFlags } from './iam-list-keys.js';
import type { ChangeKeyFlags } from './iam-change-key.js';

/** The `iam` command table: flags only; each action lazily imports its handler. */
export function registerIamCommands(program: Command, getDeps: () => Deps): void {
  const iam = program
    .command('iam')
    .description('IAM user access keys: create, list, rotate, audit, import, activate, deactivate, delete.');
  const sourceProfile = () =>
    new Option('--profile <name>', 'take the credentials that call IAM from this profile (default: AWS_PROFILE, then the default chain)');

  iam
    .command('create-key')
    .alias('create')
    .description('Create an access key and store its secret (which AWS shows only once) where you say.')
    .option('--user <name>', "the IAM user (default: the source credentials' own user)")
    .addOption(sourceProfile())
    .option('--write-profile <name>', 'store the key as this profile (in the --store)')
    .addOption(storeOption())
    .option('--csv-file <path>', "write the console's CSV (with a User Name column, for aws configure import), mode 0600")
    .addOption(new Option('--format <format>', 'print the key on stdout').choices(['env', 'json', 'csv']))
    .option('--force', 'replace an existing CSV file, or a profile that already holds a key')
    .action(async (flags: CreateKeyFlags) => {
      const { createKeyCommand } = await import('./iam-create-key.js');
      await createKeyCommand(flags, getDeps());
    });

  iam
    .command('list-keys')
    .alias('list')
    .description("List a user's access keys with status, age and last use.")
    .option('--user <name>', "the IAM user (default: the source credentials' own user)")
    .addOption(sourceProfile())
    .option('--json', 'print a JSON array (ISO dates) instead of a table')
    .option('--max-age <days>', 'warn about keys older than this many days', '90')
    .action(async (flags: ListKeysFlags) => {
      const { listKeysCommand } = await import('./iam-list-keys.js');
      await listKeysCommand(flags, getDeps());
    });

  for (const change of ['activate', 'deactivate', 'delete'] as const) {
    iam
      .command(`${change}-key`)
      .description(CHANGE_DESCRIPTION[change])
      .requiredOption('--access-key-id <id>', 'the access key')
      .option('--user <name>', "the key's IAM user (default: the source credentials' own user)")
      .addOption(sourceProfile())
      .option('--yes', 'do not ask for confirmation (required without a terminal)')
      .option('--even-if-used', 'go ahead even though a profile in your AWS files (or AWS_ACCESS_KEY_ID) holds the key')
      .action(async (flags: ChangeKeyFlags) => {
        const { changeKeyCommand } = await import('./iam-change-key.js');
        await changeKeyCommand(change, flags, getDeps());
      });
  }
  // After the key commands, so `awskeys iam --help` lists create and list first.
  registerIamHygieneCommands(iam, program, getDeps);
}

const CHANGE_DESCRIPTION = {
  activate: 'Activate an access key again.',
  deactivate: 'Deactivate an access key (reversible: activate-key turns it back on).',
  delete: 'Delete an access key for good.',
};

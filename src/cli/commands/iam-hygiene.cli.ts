import { Option, type Command } from 'commander';
import type { Deps } from '../../app/deps.js';
import type { RotateFlags } from './iam-rotate.js';
import type { AuditFlags } from './iam-audit.js';
import type { ImportFlags } from './iam-import.js';
import { storeOption } from './store-option.js';

/**
 * Key hygiene commands: `iam rotate`, `iam audit` (also the top-level `status`) and `iam import`.
 * Flags only; each action lazily imports its handler.
 */
export function registerIamHygieneCommands(iam: Command, program: Command, getDeps: () => Deps): void {
  iam
    .command('rotate')
    .description(
      'Replace the access key of a profile with a new one, as a transaction: the new key is checked before anything is written, and any failure puts everything back.',
    )
    .option('--profile <name>', 'the profile whose static key to rotate (default: AWS_PROFILE)')
    .option('--user <name>', "the key's IAM user (default: found with sts get-caller-identity; checked when given)")
    .option('--delete-other', "delete the user's other access key when it is Active (an Inactive one is always deleted)")
    .option('--even-if-used', 'with --delete-other: delete the other key even though a profile in your AWS files (or AWS_ACCESS_KEY_ID) holds it')
    .option('--keep-old', 'leave the old key Inactive instead of deleting it')
    .option('--dry-run', 'print the plan on stdout and change nothing')
    .option('--yes', 'do not ask before rotating (required without a terminal)')
    .action(async (flags: RotateFlags) => {
      const { rotateCommand } = await import('./iam-rotate.js');
      await rotateCommand(flags, getDeps());
    });

  const audit = (command: Command) =>
    command
      .option('--json', 'print a JSON document instead of one line per profile')
      .option('--max-age <days>', 'warn about access keys older than this many days', '90')
      .option('--max-unused <days>', 'warn about Active access keys unused (or never used since creation) for this many days or more, as CIS 1.12 does', '45')
      .option('--offline', 'do not ask IAM for key ages and last use')
      .option('--profile <name>', 'ask IAM about every key as this profile (default: the default credentials: AWS_PROFILE, AWS_ACCESS_KEY_ID, [default])')
      .addOption(
        new Option('--each-key', "ask IAM about each key signed with that key itself (its last use then includes this audit's call)").conflicts([
          'profile',
          'offline',
        ]),
      )
      .action(async (flags: AuditFlags) => {
        const { auditCommand } = await import('./iam-audit.js');
        await auditCommand(flags, getDeps());
      });
  const auditDescription =
    'Every profile in the AWS files: kind, key age and last use, SSO expiry; exits 13 when something needs attention.';
  audit(iam.command('audit').description(auditDescription));
  audit(program.command('status').description(`Same as iam audit. ${auditDescription}`));

  iam
    .command('import')
    .description("Store the access key from the IAM console's CSV download in a profile (the secret never passes through the command line).")
    .requiredOption('--csv <file>', "the console's CSV file (for a pipe: --csv /dev/stdin)")
    .requiredOption('--profile <name>', 'the profile to write (in the --store)')
    .addOption(storeOption())
    .option('--force', 'replace the keys a profile already holds')
    .action(async (flags: ImportFlags) => {
      const { importCommand } = await import('./iam-import.js');
      await importCommand(flags, getDeps());
    });
}

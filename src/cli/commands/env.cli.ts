import { Option, type Command } from 'commander';
import { OUTPUT_FORMATS } from '../../output/credentials.js';
import type { Deps } from '../../app/deps.js';
import type { EnvOptions } from './env-command.js';

/**
 * The `env` and `credential-process` command table: flags only; each action lazily imports its
 * handler. src/cli/commands/env-argv.ts parses the same flags without commander on the hot path
 * (see there); keep the two in step.
 */
export function registerEnvCommands(program: Command, getDeps: () => Deps): void {
  program
    .command('env')
    .description("Print shell lines that export a profile's credentials (eval them).")
    .option('-p, --profile <name>', 'profile to read (default: AWS_PROFILE, else default)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(OUTPUT_FORMATS).default('sh'))
    .option('--no-region', 'leave out AWS_REGION and AWS_DEFAULT_REGION')
    .option('--unset', 'print the lines that clear the variables instead')
    .option('--mfa-code <code>', 'the 6-digit code of the profile\'s MFA device (asked on the terminal otherwise)')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  eval "$(awskeys env --profile dev)"                  bash, zsh',
        '  awskeys env --profile dev --format fish | source     fish',
        '  awskeys env --profile dev --format powershell | Out-String | Invoke-Expression',
        '  eval "$(awskeys env --unset)"                        clear them again',
      ].join('\n'),
    )
    .action(async (opts: EnvOptions) => {
      const { envCommand } = await import('./env-command.js');
      await envCommand(opts, getDeps());
    });

  program
    .command('credential-process')
    .description('Print the credential_process JSON for a profile (for credential_process = ... in ~/.aws/config).')
    .option('-p, --profile <name>', 'profile to read (default: AWS_PROFILE, else default)')
    .option('--mfa-code <code>', 'the 6-digit code of the profile\'s MFA device (asked on the terminal otherwise)')
    .addHelpText('after', '\nIn ~/.aws/config:\n  [profile dev-cp]\n  credential_process = awskeys credential-process --profile dev')
    .action(async (opts: { profile?: string; mfaCode?: string }) => {
      const { credentialProcessCommand } = await import('./env-command.js');
      await credentialProcessCommand(opts, getDeps());
    });
}

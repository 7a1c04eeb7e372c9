import { Option, type Command } from 'commander';
import { OUTPUT_FORMATS } from '../../output/credentials.js';
import type { Deps } from '../../app/deps.js';
import type { CredentialProcessOptions, EnvOptions } from './env-command.js';

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
    .option('--no-session', "vault profile: its long-term key itself, not a session (for a tool that needs the key)")
    .option('--duration <time>', `vault profile: the session's length, 15m to 36h (default ${VAULT_SESSION_HELP})`)
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
    .action(async (opts: Omit<EnvOptions, 'sessionSeconds'> & { duration?: string }) => {
      const { envCommand } = await import('./env-command.js');
      await envCommand(await withSessionSeconds(opts), getDeps());
    });

  program
    .command('credential-process')
    .description('Print the credential_process JSON for a profile (for credential_process = ... in ~/.aws/config).')
    .option('-p, --profile <name>', 'profile to read (default: AWS_PROFILE, else default)')
    .option('--mfa-code <code>', 'the 6-digit code of the profile\'s MFA device (asked on the terminal otherwise)')
    .option('--no-session', "vault profile: its long-term key itself, not a session (for a tool that needs the key)")
    .option('--duration <time>', `vault profile: the session's length, 15m to 36h (default ${VAULT_SESSION_HELP})`)
    .addHelpText('after', '\nIn ~/.aws/config:\n  [profile dev-cp]\n  credential_process = awskeys credential-process --profile dev')
    .action(async (opts: Omit<CredentialProcessOptions, 'sessionSeconds'> & { duration?: string }) => {
      const { credentialProcessCommand } = await import('./env-command.js');
      await credentialProcessCommand(await withSessionSeconds(opts), getDeps());
    });
}

/** The --duration of a vault profile's session, as in every command that hands out credentials. */
export const VAULT_SESSION_HELP = '1h; 12h with mfa_serial';

/** Options with `--duration <time>` parsed into `sessionSeconds` (a usage error, exit 2, when it is not a length). */
export async function withSessionSeconds<T extends { duration?: string | undefined }>(opts: T): Promise<Omit<T, 'duration'> & { sessionSeconds?: number }> {
  const { duration, ...rest } = opts;
  if (duration === undefined) return rest;
  const { parseSessionDuration } = await import('../../resolve/vault-cached-session.js');
  return { ...rest, sessionSeconds: parseSessionDuration(duration) };
}

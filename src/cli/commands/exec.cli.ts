import type { Command } from 'commander';
import type { Deps } from '../../app/deps.js';
import type { ExecOptions } from './exec-command.js';
import { VAULT_SESSION_HELP, withSessionSeconds } from './env.cli.js';

/**
 * `awskeys exec`: flags only; the action lazily imports its handler. Options stop at the first
 * word that is not one of exec's own (passThroughOptions), so `awskeys exec -p dev aws s3 ls
 * --recursive` gives --recursive to aws; `--` before the command works too.
 */
export function registerExecCommand(program: Command, getDeps: () => Deps): void {
  program
    .command('exec')
    .description("Run a command with a profile's credentials in its environment (nothing exported into your shell).")
    .usage('[options] [--] <command> [args...]')
    .argument('<command>', 'the program to run (looked up in PATH)')
    .argument('[args...]', 'its arguments, passed as given (no shell)')
    .option('-p, --profile <name>', 'profile to use (default: AWS_PROFILE, else default)')
    .option('--server', 'give the command a local credential endpoint (refreshed before expiry) instead of the keys')
    .option('--mfa-code <code>', 'the MFA code, for a profile with mfa_serial')
    .option('--no-session', "vault profile: give the command its long-term key itself, not a session")
    .option('--duration <time>', `vault profile: the session's length, 15m to 36h (default ${VAULT_SESSION_HELP})`)
    .option('--nested', 'allow running inside another awskeys exec (AWSKEYS_PROFILE is set)')
    .passThroughOptions()
    .addHelpText(
      'after',
      [
        '',
        'The command gets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION,',
        'AWS_REGION, AWS_DEFAULT_REGION and AWSKEYS_PROFILE (with --server: AWS_CONTAINER_CREDENTIALS_FULL_URI and',
        'AWS_CONTAINER_AUTHORIZATION_TOKEN instead of the keys); AWS_PROFILE and other credential variables are removed.',
        "awskeys exits with the command's exit status (128+n when signal n ended it; 127 not found, 126 not executable).",
        '',
        'Examples:',
        '  awskeys exec -p dev -- aws sts get-caller-identity',
        '  awskeys exec -p dev --server -- terraform apply      long runs: credentials refreshed as they expire',
      ].join('\n'),
    )
    .action(async (command: string, args: string[], opts: Omit<ExecOptions, 'command' | 'args' | 'sessionSeconds'> & { duration?: string }) => {
      const { execCommand } = await import('./exec-command.js');
      await execCommand({ ...(await withSessionSeconds(opts)), command, args }, getDeps());
    });
}

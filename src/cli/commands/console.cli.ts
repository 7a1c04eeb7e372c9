import { Option, type Command } from 'commander';
import type { Deps } from '../../app/deps.js';
import type { ConsoleFlags } from './console-command.js';

/** `awskeys console`: flags only; the action lazily imports its handler. */
export function registerConsoleCommand(program: Command, getDeps: () => Deps): void {
  program
    .command('console')
    .description("Open the AWS console signed in with a profile's credentials (federation sign-in URL).")
    .option('-p, --profile <name>', 'profile to use (default: AWS_PROFILE, else default)')
    .option('--destination <url>', 'the console page to land on (default: the console home in the profile\'s region)')
    .option('--print', 'print the sign-in URL on stdout instead of opening a browser')
    .addOption(new Option('--duration <time>', 'console session length, 15m to 12h (e.g. 1h, 90m, 3600)'))
    .option('--mfa-code <code>', 'the MFA code, for a role profile with mfa_serial')
    .addHelpText(
      'after',
      [
        '',
        'Role and IAM Identity Center profiles sign in as the role. IAM user keys sign in as a federated user',
        '(GetFederationToken: the user\'s permissions, without IAM and without MFA context). The URL is valid',
        'for 15 minutes and signs in whoever opens it.',
        '',
        'Examples:',
        '  awskeys console --profile dev',
        '  awskeys console --profile dev --destination https://console.aws.amazon.com/s3/home --print',
      ].join('\n'),
    )
    .action(async (opts: Omit<ConsoleFlags, 'durationSeconds'> & { duration?: string }) => {
      const [{ consoleCommand }, { parseConsoleDuration }] = await Promise.all([
        import('./console-command.js'),
        import('../../console/console-signin.js'),
      ]);
      const { duration, ...flags } = opts;
      await consoleCommand({ ...flags, durationSeconds: duration === undefined ? undefined : parseConsoleDuration(duration) }, getDeps());
    });
}

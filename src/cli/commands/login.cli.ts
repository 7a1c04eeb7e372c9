import type { Command } from 'commander';
import type { Deps } from '../../app/deps.js';
import type { LoginFlags } from './login-command.js';

/** `awskeys login` (the AWS CLI's `aws login`): flags only; the action lazily imports its handler. */
export function registerLoginCommand(program: Command, getDeps: () => Deps): void {
  program
    .command('login')
    .description('Sign in with your AWS console user (IAM user or root) and get short-term credentials, renewed as they are used: no access key at all.')
    .option('-p, --profile <name>', 'the profile to give the login session (default: AWS_PROFILE, else default)')
    .option('--region <region>', "the Sign-In region (default: the profile's region, AWS_REGION; asked when none)")
    .option('--remote', 'sign in on another device (SSH, containers): open the URL anywhere and paste back the code it shows')
    .option('--no-browser', 'do not open a browser; print the URL to open and keep waiting')
    .option('--force', 'replace the login session the profile has, without asking')
    .option('--timeout <seconds>', 'how long to wait for the browser sign-in (default 600)')
    .action(async (flags: LoginFlags) => {
      const { loginCommand } = await import('./login-command.js');
      await loginCommand(flags, getDeps());
    });
}

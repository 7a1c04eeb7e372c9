import type { Command } from 'commander';
import type { Deps } from '../../app/deps.js';
import type { LogoutFlags } from './logout-command.js';

/** `awskeys logout` (the AWS CLI's `aws logout`): flags only; the action lazily imports its handler. */
export function registerLogoutCommand(program: Command, getDeps: () => Deps): void {
  program
    .command('logout')
    .description('Delete the cached credentials of an `aws login` (console sign-in) session, as `aws logout` does.')
    .option('-p, --profile <name>', "the profile whose login session's cache to delete (default: AWS_PROFILE, else default)")
    .option('--all', 'delete the cached credentials of every `aws login` session (not SSO: see awskeys sso logout)')
    .action(async (flags: LogoutFlags) => {
      const { logoutCommand } = await import('./logout-command.js');
      await logoutCommand(flags, getDeps());
    });
}

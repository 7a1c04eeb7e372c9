import { Option, type Command } from 'commander';
import type { Deps } from '../../app/deps.js';
import type { SsoLoginFlags } from './sso-login.js';
import type { SsoPopulateFlags } from './sso-populate.js';
import type { SsoLogoutFlags } from './sso-logout.js';

/** The `sso` command table: flags only; each action lazily imports its handler. */
export function registerSsoCommands(program: Command, getDeps: () => Deps): void {
  const sso = program
    .command('sso')
    .description('IAM Identity Center (AWS SSO): log in, pick an account and role, populate profiles, log out.');

  sso
    .command('login')
    .description(
      'Sign in (browser with PKCE, or the device flow; or reuse the cached login), choose an account and role, and write the result.',
    )
    .option('--start-url <url>', 'the AWS access portal URL, e.g. https://my-sso-portal.awsapps.com/start')
    .option('--region <region>', 'the IAM Identity Center region (with --start-url)')
    .option('--sso-session <name>', 'the [sso-session] to create or use (default with --start-url: derived from the URL)')
    .addOption(new Option('--session-name <name>', 'same as --sso-session').hideHelp())
    .option('-p, --profile <name>', 'the profile to log in with, or to write (default: AWS_PROFILE; new profiles: <RoleName>-<AccountId>)')
    .option('--account-id <id>', 'the account to use (skips the account prompt)')
    .option('--role-name <name>', 'the role (permission set) to use (skips the role prompt)')
    .addOption(
      new Option('--write <target>', 'where the credentials go')
        .choices(['config', 'credentials', 'env', 'json'])
        .default('config'),
    )
    .option('--profile-region <region>', 'the default region written into the profile (default: the SSO region)')
    .addOption(new Option('--use-device-code', 'sign in with a code on any device (the device flow)').conflicts('useAuthCode'))
    .option('--use-auth-code', 'sign in with a browser on this machine (PKCE), even over SSH or in a container')
    .option('--no-browser', 'do not open a browser; print the URL to open and keep waiting')
    .option('--timeout <seconds>', 'how long to wait for the browser sign-in (PKCE; default 600)')
    .option('--force', 'log in again even when the cached login is still valid')
    .action(async (flags: SsoLoginFlags) => {
      const { ssoLoginCommand } = await import('./sso-login.js');
      await ssoLoginCommand(flags, getDeps());
    });

  sso
    .command('populate')
    .description(
      'Write a profile for every account and role of an SSO session (sso-session form), at the service\'s speed limit.',
    )
    .option('--sso-session <name>', 'the [sso-session] whose login to use')
    .option('--profile <name>', 'use the sso-session of this profile')
    .option('--start-url <url>', 'the AWS access portal URL (with --region); creates the [sso-session] when missing')
    .option('--region <region>', 'the IAM Identity Center region (with --start-url)')
    .option('--template <template>', 'profile names: {account_name} {account_id} {role_name} {session}', '{account_name}-{role_name}')
    .option('--profile-region <region>', 'the region written into new profiles (default: the SSO region)')
    .option('--prune', 'remove profiles sso populate wrote for this session whose assignment is gone')
    .option('--dry-run', 'print the plan on stdout and change nothing')
    .option('--yes', 'change or remove managed profiles without asking (needed without a terminal)')
    .action(async (flags: SsoPopulateFlags) => {
      const { ssoPopulateCommand } = await import('./sso-populate.js');
      await ssoPopulateCommand(flags, getDeps());
    });

  sso
    .command('logout')
    .description('Sign out of IAM Identity Center and delete cached SSO tokens and role credentials (all without options).')
    .option('--profile <name>', "log out of this profile's SSO session")
    .option('--session <name>', 'log out of this sso-session')
    .option('--all', 'log out of every cached SSO session (the default)')
    .action(async (flags: SsoLogoutFlags) => {
      const { ssoLogoutCommand } = await import('./sso-logout.js');
      await ssoLogoutCommand(flags, getDeps());
    });
}

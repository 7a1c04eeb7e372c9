import { NeedsInputError, NotFoundError } from '../errors/cli-error.js';
import type { Prompter } from '../prompt/prompter.js';
import type { Reporter } from '../app/reporter.js';
import type { SsoAccount } from './portal.js';

/** How many choices are listed on stderr when there is no terminal to pick on. */
const LISTED_CHOICES = 20;

export interface ChoiceDeps {
  prompter: Prompter;
  report: Pick<Reporter, 'info'>;
}

export function accountLabel(a: SsoAccount): string {
  return `${a.accountName} (${a.accountId}) ${a.emailAddress}`.trim();
}

/**
 * --account-id when given (it must be one of the session's accounts); a single account without
 * asking; otherwise a type-to-filter search on a terminal, or NeedsInputError listing the choices.
 */
export async function chooseAccount(
  accounts: readonly SsoAccount[],
  accountId: string | undefined,
  deps: ChoiceDeps,
): Promise<SsoAccount> {
  if (accountId !== undefined) {
    const found = accounts.find((a) => a.accountId === accountId);
    if (!found) {
      const message = `Account ${accountId} is not one of the ${accounts.length} accounts this SSO session can use.`;
      throw new NotFoundError(message, { hint: 'run without --account-id to choose from the list' });
    }
    return found;
  }
  const only = accounts.length === 1 ? accounts[0] : undefined;
  if (only) {
    deps.report.info(`Using the only account available: ${accountLabel(only)}`);
    return only;
  }
  if (accounts.length === 0) {
    throw new NotFoundError('This SSO session has no AWS accounts assigned.', {
      hint: 'ask your IAM Identity Center administrator to assign you a permission set',
    });
  }
  if (!deps.prompter.interactive) {
    listChoices(deps.report, 'accounts', accounts.map((a) => `${a.accountId}  ${a.accountName}  ${a.emailAddress}`));
    throw new NeedsInputError(`${accounts.length} accounts are available and there is no terminal to choose on.`, {
      hint: 'pass --account-id ID --role-name NAME',
    });
  }
  return deps.prompter.search({
    name: 'sso-login.account',
    message: `Choose an AWS account (${accounts.length}; type to filter)`,
    flag: '--account-id',
    choices: accounts.map((a) => ({ label: accountLabel(a), value: a })),
  });
}

export async function chooseRole(
  roles: readonly string[],
  account: SsoAccount,
  roleName: string | undefined,
  deps: ChoiceDeps,
): Promise<string> {
  if (roleName !== undefined) {
    if (!roles.includes(roleName)) {
      const available = roles.length > 0 ? roles.join(', ') : 'none';
      const message = `Role ${roleName} is not available in account ${account.accountId} (available: ${available}).`;
      throw new NotFoundError(message, { hint: 'pass one of those to --role-name' });
    }
    return roleName;
  }
  const only = roles.length === 1 ? roles[0] : undefined;
  if (only !== undefined) {
    deps.report.info(`Using the only role available: ${only}`);
    return only;
  }
  if (roles.length === 0) {
    throw new NotFoundError(`No roles are assigned to you in account ${account.accountId}.`, {
      hint: 'choose another account, or ask your IAM Identity Center administrator',
    });
  }
  if (!deps.prompter.interactive) {
    listChoices(deps.report, `roles in ${account.accountId}`, roles);
    const message = `${roles.length} roles are available in ${account.accountId} and there is no terminal to choose on.`;
    throw new NeedsInputError(message, { hint: `pass --account-id ${account.accountId} --role-name NAME` });
  }
  return deps.prompter.select({
    name: 'sso-login.role',
    message: `Choose a role in ${account.accountName ? `${account.accountName} (${account.accountId})` : account.accountId}`,
    flag: '--role-name',
    choices: roles.map((r) => ({ label: r, value: r })),
  });
}

function listChoices(report: Pick<Reporter, 'info'>, what: string, lines: readonly string[]): void {
  const shown = lines.slice(0, LISTED_CHOICES);
  report.info(`Available ${what}:`);
  for (const line of shown) report.info(`  ${line}`);
  if (lines.length > shown.length) report.info(`  ... and ${lines.length - shown.length} more`);
}

import type { EmulatorAccount } from './types.js';

export const DEFAULT_ACCOUNTS: readonly EmulatorAccount[] = [
  {
    accountId: '111122223333',
    accountName: 'Payments Prod',
    emailAddress: 'payments-prod@example.com',
    roles: ['AdministratorAccess', 'ReadOnlyAccess'],
  },
  {
    accountId: '222233334444',
    accountName: 'Payments Dev',
    emailAddress: 'payments-dev@example.com',
    roles: ['AdministratorAccess', 'DeveloperAccess', 'ReadOnlyAccess'],
  },
  {
    accountId: '333344445555',
    accountName: 'Search Staging',
    emailAddress: 'search-staging@example.com',
    roles: ['ReadOnlyAccess'],
  },
];

const TEAMS = ['Payments', 'Search', 'Billing', 'Identity', 'Analytics', 'Platform', 'Mobile', 'Ledger'];
const STAGES = ['Prod', 'Staging', 'Dev', 'Sandbox', 'Audit'];
const ROLE_SETS = [['AdministratorAccess', 'ReadOnlyAccess'], ['ReadOnlyAccess'], ['DeveloperAccess', 'ReadOnlyAccess']];

/**
 * `n` deterministic accounts with realistic names ("Billing Sandbox 017"), 12-digit ids and
 * emails, so a picker can be exercised by typing a few letters of a name, an id or an email.
 */
export function generateAccounts(n: number): EmulatorAccount[] {
  return Array.from({ length: n }, (_, i) => {
    const team = TEAMS[i % TEAMS.length] ?? 'Team';
    const stage = STAGES[Math.floor(i / TEAMS.length) % STAGES.length] ?? 'Dev';
    const serial = String(i + 1).padStart(3, '0');
    return {
      accountId: String(100000000000 + i * 7919).padStart(12, '0'),
      accountName: `${team} ${stage} ${serial}`,
      emailAddress: `${team}-${stage}-${serial}@example.com`.toLowerCase(),
      roles: [...(ROLE_SETS[i % ROLE_SETS.length] ?? ['ReadOnlyAccess'])],
    };
  });
}

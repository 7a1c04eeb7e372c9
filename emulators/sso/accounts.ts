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

/**
 * Account names that break naive profile generators (second-wave-reference §2.1: granted #825):
 * section-header brackets, comment characters, '=', quotes, backslashes, line breaks, unicode,
 * names that are empty or nothing but punctuation, the reserved profile name "default", and
 * surrounding whitespace. The real service allows only printable ASCII; a client must survive the
 * rest anyway.
 */
const HOSTILE_NAMES = [
  'Company Name [production]',
  'Team #1; billing',
  'ops ; prod # main',
  'line\nbreak',
  'carriage\r\nreturn',
  'Zürich Ünïcödé',
  '東京 本番',
  'emoji 🚀 launch',
  '  padded name  ',
  'key = value',
  `quotes 'single' "double"`,
  'back\\slash',
  'path/with:colon',
  '[profile evil]',
  '###',
  '',
  'default',
  'tab\tseparated',
];

/** Permission-set names use [\w+=,.@-]; two of these differ only in characters a name must lose. */
const HOSTILE_ROLE_SETS = [
  ['AdministratorAccess', 'ReadOnlyAccess'],
  ['Deploy=Prod', 'Deploy,Prod', 'Deploy+Prod'],
  ['a.b@c-d_e', 'ReadOnlyAccess'],
  ['ReadOnlyAccess'],
];

/**
 * `n` deterministic accounts for large, hostile directories: every seventh name is a hostile one
 * above, every fifth repeats the name of the account before it (duplicate names are allowed in an
 * organization), the rest are the realistic names of generateAccounts. Ids are distinct.
 */
export function hostileAccounts(n: number): EmulatorAccount[] {
  const plain = generateAccounts(n);
  const accounts: EmulatorAccount[] = [];
  for (const [i, base] of plain.entries()) {
    let accountName = base.accountName;
    if (i % 7 === 3) accountName = HOSTILE_NAMES[Math.floor(i / 7) % HOSTILE_NAMES.length] ?? accountName;
    else if (i % 5 === 4) accountName = accounts[i - 1]?.accountName ?? accountName;
    accounts.push({
      ...base,
      accountName,
      roles: [...(HOSTILE_ROLE_SETS[i % HOSTILE_ROLE_SETS.length] ?? ['ReadOnlyAccess'])],
    });
  }
  return accounts;
}

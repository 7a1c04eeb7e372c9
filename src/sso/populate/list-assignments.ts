import type { SSOClient } from '@aws-sdk/client-sso';
import type { Assignment } from './populate-plan.js';

/** How far a listing got; what progress shows and what a failure reports. */
export interface ListingProgress {
  /** Accounts read from ListAccounts pages so far. */
  accountsListed: number;
  /** Accounts whose roles are all listed. */
  accountsDone: number;
  /** Known once every ListAccounts page is read. */
  accountsTotal: number | undefined;
  /** Account-role assignments found so far. */
  assignments: number;
}

export interface ListOptions {
  accessToken: string;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  /** ListAccountRoles calls in flight at once. The pacer sets the rate; this only bounds waiting requests. */
  concurrency?: number;
  onProgress?: (progress: ListingProgress) => void;
}

/** A listing that stopped: the first error, and how far the listing had got. */
export class ListingFailure extends Error {
  constructor(
    readonly error: unknown,
    readonly progress: ListingProgress,
    /** What was being done: "Listing accounts" or "Listing roles in 111122223333". */
    readonly action: string,
  ) {
    super(`${action}: ${String((error as Error | undefined)?.message ?? error)}`, { cause: error });
  }
}

/**
 * Every account (ListAccounts, 100 a page) and every role in each (ListAccountRoles, its pages),
 * with at most `concurrency` accounts in flight. The pace is the SSO client's (its retry strategy
 * is the PortalPacer). The first failure stops the rest at once (in-flight requests are aborted)
 * and is thrown as a ListingFailure: nothing partial is ever returned.
 */
export async function listAssignments(sso: SSOClient, options: ListOptions): Promise<Assignment[]> {
  const { ListAccountsCommand, ListAccountRolesCommand } = await import('@aws-sdk/client-sso');
  const stop = new AbortController();
  const abortSignal = AbortSignal.any([options.signal, stop.signal]);
  const progress: ListingProgress = { accountsListed: 0, accountsDone: 0, accountsTotal: undefined, assignments: 0 };
  const report = () => options.onProgress?.({ ...progress });

  const accounts: { accountId: string; accountName: string }[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const page = await sso.send(new ListAccountsCommand({ accessToken: options.accessToken, nextToken, maxResults: 100 }), {
        abortSignal,
      });
      for (const a of page.accountList ?? []) {
        if (a.accountId) accounts.push({ accountId: a.accountId, accountName: a.accountName ?? '' });
      }
      progress.accountsListed = accounts.length;
      nextToken = page.nextToken;
    } while (nextToken);
  } catch (err) {
    throw new ListingFailure(err, progress, 'Listing accounts');
  }
  progress.accountsTotal = accounts.length;
  report();

  const found: Assignment[][] = [];
  let next = 0;
  let failure: ListingFailure | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < accounts.length) {
      const index = next++;
      const account = accounts[index];
      if (!account) return;
      const roles: Assignment[] = [];
      let rolesToken: string | undefined;
      try {
        do {
          const page = await sso.send(
            new ListAccountRolesCommand({
              accessToken: options.accessToken,
              accountId: account.accountId,
              nextToken: rolesToken,
              maxResults: 100,
            }),
            { abortSignal },
          );
          for (const r of page.roleList ?? []) if (r.roleName) roles.push({ ...account, roleName: r.roleName });
          rolesToken = page.nextToken;
        } while (rolesToken);
      } catch (err) {
        // An account removed since it was listed has no roles left: nothing to write for it.
        if ((err as { name?: string }).name !== 'ResourceNotFoundException') {
          failure ??= new ListingFailure(err, { ...progress }, `Listing roles in ${account.accountId}`);
          stop.abort();
          return;
        }
      }
      found[index] = roles;
      progress.accountsDone += 1;
      progress.assignments += roles.length;
      report();
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 8, accounts.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure) throw failure;
  return found.flat();
}

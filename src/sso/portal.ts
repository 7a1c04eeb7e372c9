import type { SSOClient } from '@aws-sdk/client-sso';
import type { AwsCredentials } from '../output/credentials.js';

export interface SsoAccount {
  accountId: string;
  accountName: string;
  emailAddress: string;
}

/**
 * The SSO portal calls login needs. Every list is read to its last page (the service pages at its
 * own size), then sorted as `aws configure sso` sorts: accounts by name, roles case-insensitively.
 * Errors are the SDK's; callers map them with ssoError.
 */
export async function listAllAccounts(
  sso: SSOClient,
  accessToken: string,
  signal?: AbortSignal,
  onPage?: (countSoFar: number) => void,
): Promise<SsoAccount[]> {
  const { ListAccountsCommand } = await import('@aws-sdk/client-sso');
  const accounts: SsoAccount[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sso.send(new ListAccountsCommand({ accessToken, nextToken, maxResults: 100 }), {
      abortSignal: signal,
    });
    for (const a of page.accountList ?? []) {
      if (a.accountId) {
        accounts.push({ accountId: a.accountId, accountName: a.accountName ?? '', emailAddress: a.emailAddress ?? '' });
      }
    }
    nextToken = page.nextToken;
    onPage?.(accounts.length);
  } while (nextToken);
  return accounts.sort((a, b) => a.accountName.localeCompare(b.accountName) || a.accountId.localeCompare(b.accountId));
}

export async function listAllRoles(
  sso: SSOClient,
  accessToken: string,
  accountId: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const { ListAccountRolesCommand } = await import('@aws-sdk/client-sso');
  const roles: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sso.send(new ListAccountRolesCommand({ accessToken, accountId, nextToken, maxResults: 100 }), {
      abortSignal: signal,
    });
    for (const r of page.roleList ?? []) if (r.roleName) roles.push(r.roleName);
    nextToken = page.nextToken;
  } while (nextToken);
  return roles.sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
}

export async function getRoleCredentials(
  sso: SSOClient,
  accessToken: string,
  accountId: string,
  roleName: string,
  signal?: AbortSignal,
): Promise<AwsCredentials> {
  const { GetRoleCredentialsCommand } = await import('@aws-sdk/client-sso');
  const { roleCredentials: c } = await sso.send(new GetRoleCredentialsCommand({ accessToken, accountId, roleName }), {
    abortSignal: signal,
  });
  if (!c?.accessKeyId || !c.secretAccessKey || !c.sessionToken) {
    throw new Error('GetRoleCredentials returned no credentials');
  }
  return {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    sessionToken: c.sessionToken,
    // Epoch milliseconds on the wire.
    expiration: c.expiration !== undefined ? new Date(c.expiration) : undefined,
    accountId,
  };
}

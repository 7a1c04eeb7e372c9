import { readAwsFiles, configProfileName } from '../aws-files/profiles.js';
import { awsFilePaths } from '../aws-files/paths.js';
import { ageInDays } from '../iam/access-keys.js';
import { vaultStoreOf } from './vault-profile.js';
import { openVaultStore, VAULT_STORE_KINDS, type VaultDeps, type VaultStoreKind } from './vault-store.js';
import { vaultFileExists } from './file-store.js';
import { VaultUnavailableError } from '../errors/cli-error.js';

export interface VaultEntry {
  profile: string;
  store: VaultStoreKind;
  /** undefined: the config names this store, but it holds no item for the profile. */
  accessKeyId: string | undefined;
  userName: string | undefined;
  /** IAM's creation date when known, else when the key was first stored (ISO 8601). */
  since: string | undefined;
  ageDays: number | undefined;
  /**
   * `ok`: a vault profile in the config, its item in the store. `missing`: the config says the
   * store, the store has no item. `unconfigured`: an item no config profile points at.
   */
  state: 'ok' | 'missing' | 'unconfigured';
}

/**
 * Every vault item and every vault profile, never a secret. The stores opened are those the config
 * names, plus the keychain when it answers and the vault file when it exists (items left behind).
 * A store the config names that cannot be opened is an error (exit 26/27); the keychain merely
 * not answering, when no profile names it, is not.
 */
export async function listVault(deps: VaultDeps): Promise<VaultEntry[]> {
  const files = await readAwsFiles(awsFilePaths(deps.env, deps.homeDir));
  const configured = new Map<string, VaultStoreKind>();
  for (const section of files.config.sections) {
    const name = configProfileName(section.name);
    const store = vaultStoreOf(section.values);
    if (name !== undefined && store) configured.set(name, store);
  }
  const entries: VaultEntry[] = [];
  const now = deps.clock.now();
  for (const kind of VAULT_STORE_KINDS) {
    const named = [...configured].filter(([, k]) => k === kind).map(([p]) => p);
    if (named.length === 0 && !(await mayHoldItems(kind, deps))) continue;
    const store = await openVaultStore(kind, deps);
    let found: string[];
    try {
      found = await store.profiles();
    } catch (err) {
      if (named.length === 0 && kind === 'keychain' && err instanceof VaultUnavailableError) continue;
      throw err;
    }
    for (const profile of [...new Set([...found, ...named])].sort()) {
      const item = found.includes(profile) ? await store.read(profile) : undefined;
      const since = item?.key.createDate ?? item?.storedAt;
      const sinceDate = since === undefined ? undefined : new Date(since);
      entries.push({
        profile,
        store: kind,
        accessKeyId: item?.key.accessKeyId,
        userName: item?.key.userName,
        since,
        ageDays: sinceDate && !Number.isNaN(sinceDate.getTime()) ? ageInDays(sinceDate, now) : undefined,
        state: item === undefined ? 'missing' : configured.get(profile) === kind ? 'ok' : 'unconfigured',
      });
    }
  }
  return entries.sort((a, b) => a.profile.localeCompare(b.profile) || a.store.localeCompare(b.store));
}

/** Whether a store no profile names is worth opening: the keychain always (it may say no), the file when it exists. */
async function mayHoldItems(kind: VaultStoreKind, deps: VaultDeps): Promise<boolean> {
  if (kind === 'keychain') return true;
  return vaultFileExists(deps.env, deps.homeDir);
}

export function renderVaultTable(entries: readonly VaultEntry[]): string {
  const rows = entries.map((e) => [e.profile, e.store, e.accessKeyId ?? '-', e.ageDays === undefined ? '-' : `${e.ageDays}d`, e.userName ?? '-', STATE_TEXT[e.state]]);
  const header = ['PROFILE', 'STORE', 'ACCESS KEY ID', 'AGE', 'IAM USER', 'STATE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows]
    .map(
      (r) =>
        `${r
          .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}

const STATE_TEXT: Record<VaultEntry['state'], string> = {
  ok: 'ok',
  missing: 'missing: the config names this store, which has no item',
  unconfigured: 'no vault profile in the config uses it',
};

import type { Deps } from '../../app/deps.js';
import { listVault, renderVaultTable } from '../../vault/vault-list.js';
import { moveKey, type MoveTarget } from '../../vault/vault-move.js';
import { removeFromVault } from '../../vault/vault-remove.js';
import type { VaultStoreKind } from '../../vault/vault-store.js';
import { selfCommand, vaultDeps } from './vault-targets.js';

export interface VaultListFlags {
  json?: boolean;
}

export interface VaultRemoveFlags {
  profile: string;
  store?: VaultStoreKind;
  yes?: boolean;
}

export interface VaultMoveFlags {
  profile: string;
  to?: MoveTarget;
}

export async function vaultListCommand(flags: VaultListFlags, deps: Deps): Promise<void> {
  const entries = await listVault(vaultDeps(deps));
  if (flags.json) {
    deps.report.result(`${JSON.stringify(entries.map((e) => ({ ...e, accessKeyId: e.accessKeyId ?? null, userName: e.userName ?? null, since: e.since ?? null, ageDays: e.ageDays ?? null })), null, 2)}\n`);
  } else if (entries.length === 0) {
    deps.report.info('The vault is empty: no profile keeps its key in the keychain or the vault file.');
  } else {
    deps.report.result(renderVaultTable(entries));
  }
}

export async function vaultRemoveCommand(flags: VaultRemoveFlags, deps: Deps): Promise<void> {
  const removed = await removeFromVault({ ...vaultDeps(deps), prompter: deps.prompter }, { profile: flags.profile, store: flags.store, yes: flags.yes });
  for (const warning of removed.warnings) deps.report.warn(warning);
  deps.report.info(`Removed access key ${removed.accessKeyId} of profile ${removed.profile} from ${removed.location}.`);
  if (removed.configChanged) deps.report.info(`Profile ${removed.profile} no longer reads the vault (its other settings are kept).`);
}

export async function vaultMoveCommand(flags: VaultMoveFlags, deps: Deps): Promise<void> {
  const command = await selfCommand(deps);
  const moved = await moveKey(vaultDeps(deps), { profile: flags.profile, to: flags.to, command });
  for (const warning of moved.warnings) deps.report.warn(warning);
  if (!moved.moved) {
    deps.report.info(`The key of profile ${moved.profile} (${moved.accessKeyId}) already is in ${moved.location}; nothing was changed.`);
    return;
  }
  deps.report.info(`Moved access key ${moved.accessKeyId} of profile ${moved.profile} to ${moved.location}.`);
}

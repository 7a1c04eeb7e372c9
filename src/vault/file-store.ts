import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readTextIfExists, removeLeftoverTemps, writeFileAtomic } from '../aws-files/atomic-write.js';
import { LockTimeoutError, withFileLock } from '../aws-files/lock.js';
import { expandUser, expandVars } from '../aws-files/paths.js';
import { assertCreatable } from '../aws-files/writable-target.js';
import { FileError, UsageError, VaultUnavailableError, VaultUnreadableError } from '../errors/cli-error.js';
import { shellWord } from '../text/shell-word.js';
import { fromDocument, stamped, toDocument } from './vault-item.js';
import type { VaultDeps, VaultItem, VaultStore } from './vault-types.js';
import { deriveKey, fitsFile, newKdf, NotAVaultFile, parseSealed, seal, unseal, type DerivedKey, type SealedFile } from './vault-file-format.js';

export const PASSPHRASE_VARIABLE = 'AWSKEYS_VAULT_PASSPHRASE';
export const VAULT_FILE_VARIABLE = 'AWSKEYS_VAULT_FILE';
const PROBE = '.awskeys-probe';

/** AWSKEYS_VAULT_FILE (with `~` and `$VAR` expanded like the AWS files' paths), else ~/.aws/awskeys/vault.enc. */
export function vaultFilePath(env: NodeJS.ProcessEnv, homeDir: string): string {
  const set = env[VAULT_FILE_VARIABLE];
  if (set) return expandUser(expandVars(set, env), env, homeDir);
  return join(homeDir, '.aws', 'awskeys', 'vault.enc');
}

/** Whether the vault file exists (a store no profile names is opened only then: opening asks a passphrase). */
export function vaultFileExists(env: NodeJS.ProcessEnv, homeDir: string): Promise<boolean> {
  return stat(vaultFilePath(env, homeDir)).then(
    () => true,
    () => false,
  );
}

type Items = Record<string, VaultItem>;

/**
 * The encrypted-file store (vault-file-format.ts has the cryptography): every profile's item in
 * one file, rewritten whole under the AWS files' lock and atomic-write rules. The passphrase comes
 * from AWSKEYS_VAULT_PASSPHRASE or a hidden question on the terminal, and is asked once per
 * process: the derived key is kept by this store object (one per command run).
 */
export function fileStore(deps: VaultDeps): VaultStore {
  const path = vaultFilePath(deps.env, deps.homeDir);
  let passphrase: string | undefined;
  let derived: DerivedKey | undefined;

  async function keyFor(sealed: SealedFile | undefined): Promise<DerivedKey> {
    const unlocked = deps.unlockedVaultFiles.get(path);
    if (passphrase === undefined && unlocked) ({ passphrase, derived } = unlocked);
    if (derived && (!sealed || fitsFile(derived, sealed))) return derived;
    passphrase ??= await askPassphrase(sealed === undefined);
    derived = await deriveKey(passphrase, sealed ? sealed.kdf : newKdf());
    // A new file's passphrase was typed twice; an existing file's is kept once it opens (load).
    if (!sealed) deps.unlockedVaultFiles.set(path, { passphrase, derived });
    return derived;
  }

  async function askPassphrase(creating: boolean): Promise<string> {
    const given = deps.env[PASSPHRASE_VARIABLE];
    if (given) return given;
    const { terminal } = deps;
    if (!terminal.interactive) {
      throw new VaultUnavailableError(`No passphrase for the vault file ${path}, and no terminal to ask for it.`, {
        hint: `set ${PASSPHRASE_VARIABLE} in the environment, or run it in a terminal`,
      });
    }
    if (!creating) {
      return terminal.input({ name: 'vault.passphrase', message: `Passphrase of the vault file ${path}:`, hidden: true, flag: PASSPHRASE_VARIABLE });
    }
    const first = await terminal.input({
      name: 'vault.new-passphrase',
      message: `New passphrase for the vault file ${path}:`,
      hidden: true,
      flag: PASSPHRASE_VARIABLE,
      validate: (v) => (v === '' ? 'The passphrase cannot be empty.' : undefined),
    });
    const again = await terminal.input({ name: 'vault.repeat-passphrase', message: 'The same passphrase again:', hidden: true, flag: PASSPHRASE_VARIABLE });
    if (again !== first) throw new UsageError('The two passphrases differ; nothing was written.', { hint: 'run it again and type the same passphrase twice' });
    return first;
  }

  /** The file's items (none when it does not exist); a wrong passphrase or a damaged file throws. */
  async function load(): Promise<{ sealed: SealedFile | undefined; items: Items }> {
    let text: string | undefined;
    try {
      text = await readTextIfExists(path);
    } catch (err) {
      if (!(err instanceof FileError)) throw err;
      throw new VaultUnreadableError(err.message, { hint: err.hint, cause: err });
    }
    if (text === undefined) return { sealed: undefined, items: {} };
    let sealed: SealedFile;
    try {
      sealed = parseSealed(text);
    } catch (err) {
      if (!(err instanceof NotAVaultFile)) throw err;
      throw new VaultUnreadableError(`${path} is not an awskeys vault file: ${err.message}; nothing was changed.`, {
        hint: `restore it from a backup, or point ${VAULT_FILE_VARIABLE} at the vault file`,
      });
    }
    const opened = unseal(sealed, await keyFor(sealed));
    if (!opened.ok) {
      if (opened.reason === 'wrong-passphrase') {
        // Asked again next time, not reused: this one is wrong for this file.
        passphrase = undefined;
        derived = undefined;
        deps.unlockedVaultFiles.delete(path);
        throw new VaultUnreadableError(`Wrong passphrase for the vault file ${path}; nothing was changed.`, {
          hint: deps.env[PASSPHRASE_VARIABLE] ? `${PASSPHRASE_VARIABLE} does not open this file: set it to the file's passphrase` : 'run it again and type the passphrase the file was made with',
        });
      }
      throw new VaultUnreadableError(`The vault file ${path} is damaged or was changed outside awskeys (its authentication failed); nothing was changed.`, {
        hint: 'restore it from a backup: its keys cannot be read',
      });
    }
    if (passphrase !== undefined && derived) deps.unlockedVaultFiles.set(path, { passphrase, derived });
    return { sealed, items: parseItems(opened.plaintext) };
  }

  function parseItems(plaintext: string): Items {
    let doc: unknown;
    try {
      doc = JSON.parse(plaintext);
    } catch {
      doc = undefined;
    }
    const raw = (doc as { items?: unknown } | undefined)?.items;
    if (typeof raw !== 'object' || raw === null) {
      throw new VaultUnreadableError(`The vault file ${path} decrypts, but its contents are not awskeys items; nothing was changed.`, {
        hint: 'restore it from a backup',
      });
    }
    const items: Items = {};
    for (const [profile, value] of Object.entries(raw as Record<string, unknown>)) {
      const item = fromDocument(value);
      if (typeof item === 'string') {
        throw new VaultUnreadableError(`The vault file's item for profile "${profile}" is unreadable (${item}); nothing was changed.`, {
          hint: 'update awskeys, or restore the file from a backup',
        });
      }
      items[profile] = item;
    }
    return items;
  }

  /** Reads, changes and rewrites the file under its lock; `change` returns false to write nothing. */
  async function update<T>(change: (items: Items) => { write: boolean; result: T }, signal: AbortSignal | undefined): Promise<T> {
    // The passphrase is asked (and checked) before taking the lock, so another awskeys does not
    // wait while the user types.
    const before = await load();
    if (!before.sealed) await keyFor(undefined);
    await refuseReadOnly();
    try {
      return await withFileLock(
        path,
        async () => {
          await removeLeftoverTemps(path);
          const { sealed, items } = await load();
          const { write, result } = change(items);
          if (!write) return result;
          const docs = Object.fromEntries(
            Object.entries(items)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([p, item]) => [p, toDocument(item)]),
          );
          await writeFileAtomic(path, seal(JSON.stringify({ items: docs }), await keyFor(sealed)), { mode: 0o600 });
          return result;
        },
        { clock: deps.clock, signal },
      );
    } catch (err) {
      // A file or folder that cannot be written is an unusable store (exit 26), in the file error's
      // words; a lock held by another awskeys stays what it is.
      if (err instanceof FileError && !(err instanceof LockTimeoutError)) {
        throw new VaultUnavailableError(err.message.replace(/\.$/, '; the vault cannot keep a key there.'), { hint: err.hint, cause: err });
      }
      throw err;
    }
  }

  /** A file the user made read-only is not rewritten behind their back (the rename would replace it). */
  async function refuseReadOnly(): Promise<void> {
    const info = await stat(path).catch(() => undefined);
    if (info && (info.mode & 0o200) === 0) {
      throw new VaultUnavailableError(`The vault file ${path} is read-only; nothing was written.`, { hint: `make it writable: chmod u+w ${shellWord(path)}` });
    }
  }

  /** The store's calls; `signal` stops a wait for the file's lock (undefined: nothing stops it). */
  function withSignal(signal: AbortSignal | undefined): VaultStore {
    const read = async (profile: string): Promise<VaultItem | undefined> => (await load()).items[profile];
    const write = (profile: string, item: VaultItem): Promise<void> =>
      update((items) => {
        items[profile] = stamped(item, items[profile], deps.clock.now());
        return { write: true, result: undefined };
      }, signal);
    const remove = async (profile: string): Promise<boolean> => {
      // Nothing to remove needs no lock, and never a new file (nor a passphrase for one).
      if (!(profile in (await load()).items)) return false;
      return update((items) => {
        if (!(profile in items)) return { write: false, result: false };
        delete items[profile];
        return { write: true, result: true };
      }, signal);
    };
    return {
      kind: 'file',
      location: path,
      read,
      write,
      remove,
      async profiles() {
        return Object.keys((await load()).items)
          .filter((p) => p !== PROBE)
          .sort();
      },
      async probe() {
        // No file yet: nothing is created for a key that may never come (the user may not exist).
        // The passphrase is settled now, and the folder must let the file be made.
        if (!(await load()).sealed) {
          await keyFor(undefined);
          await assertCreatable(path).catch((err: unknown) => {
            if (!(err instanceof FileError)) throw err;
            throw new VaultUnavailableError(err.message.replace(/\.$/, '; the vault cannot keep a key there.'), { hint: err.hint, cause: err });
          });
          return;
        }
        const probe: VaultItem = { key: { accessKeyId: 'AKIAPROBE', secretAccessKey: 'probe' } };
        await write(PROBE, probe);
        const back = await read(PROBE);
        await remove(PROBE);
        if (back?.key.secretAccessKey !== probe.key.secretAccessKey) {
          throw new VaultUnavailableError(`The vault file ${path} did not keep a test item.`, { hint: `check the file and its folder, or set ${VAULT_FILE_VARIABLE} to another path` });
        }
      },
      forUndo: () => withSignal(undefined),
    };
  }
  return withSignal(deps.signal);
}

import { VaultUnavailableError, VaultUnreadableError } from '../errors/cli-error.js';
import { loadKeyring, requireKeyring, type KeyringModule } from './native-keyring.js';
import { fromDocument, stamped, toDocument } from './vault-item.js';
import type { VaultDeps, VaultItem, VaultStore } from './vault-types.js';

/** Every item is `awskeys` / <profile name> in the OS keychain (docs/vault.md). */
export const KEYCHAIN_SERVICE = 'awskeys';
const PROBE = '.awskeys-probe';

/**
 * On Linux the entry is pinned to the Secret Service: keyring-rs would otherwise fall back to the
 * kernel keyring when no Secret Service answers, and that one is memory only, gone at the next
 * reboot with the only copy of a long-term key. Pinned, a missing Secret Service is an error. The
 * option is ignored on macOS (Keychain) and Windows (Credential Manager).
 */
const PINNED = { linux: { store: 'secret-service' as const } };

const FALLBACK_HINT = 'or keep the key in the encrypted vault file instead (store "file")';

/**
 * The OS keychain store: one item per profile, whose secret is the item's small JSON document
 * (vault-item.ts). No D-Bus session, no Secret Service, a keyring locked with nobody to unlock it:
 * an unusable store (exit 26), said in one line with the fix. A probe (write, read back, delete)
 * is the only proof that a store keeps what it is given: without a D-Bus session a read once
 * answered "no item" where a write failed.
 */
export function keychainStore(deps: VaultDeps, signal: AbortSignal | undefined = deps.signal): VaultStore {
  let keyring: KeyringModule | undefined;

  function entry(profile: string): InstanceType<KeyringModule['AsyncEntry']> {
    keyring ??= loadKeyring();
    try {
      return new keyring.AsyncEntry(KEYCHAIN_SERVICE, profile, PINNED);
    } catch (err) {
      throw unavailable(err);
    }
  }

  async function call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw unavailable(err);
    }
  }

  async function read(profile: string): Promise<VaultItem | undefined> {
    const text = await call(() => entry(profile).getPassword(signal));
    if (text === null) return undefined;
    const item = itemOf(text);
    if (typeof item === 'string') {
      throw new VaultUnreadableError(`The keychain item ${KEYCHAIN_SERVICE}/${profile} is not an awskeys vault item (${item}).`, {
        hint: `update awskeys, or remove the item (awskeys vault remove --profile ${profile}) and store the key again`,
      });
    }
    return item;
  }

  async function write(profile: string, item: VaultItem): Promise<void> {
    const previous = await read(profile).catch((err: unknown) => {
      // An item of another shape is replaced: the caller asked for exactly that.
      if (err instanceof VaultUnreadableError) return undefined;
      throw err;
    });
    const text = JSON.stringify(toDocument(stamped(item, previous, deps.clock.now())));
    await call(() => entry(profile).setPassword(text, signal));
  }

  async function remove(profile: string): Promise<boolean> {
    return call(() => entry(profile).deletePassword(signal));
  }

  return {
    kind: 'keychain',
    location: process.platform === 'darwin' ? 'the macOS Keychain' : process.platform === 'win32' ? 'the Windows Credential Manager' : 'the Secret Service keyring',
    read,
    write,
    remove,
    async profiles() {
      // The pinned entry first: findCredentials has no pin, and would list the kernel keyring.
      entry(PROBE);
      const ring = (keyring ??= loadKeyring());
      const found = await call(() => ring.findCredentialsAsync(KEYCHAIN_SERVICE, null, signal));
      return [...new Set(found.map((c) => c.account))].filter((a) => a !== PROBE).sort();
    },
    async probe() {
      const probe: VaultItem = { key: { accessKeyId: 'AKIAPROBE', secretAccessKey: `probe-${deps.clock.now().getTime()}` } };
      await write(PROBE, probe);
      const back = await read(PROBE);
      await remove(PROBE);
      if (back?.key.secretAccessKey !== probe.key.secretAccessKey) {
        throw new VaultUnavailableError('The OS keychain did not keep a test item (written, then not read back).', {
          hint: `check that the keychain is unlocked and works (secret-tool search service ${KEYCHAIN_SERVICE}), ${FALLBACK_HINT}`,
        });
      }
    },
    forUndo: () => keychainStore(deps, undefined),
  };
}

/**
 * The profile's item as the lean `env` path reads it (src/cli/entry.ts, rule 5): undefined for no
 * item, an unusable keychain or a foreign item alike, and the full program (keychainStore) then
 * says which. No signal: the lean path has nothing to interrupt, and the addon ignores one anyway.
 * The blocking Entry rather than AsyncEntry: nothing else runs meanwhile, and the hop to a worker
 * thread and back cost a twentieth of node's start-up (1.44x against 1.40x `node -e 0` for a bare
 * read, docs/vault.md "Cost"). A Secret Service that does not answer blocks it for D-Bus's own
 * timeout either way; Ctrl-C still ends the process at once (the lean path sets no handler).
 */
export function peekKeychainItem(profile: string): VaultItem | undefined {
  try {
    const text = new (requireKeyring().Entry)(KEYCHAIN_SERVICE, profile, PINNED).getPassword();
    const item = text === null ? undefined : itemOf(text);
    return typeof item === 'object' ? item : undefined;
  } catch {
    return undefined;
  }
}

/** The item in a keychain secret, or why it is not one. */
function itemOf(text: string): VaultItem | string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = undefined;
  }
  return fromDocument(doc);
}

/** The addon's failure as the one line a user can act on (messages measured: docs/vault.md). */
export function unavailable(err: unknown): unknown {
  if (err instanceof VaultUnavailableError || (err as { name?: string }).name === 'AbortError') return err;
  const reason = ((err as Error).message.split('\n')[0] ?? String(err)).trim();
  if (/DBUS_SESSION_BUS_ADDRESS|autolaunch|Failed to connect to socket|Connection refused/i.test(reason)) {
    return new VaultUnavailableError(`No D-Bus session to reach the keychain (Secret Service) on (${reason}).`, {
      hint: `run it in a desktop session (or start one: dbus-run-session -- $SHELL, then unlock gnome-keyring), ${FALLBACK_HINT}`,
      cause: err,
    });
  }
  if (/prompt was dismissed|is locked|locked collection/i.test(reason)) {
    return new VaultUnavailableError('The keychain (Secret Service) is locked, and nothing here can unlock it.', {
      hint: `unlock it (log in to the desktop; headless: gnome-keyring-daemon --replace --unlock --components=secrets reads the password from stdin), ${FALLBACK_HINT}`,
      cause: err,
    });
  }
  if (/no result found/i.test(reason)) {
    return new VaultUnavailableError('The keychain (Secret Service) has no keyring to store items in, and nothing here can create one.', {
      hint: `create the login keyring (a desktop login does; headless: gnome-keyring-daemon --replace --unlock --components=secrets), ${FALLBACK_HINT}`,
      cause: err,
    });
  }
  if (/Did not receive a reply|NoReply|timed? ?out/i.test(reason)) {
    // Measured: a Secret Service that is stuck (stopped, or waiting on a prompt nobody sees) fails
    // each call after 2 s with D-Bus's NoReply, whose own text runs to four causes and a period.
    return new VaultUnavailableError('The keychain (Secret Service) did not answer on the D-Bus session (no reply within its timeout).', {
      hint: `check that the keyring daemon runs and is not waiting on a prompt (secret-tool search service ${KEYCHAIN_SERVICE}), ${FALLBACK_HINT}`,
      cause: err,
    });
  }
  if (/org\.freedesktop\.secrets|ServiceUnknown|not provided by any/i.test(reason)) {
    return new VaultUnavailableError(`No Secret Service answers on the D-Bus session (${reason}).`, {
      hint: `install and start one (gnome-keyring, KeePassXC), ${FALLBACK_HINT}`,
      cause: err,
    });
  }
  return new VaultUnavailableError(`The OS keychain cannot be used: ${reason.replace(/\.$/, '')}.`, { hint: FALLBACK_HINT.replace(/^or /, ''), cause: err });
}

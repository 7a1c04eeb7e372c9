import { describe, expect, it } from 'vitest';
import { ExitCode, VaultUnavailableError } from '../errors/cli-error.js';
import { unavailable } from './keychain-store.js';

/**
 * The addon's failures, as @napi-rs/keyring 2.1.2 reported them here (against gnome-keyring on a
 * private D-Bus session, and with none), each turned into the one line the user can act on.
 */
const FALLBACK = 'or keep the key in the encrypted vault file instead (store "file")';

describe('a keychain failure, in words', () => {
  it.each([
    [
      'Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead',
      'No D-Bus session to reach the keychain (Secret Service) on (Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead).',
      `run it in a desktop session (or start one: dbus-run-session -- $SHELL, then unlock gnome-keyring), ${FALLBACK}`,
    ],
    [
      'Platform failure: DBus error: Failed to connect to socket /tmp/nope: No such file or directory',
      'No D-Bus session to reach the keychain (Secret Service) on (Platform failure: DBus error: Failed to connect to socket /tmp/nope: No such file or directory).',
      `run it in a desktop session (or start one: dbus-run-session -- $SHELL, then unlock gnome-keyring), ${FALLBACK}`,
    ],
    [
      "Couldn't access platform storage: Secret Service: unlock prompt was dismissed",
      'The keychain (Secret Service) is locked, and nothing here can unlock it.',
      `unlock it (log in to the desktop; headless: gnome-keyring-daemon --replace --unlock --components=secrets reads the password from stdin), ${FALLBACK}`,
    ],
    [
      "Couldn't access platform storage: Secret Service: no result found",
      'The keychain (Secret Service) has no keyring to store items in, and nothing here can create one.',
      `create the login keyring (a desktop login does; headless: gnome-keyring-daemon --replace --unlock --components=secrets), ${FALLBACK}`,
    ],
    [
      'Platform failure: DBus error: The name org.freedesktop.secrets was not provided by any .service files',
      'No Secret Service answers on the D-Bus session (Platform failure: DBus error: The name org.freedesktop.secrets was not provided by any .service files).',
      `install and start one (gnome-keyring, KeePassXC), ${FALLBACK}`,
    ],
    [
      "Couldn't access platform storage: AccessDenied",
      "The OS keychain cannot be used: Couldn't access platform storage: AccessDenied.",
      'keep the key in the encrypted vault file instead (store "file")',
    ],
    [
      'Platform failure: DBus error: Did not receive a reply. Possible causes include: the remote application did not send a reply, the message bus security policy blocked the reply, the reply timeout expired, or the network connection was broken.',
      'The keychain (Secret Service) did not answer on the D-Bus session (no reply within its timeout).',
      `check that the keyring daemon runs and is not waiting on a prompt (secret-tool search service awskeys), ${FALLBACK}`,
    ],
    // Never two periods in a row when the addon's own text ends with one.
    ['Platform failure: something odd.', 'The OS keychain cannot be used: Platform failure: something odd.', 'keep the key in the encrypted vault file instead (store "file")'],
  ])('%s', (reason, message, hint) => {
    const err = unavailable(Object.assign(new Error(reason), { code: 'GenericFailure' }));
    expect(err).toBeInstanceOf(VaultUnavailableError);
    expect(err).toMatchObject({ exitCode: ExitCode.VaultUnavailable, message, hint });
  });

  it('leaves a stop (AbortError) and its own errors as they are', () => {
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(unavailable(abort)).toBe(abort);
    const own = new VaultUnavailableError('x');
    expect(unavailable(own)).toBe(own);
  });
});

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll } from 'vitest';

/**
 * A real Secret Service for the keychain store's tests: a private D-Bus session bus
 * (dbus-daemon --session) with gnome-keyring-daemon on it, its keyrings in a temp folder, unlocked
 * with a known password (or left locked, to test that case). The built binary reaches it through
 * `env` (DBUS_SESSION_BUS_ADDRESS); `secretTool` reads back what was stored, as a user would.
 * Installed by .ci/run (Debian: dbus-daemon gnome-keyring libsecret-tools).
 */
export interface SecretService {
  /** What a process needs to use this Secret Service (nothing else of this machine's session). */
  readonly env: { DBUS_SESSION_BUS_ADDRESS: string };
  /** `secret-tool <args>` against this bus: stdout and stderr (attributes go to stderr), joined. */
  secretTool(...args: string[]): Promise<string>;
  /** Locks the login keyring, as a screen lock or a new login session leaves it. */
  lock(): Promise<void>;
  /**
   * Stops the keyring daemon (SIGSTOP) until the returned function resumes it: a Secret Service
   * that is stuck, as one waiting on a prompt nobody sees; D-Bus calls to it get no reply.
   */
  stall(): () => void;
  /** Ends the keyring daemon and the bus; safe to call twice. */
  stop(): Promise<void>;
}

/** The optional tools (optional-tools.ts) a Secret Service needs: `needs(...SECRET_SERVICE_TOOLS)`. */
export const SECRET_SERVICE_TOOLS = ['dbus-daemon', 'gnome-keyring', 'secret-tool'] as const;

const run = promisify(execFile);

export async function startSecretService(): Promise<SecretService> {
  const dir = await mkdtemp(join(tmpdir(), 'awskeys-secret-service-'));
  // The daemons' own HOME and runtime folder: never the developer's keyrings.
  const base = { PATH: process.env.PATH, HOME: dir, XDG_RUNTIME_DIR: dir, XDG_DATA_HOME: join(dir, 'data'), LANG: 'C.UTF-8' };
  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], { env: base, stdio: ['ignore', 'pipe', 'ignore'] });
  const children: ChildProcess[] = [bus];
  const stop = async (): Promise<void> => {
    for (const child of children.reverse()) await ended(child);
    children.length = 0;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const address = await firstLine(bus);
    const env = { ...base, DBUS_SESSION_BUS_ADDRESS: address };
    const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
      env,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    children.push(keyring);
    // --unlock reads the password from stdin, and creates the login keyring with it.
    keyring.stdin.end('test-keyring-password');
    await waitForName(env, 'org.freedesktop.secrets');
    return {
      env: { DBUS_SESSION_BUS_ADDRESS: address },
      async secretTool(...args) {
        const { stdout, stderr } = await run('secret-tool', args, { env });
        return stdout + stderr;
      },
      async lock() {
        await run(
          'dbus-send',
          ['--session', '--print-reply', '--dest=org.freedesktop.secrets', '/org/freedesktop/secrets', 'org.freedesktop.Secret.Service.Lock', 'array:objpath:/org/freedesktop/secrets/collection/login'],
          { env },
        );
      },
      stall() {
        keyring.kill('SIGSTOP');
        return () => keyring.kill('SIGCONT');
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('no output from the daemon within 10 s')), 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const nl = text.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(text.slice(0, nl).trim());
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the daemon ended (${code}) before it was ready`));
    });
  });
}

/** Polls the bus until `name` has an owner (the keyring daemon registers it after it starts). */
async function waitForName(env: NodeJS.ProcessEnv, name: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const { stdout } = await run(
      'dbus-send',
      ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', `string:${name}`],
      { env },
    ).catch(() => ({ stdout: '' }));
    if (stdout.includes('boolean true')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not appear on the test bus`);
}

function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * A private Secret Service for the enclosing describe: started before its tests, stopped after
 * them, and emptied of awskeys' items after each test so the next one starts from an empty
 * keyring. Returns a getter (the service exists only once beforeAll has run).
 */
export function useSecretService(): () => SecretService {
  let ss: SecretService | undefined;
  beforeAll(async () => {
    ss = await startSecretService();
  }, 30_000);
  afterAll(async () => ss?.stop());
  afterEach(async () => {
    await ss?.secretTool('clear', 'service', 'awskeys').catch(() => '');
  });
  return () => {
    if (!ss) throw new Error('the Secret Service is used before its beforeAll ran');
    return ss;
  };
}

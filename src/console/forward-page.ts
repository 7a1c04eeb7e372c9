import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, open, readdir, unlink } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { ConsoleSigninError } from '../errors/cli-error.js';

/**
 * The browser gets the console sign-in URL through a file, never through argv: every local user
 * can read a process's arguments (`ps`, /proc/PID/cmdline), those of the opener and of a browser
 * it starts for as long as that browser runs, and for 15 minutes the URL signs in whoever opens
 * it. The file is a page that forwards to the URL, 0600 in a folder only this user may enter,
 * under a random name (docs/decisions.md D29).
 */

/** A page older than this has long been read by its browser; the next run removes it. */
export const STALE_PAGE_MS = 60_000;

const PAGE_NAME = /^console-[0-9a-f]{24}\.html$/;

export interface ForwardPageHost {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** This user's id (undefined on Windows, where the folder is private by its ACL). */
  uid: number | undefined;
  /** The OS temp folder (os.tmpdir()), for when the environment names none. */
  tmpDir: string;
}

/**
 * Where the pages go: `$XDG_RUNTIME_DIR/awskeys` (per user, 0700, in memory, emptied at logout),
 * else `$TMPDIR/awskeys-<uid>` (macOS's TMPDIR is per user already), on Windows the user's own
 * `%TEMP%\awskeys`.
 */
export function forwardPageDir(host: ForwardPageHost): string {
  const { env } = host;
  if (host.platform === 'win32') return join([env.TEMP, env.TMP].find((v) => v !== undefined && v !== '') ?? host.tmpDir, 'awskeys');
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime !== undefined && isAbsolute(runtime)) return join(runtime, 'awskeys');
  const tmp = env.TMPDIR !== undefined && isAbsolute(env.TMPDIR) ? env.TMPDIR : host.tmpDir;
  return join(tmp, `awskeys-${host.uid ?? 'user'}`);
}

/** The page: a meta refresh, and location.replace for browsers that run scripts (no history entry). */
export function forwardPageHtml(url: string): string {
  const attribute = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  // JSON is a JS string literal; `<` escaped so no `</script>` can end the script early.
  const script = JSON.stringify(url).replace(/</g, '\\u003c');
  return [
    '<!doctype html>',
    '<html><head>',
    '<meta charset="utf-8">',
    '<meta name="referrer" content="no-referrer">',
    `<meta http-equiv="refresh" content="0;url=${attribute}">`,
    '<title>AWS console sign-in</title>',
    `<script>location.replace(${script});</script>`,
    '</head><body>',
    `<p><a href="${attribute}">Continue to the AWS console</a></p>`,
    '</body></html>',
    '',
  ].join('\n');
}

/**
 * Writes the page for `url` into the private folder and returns its path. Pages of earlier runs
 * older than STALE_PAGE_MS are removed first (a younger one may still be waiting for its browser).
 */
export async function writeForwardPage(url: string, host: ForwardPageHost, now: Date): Promise<string> {
  const dir = forwardPageDir(host);
  await privateFolder(dir, host);
  await removeStalePages(dir, now);
  const path = join(dir, `console-${randomBytes(12).toString('hex')}.html`);
  try {
    // wx: created here and now (never through a link someone left), 0600 whatever the umask.
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(forwardPageHtml(url), 'utf8');
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw pageError(`Cannot write the sign-in page in ${dir}: ${(err as Error).message}.`);
  }
  return path;
}

/** Removes the pages in `dir` older than STALE_PAGE_MS; what cannot be removed stays, silently. */
export async function removeStalePages(dir: string, now: Date): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((name) => PAGE_NAME.test(name))
      .map(async (name) => {
        const path = join(dir, name);
        const info = await lstat(path).catch(() => undefined);
        if (info?.isFile() && now.getTime() - info.mtimeMs > STALE_PAGE_MS) await unlink(path).catch(() => undefined);
      }),
  );
}

/**
 * `dir` as a folder only this user may enter: created 0700, or an existing one checked to be a
 * real folder (not a link) of this user's, and made 0700 if others could enter it. In a shared
 * /tmp someone else may have created the name first: then nothing is written.
 */
async function privateFolder(dir: string, host: ForwardPageHost): Promise<void> {
  try {
    await mkdir(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw pageError(`Cannot create ${dir} for the sign-in page: ${(err as Error).message}.`);
  }
  const info = await lstat(dir);
  if (!info.isDirectory() || (host.uid !== undefined && info.uid !== host.uid)) {
    throw pageError(`${dir} is not a folder of yours; the sign-in page is not written there.`);
  }
  if (host.platform !== 'win32' && (info.mode & 0o077) !== 0) await chmod(dir, 0o700);
}

function pageError(message: string): ConsoleSigninError {
  return new ConsoleSigninError(message, { hint: 'pass --print to get the sign-in URL on stdout' });
}

import type { Deps } from '../../app/deps.js';
import { ConsoleSigninError, NeedsInputError } from '../../errors/cli-error.js';
import { consoleSigninUrl, type ConsoleOptions } from '../../console/console-signin.js';
import { writeForwardPage } from '../../console/forward-page.js';
import { headlessReason } from '../../sso/headless.js';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';

export interface ConsoleFlags extends Omit<ConsoleOptions, 'durationSeconds'> {
  print?: boolean | undefined;
  durationSeconds?: number | undefined;
}

/**
 * `awskeys console`: the sign-in URL opened in the browser, or printed on stdout with --print.
 * The URL is a bearer secret for 15 minutes: it is never written to stderr nor put in any
 * process's arguments (the browser opens a private page that forwards to it, forward-page.ts),
 * and the browser is not started where it cannot be the user's (CI, SSH, no display): --print is
 * then the way.
 */
export async function consoleCommand(flags: ConsoleFlags, deps: Deps): Promise<void> {
  // Decided before any credentials are fetched, so a refusal costs nothing.
  const blocked = flags.print ? undefined : headlessReason(deps.env, { platform: process.platform, inContainer: false });
  if (blocked !== undefined) {
    throw new NeedsInputError(`Not opening a browser (${blocked}).`, { hint: 'pass --print to get the sign-in URL on stdout and open it yourself' });
  }
  const url = await consoleSigninUrl(flags, deps);
  if (flags.print) {
    deps.report.result(`${url}\n`);
    deps.report.info('awskeys: the URL signs in whoever opens it in the next 15 minutes: do not share or log it.');
    return;
  }
  const page = await writeForwardPage(url, { env: deps.env, platform: process.platform, uid: process.getuid?.(), tmpDir: tmpdir() }, deps.clock.now());
  try {
    await deps.openUrl(page);
  } catch (err) {
    await unlink(page).catch(() => undefined);
    throw new ConsoleSigninError(`Could not open a browser: ${(err as Error).message}.`, { hint: 'pass --print to get the sign-in URL on stdout' });
  }
  deps.report.info(`Opened the AWS console in your browser through ${page}, a private page that forwards to the sign-in URL (a browser that cannot read it, as snap-packaged ones cannot: use --print).`);
}

import { closeSync, openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';
import { isCi } from '../app/is-ci.js';
import { inquirerPrompter } from './inquirer-prompter.js';
import type { Prompter } from './prompter.js';

/**
 * A prompter on the controlling terminal device rather than stdin/stderr, as getpass and ssh
 * ask: under credential_process the SDK reads our stdout and captures stderr, and inside
 * eval "$(awskeys env)" the shell reads stdout, yet the person is at the terminal. The device is
 * opened for each question and closed after it. Without a controlling terminal (a daemon, a CI
 * job, `setsid`), or in CI, it is not interactive and callers fail naming their flag instead.
 */
export function terminalPrompter(env: NodeJS.ProcessEnv, signal: AbortSignal, platform: NodeJS.Platform = process.platform): Prompter {
  const device = platform === 'win32' ? { input: 'CONIN$', output: 'CONOUT$' } : { input: '/dev/tty', output: '/dev/tty' };
  let available: boolean | undefined;
  const ask = async <T>(question: (prompter: Prompter) => Promise<T>): Promise<T> => {
    const input = new ReadStream(openSync(device.input, 'r'));
    const output = new WriteStream(openSync(device.output, 'w'));
    try {
      return await question(inquirerPrompter(output, signal, input));
    } finally {
      input.destroy();
      output.destroy();
    }
  };
  return {
    get interactive() {
      available ??= !isCi(env) && canOpen(device.input);
      return available;
    },
    confirm: (q) => ask((p) => p.confirm(q)),
    input: (q) => ask((p) => p.input(q)),
    select: (q) => ask((p) => p.select(q)),
    search: (q) => ask((p) => p.search(q)),
  };
}

/** Opening /dev/tty fails (ENXIO) in a process without a controlling terminal. */
function canOpen(path: string): boolean {
  try {
    closeSync(openSync(path, 'r'));
    return true;
  } catch {
    return false;
  }
}

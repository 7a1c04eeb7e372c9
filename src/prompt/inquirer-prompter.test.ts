import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { InterruptedError } from '../errors/cli-error.js';
import { inquirerPrompter } from './inquirer-prompter.js';

/**
 * A terminal as node's tty.ReadStream behaves: raw mode on and off, and once it has hung up (a
 * closed window, a dropped SSH session) its input ends and every mode change fails with EIO,
 * reported as an 'error' event, as node does.
 */
function terminal() {
  const input = Object.assign(new PassThrough(), {
    isTTY: true,
    hungUp: false,
    modes: [] as boolean[],
    setRawMode(mode: boolean) {
      if (input.hungUp) input.emit('error', Object.assign(new Error('setRawMode EIO'), { code: 'EIO', syscall: 'setRawMode' }));
      else input.modes.push(mode);
      return input;
    },
  });
  const hangUp = () => {
    input.hungUp = true;
    input.end();
  };
  return { input, hangUp };
}

describe('inquirerPrompter on a terminal that hangs up', () => {
  it('stops the open question as an interruption (nothing written), instead of crashing or waiting forever', async () => {
    const { input, hangUp } = terminal();
    const prompter = inquirerPrompter(new PassThrough(), undefined, input);
    const asked = prompter.confirm({ name: 'import.replace-profile', message: 'Replace it?', flag: '--force' });
    // The question is on screen once the terminal is in raw mode.
    await vi.waitFor(() => expect(input.modes).toEqual([true]));

    hangUp();

    await expect(asked).rejects.toBeInstanceOf(InterruptedError);
  });

  it('still answers on a terminal that stays', async () => {
    const { input } = terminal();
    const prompter = inquirerPrompter(new PassThrough(), undefined, input);
    const asked = prompter.confirm({ name: 'import.replace-profile', message: 'Replace it?', flag: '--force' });
    await vi.waitFor(() => expect(input.modes).toEqual([true]));
    input.write('y\r');

    await expect(asked).resolves.toBe(true);
    expect(input.modes).toEqual([true, false]);
  });
});

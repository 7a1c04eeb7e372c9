import { describe, expect, it } from 'vitest';
import { FileError, InterruptedError } from './cli-error.js';
import { namingTheStop, stopExitCode, stopSignalOf, StopRequest, type StopSignal } from './stop-signal.js';

function abortedBy(reason?: unknown): AbortSignal {
  const controller = new AbortController();
  controller.abort(reason);
  return controller.signal;
}

/** The message reported for `err` after `stop` ended the run. */
function reported(err: unknown, stop: StopSignal | undefined): string {
  return (namingTheStop(err, stop) as Error).message;
}

describe('what stopped the run', () => {
  it('is the StopRequest the signal was aborted with; a plain abort (Ctrl-C at a prompt) or no abort is none', () => {
    expect(stopSignalOf(abortedBy(new StopRequest('SIGHUP')))).toBe('SIGHUP');
    expect(stopSignalOf(abortedBy())).toBeUndefined();
    expect(stopSignalOf(new AbortController().signal)).toBeUndefined();
    expect([stopExitCode('SIGHUP'), stopExitCode('SIGINT'), stopExitCode('SIGTERM')]).toEqual([129, 130, 143]);
  });
});

describe('namingTheStop: an interruption, worded for the signal that stopped the run', () => {
  it('names SIGTERM and SIGHUP where the message says "Interrupted", keeping the rest and the hint', () => {
    const lock = new InterruptedError('Interrupted while waiting for the lock /h/.aws/config.lock; nothing was written.');
    expect(reported(lock, 'SIGHUP')).toBe('Stopped by SIGHUP (hang-up) while waiting for the lock /h/.aws/config.lock; nothing was written.');
    expect(reported(new InterruptedError(), 'SIGTERM')).toBe('Stopped by SIGTERM; nothing was written.');
    expect(reported(new InterruptedError('ListAccounts: interrupted.'), 'SIGTERM')).toBe('ListAccounts: stopped by SIGTERM.');
    const rotation = 'Rotation of profile dev was interrupted (Ctrl-C) at "create the new key". Now: ...';
    expect(reported(new InterruptedError(rotation), 'SIGHUP')).toBe('Rotation of profile dev was stopped by SIGHUP (hang-up) at "create the new key". Now: ...');
    const loggedIn = namingTheStop(new InterruptedError('Interrupted; you are logged in (token cached), but no profile was written.', { hint: 'run it again' }), 'SIGHUP');
    expect(loggedIn).toMatchObject({
      message: 'Stopped by SIGHUP (hang-up); you are logged in (token cached), but no profile was written.',
      hint: 'run it again',
      exitCode: 130,
    });
  });

  it('keeps "Interrupted" for Ctrl-C and for a stop nobody signalled, and leaves other errors alone', () => {
    const err = new InterruptedError();
    expect(namingTheStop(err, 'SIGINT')).toBe(err);
    expect(namingTheStop(err, undefined)).toBe(err);
    const file = new FileError('Interrupted by nothing: a file error.');
    expect(namingTheStop(file, 'SIGTERM')).toBe(file);
  });
});

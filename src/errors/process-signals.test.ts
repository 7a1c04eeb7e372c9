import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { signalDiverter } from './process-signals.js';

/** A stand-in for `process`: emit() is a signal arriving. */
function fakeProcess() {
  const proc = new EventEmitter();
  const send = (signal: NodeJS.Signals) => proc.emit(signal, signal);
  return { proc, send, divert: signalDiverter(proc), listening: (s: NodeJS.Signals) => proc.listenerCount(s) };
}

describe('signalDiverter (the one listener of process signals)', () => {
  it("gives each signal to the latest diversion of it, and back to the one before on release (exec's forwarding on top of the stop handling)", () => {
    const { send, divert } = fakeProcess();
    const got: string[] = [];
    divert(['SIGINT', 'SIGTERM', 'SIGHUP'], (s) => got.push(`stop ${s}`));
    send('SIGTERM');
    const giveBack = divert(['SIGINT', 'SIGTERM', 'SIGWINCH'], (s) => got.push(`exec ${s}`));
    send('SIGINT');
    send('SIGHUP');
    send('SIGWINCH');
    giveBack();
    send('SIGINT');
    send('SIGTERM');

    expect(got).toEqual(['stop SIGTERM', 'exec SIGINT', 'stop SIGHUP', 'exec SIGWINCH', 'stop SIGINT', 'stop SIGTERM']);
  });

  it('listens with one listener per diverted signal, and with none once every diversion is released (the default action returns)', () => {
    const { divert, listening } = fakeProcess();
    const stop = divert(['SIGINT', 'SIGTERM'], () => undefined);
    const exec = divert(['SIGINT', 'SIGTERM', 'SIGWINCH', 'SIGWINCH'], () => undefined);
    expect([listening('SIGINT'), listening('SIGTERM'), listening('SIGWINCH')]).toEqual([1, 1, 1]);
    exec();
    expect([listening('SIGINT'), listening('SIGWINCH')]).toEqual([1, 0]);
    stop();
    stop();
    expect([listening('SIGINT'), listening('SIGTERM')]).toEqual([0, 0]);
  });

  it('a release out of order removes only that diversion', () => {
    const { send, divert } = fakeProcess();
    const got: string[] = [];
    divert(['SIGTERM'], () => got.push('first'));
    const second = divert(['SIGTERM'], () => got.push('second'));
    divert(['SIGTERM'], () => got.push('third'));
    second();
    send('SIGTERM');
    second();
    send('SIGTERM');
    expect(got).toEqual(['third', 'third']);
  });

  it('leaves listeners it did not add alone', () => {
    const { proc, send, divert } = fakeProcess();
    const got: string[] = [];
    proc.on('SIGHUP', () => got.push('someone else'));
    const release = divert(['SIGHUP'], () => got.push('diverted'));
    send('SIGHUP');
    release();
    send('SIGHUP');
    expect({ got, listeners: proc.listenerCount('SIGHUP') }).toEqual({ got: ['someone else', 'diverted', 'someone else'], listeners: 1 });
  });
});

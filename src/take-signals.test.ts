import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { takeProcessSignals } from './take-signals.js';

describe('takeProcessSignals', () => {
  it("routes the signals to the handler alone, then gives them back to the entry's listeners", () => {
    const proc = new EventEmitter() as unknown as NodeJS.Process;
    const seen: string[] = [];
    const entryInt = () => seen.push('entry INT');
    const entryTerm = () => seen.push('entry TERM');
    proc.on('SIGINT', entryInt);
    proc.on('SIGTERM', entryTerm);

    const release = takeProcessSignals(proc)(['SIGINT', 'SIGTERM', 'SIGWINCH'], (signal) => seen.push(`exec ${signal}`));
    proc.emit('SIGINT', 'SIGINT');
    proc.emit('SIGTERM', 'SIGTERM');
    proc.emit('SIGWINCH', 'SIGWINCH');
    release();
    proc.emit('SIGINT', 'SIGINT');
    proc.emit('SIGTERM', 'SIGTERM');

    expect(seen).toEqual(['exec SIGINT', 'exec SIGTERM', 'exec SIGWINCH', 'entry INT', 'entry TERM']);
    expect(proc.listeners('SIGINT')).toEqual([entryInt]);
    expect(proc.listenerCount('SIGWINCH')).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import type { StopSignal } from '../errors/stop-signal.js';
import {
  FINISHING_ROLLBACK,
  finishingRollback,
  inCriticalSection,
  interruptHandler,
  leftBehindNow,
  runCritical,
} from './critical-section.js';

/** Sends `signals` in order; returns what the handler did. */
function send(signals: StopSignal[], critical: boolean, leftBehind: string[] = []): string[] {
  const did: string[] = [];
  const handler = interruptHandler(
    { abort: (s) => did.push(`abort ${s}`), warn: (line) => did.push(`warn ${line}`), exit: (code) => did.push(`exit ${code}`) },
    () => critical,
    () => leftBehind,
  );
  for (const s of signals) handler(s);
  return did;
}

describe('interruptHandler (the stop-signal listener of the full entry)', () => {
  it('aborts on the first Ctrl-C and exits 130 on the second', () => {
    expect(send(['SIGINT', 'SIGINT'], false)).toEqual(['abort SIGINT', 'exit 130']);
  });

  it('handles SIGTERM and SIGHUP like Ctrl-C, exiting with 128 + their number', () => {
    expect(send(['SIGTERM', 'SIGTERM'], false)).toEqual(['abort SIGTERM', 'exit 143']);
    expect(send(['SIGHUP', 'SIGHUP'], false)).toEqual(['abort SIGHUP', 'exit 129']);
  });

  it('during a critical section, warns once on the second signal and exits only on the third, naming what it leaves behind', () => {
    expect(send(['SIGINT', 'SIGINT', 'SIGINT'], true, ['the new key AKIA1 is Active'])).toEqual([
      'abort SIGINT',
      `warn ${FINISHING_ROLLBACK}`,
      'warn awskeys: force quit: the new key AKIA1 is Active',
      'exit 130',
    ]);
    expect(send(['SIGTERM', 'SIGTERM', 'SIGHUP'], true)).toEqual([
      'abort SIGTERM',
      'warn awskeys: finishing the rollback so no key is left behind; send SIGTERM again to force quit',
      'exit 129',
    ]);
    expect(finishingRollback('SIGINT')).toBe('awskeys: finishing the rollback so no key is left behind; press Ctrl-C again to force quit');
  });
});

describe('runCritical', () => {
  it('marks the section while the work runs, also when it fails, and hands back its result', async () => {
    const seen: boolean[] = [inCriticalSection()];
    const result = await runCritical(async () => {
      seen.push(inCriticalSection());
      await runCritical(() => Promise.resolve(seen.push(inCriticalSection())));
      seen.push(inCriticalSection());
      return 'done';
    });
    await expect(runCritical(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    seen.push(inCriticalSection());
    expect({ result, seen }).toEqual({ result: 'done', seen: [false, true, true, true, false] });
  });

  it('says what the running sections would leave behind, as they go', async () => {
    let key: string | undefined;
    const during: string[][] = [];
    await runCritical(
      async () => {
        during.push(leftBehindNow());
        key = 'AKIA1';
        during.push(leftBehindNow());
        await Promise.resolve();
      },
      () => (key === undefined ? undefined : `key ${key}`),
    );
    expect({ during, after: leftBehindNow() }).toEqual({ during: [[], ['key AKIA1']], after: [] });
  });
});

import { describe, expect, it } from 'vitest';
import { FINISHING_ROLLBACK, inCriticalSection, interruptHandler, runCritical } from './critical-section.js';

/** Presses Ctrl-C `n` times; returns what the handler did, in order. */
function press(n: number, critical: boolean): string[] {
  const did: string[] = [];
  const onSigint = interruptHandler(
    { abort: () => did.push('abort'), warn: (line) => did.push(`warn ${line}`), exit: (code) => did.push(`exit ${code}`) },
    () => critical,
  );
  for (let i = 0; i < n; i++) onSigint();
  return did;
}

describe('interruptHandler (the SIGINT listener of the full entry)', () => {
  it('aborts on the first Ctrl-C and exits 130 on the second', () => {
    expect(press(2, false)).toEqual(['abort', 'exit 130']);
  });

  it('during a critical section, warns once on the second Ctrl-C and exits only on the third', () => {
    expect(press(4, true)).toEqual(['abort', `warn ${FINISHING_ROLLBACK}`, 'exit 130', 'exit 130']);
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
});

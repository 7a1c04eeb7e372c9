import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Clock } from '../src/clock.js';
import { InterruptedError } from '../src/errors.js';
import { runInProcess, type InProcessOptions, type InProcessResult } from './support/cli.js';

/** The same in-process runner every command test uses (the real parser and composition). */
export function runAwskeys(argv: string[], options: InProcessOptions): Promise<InProcessResult> {
  return runInProcess(argv, options);
}

/**
 * A clock whose sleeps return at once but move time forward, and which records them: backoff and
 * lock waits take no real time, yet their length is checked.
 */
export function steppingClock(start: Date): Clock & { slept: number[] } {
  let now = start.getTime();
  const slept: number[] = [];
  return {
    slept,
    now: () => new Date(now),
    sleep: (ms, signal) => {
      if (signal?.aborted) return Promise.reject(new InterruptedError());
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

const exec = promisify(execFile);

/** The installed AWS CLI (v1, botocore), with only the given environment. */
export async function awsCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('aws', args, { env: { PATH: process.env.PATH, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

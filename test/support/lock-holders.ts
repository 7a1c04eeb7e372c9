import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

/** A separate process holding a file lock through withFileLock (support/lock-holder.ts). */
export interface LockHolder {
  pid: number;
  /** SIGSTOP: the process stays alive, its heartbeat stops. */
  stop(): void;
  /** SIGCONT. */
  resume(): void;
  /** Lets it release the lock and exit; resolves with its exit code. */
  release(): Promise<number | null>;
  /** SIGKILL, for clean-up after a failed test. */
  kill(): void;
}

/**
 * Bundles the holder script with esbuild (tsx startup is slow) into a temp folder once per test
 * file, and starts holders from it.
 */
export function lockHolders(): { start(path: string, heartbeatMs: number): Promise<LockHolder>; stopAll(): void } {
  let script: Promise<string> | undefined;
  const started: ChildProcessWithoutNullStreams[] = [];
  const bundle = async (): Promise<string> => {
    const outfile = join(await mkdtemp(join(tmpdir(), 'awskeys-lock-holder-')), 'lock-holder.mjs');
    await build({
      entryPoints: [resolve(import.meta.dirname, 'lock-holder.ts')],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'warning',
    });
    return outfile;
  };
  return {
    async start(path, heartbeatMs) {
      script ??= bundle();
      const child = spawn(process.execPath, [await script, path, String(heartbeatMs)]);
      started.push(child);
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const said = (line: string): Promise<void> =>
        new Promise((resolve, reject) => {
          const check = (): void => {
            if (out.includes(`${line}\n`)) resolve();
          };
          child.stdout.on('data', check);
          void exited.then(() => reject(new Error(`the lock holder exited before saying "${line}": ${out}`)));
          check();
        });
      await said('held');
      return {
        pid: child.pid ?? 0,
        stop: () => void child.kill('SIGSTOP'),
        resume: () => void child.kill('SIGCONT'),
        release: async () => {
          child.stdin.end('go\n');
          await said('released');
          return exited;
        },
        kill: () => void child.kill('SIGKILL'),
      };
    },
    stopAll() {
      for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

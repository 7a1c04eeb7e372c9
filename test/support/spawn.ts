import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface Collected {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  /** What the process has printed so far (grows while it runs). */
  out: { stdout: string; stderr: string };
  /** Resolves when the process has exited and closed its output. */
  exited: Promise<Collected>;
}

/**
 * Starts a process asynchronously and collects its output, so a server living in the test's own
 * process (the SSO emulator, a proxy) keeps answering meanwhile, and a test can signal the child.
 * stdin gets `input` (empty by default) and is then closed.
 */
export function spawnCollecting(command: string, args: string[], options: SpawnOptions & { input?: string } = {}): Running {
  const { input, ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, stdio: ['pipe', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout?.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const exited = new Promise<Collected>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, ...out }));
  });
  child.stdin?.on('error', () => undefined); // a child that exits without reading its input
  child.stdin?.end(input ?? '');
  return { child, out, exited };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * Starts one moto_server (IAM + STS) for the whole test run, unless MOTO_URL already points at one
 * (.ci/run starts its own). Tests read the URL with inject('motoUrl') and reach it through the
 * standard AWS_ENDPOINT_URL_IAM / AWS_ENDPOINT_URL_STS variables.
 */
let moto: ChildProcess | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let url = process.env.MOTO_URL;
  if (!url) {
    const port = await freePort();
    moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    url = `http://127.0.0.1:${port}`;
    await waitUntilUp(url);
  }
  project.provide('motoUrl', url);
  // Every temp HOME of the run (tempHome) lives here, and goes when the run ends.
  const tempRoot = await mkdtemp(join(tmpdir(), 'awskeys-run-'));
  project.provide('tempRoot', tempRoot);
  return async () => {
    moto?.kill('SIGTERM');
    await rm(tempRoot, { recursive: true, force: true });
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/moto-api/`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not start at ${url}`);
}

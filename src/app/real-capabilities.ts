import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FetchHttp, ListenLoopback, SpawnProcess } from './deps.js';

export { divertProcessSignals } from '../errors/process-signals.js';

/**
 * The real process, signal, server and HTTP capabilities of Deps. Loaded only when a command uses one
 * (real-deps.ts imports this module dynamically), so `env` never pays for child_process, http or
 * signal listeners.
 */

export const spawnProcess: SpawnProcess = (command, args, options) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, options);
    // 'spawn' or 'error' (e.g. ENOENT) comes first; after 'spawn' errors belong to the caller.
    const onError = (err: Error) => reject(err);
    child.once('error', onError);
    child.once('spawn', () => {
      child.off('error', onError);
      resolve(child);
    });
  });

export const listenLoopback: ListenLoopback = (handler, options = {}) =>
  new Promise((resolve, reject) => {
    const server = createServer(handler);
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      resolve({
        port,
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });

export const fetchHttp: FetchHttp = (url, { timeoutMs, signal, ...init }) => {
  const deadline = AbortSignal.timeout(timeoutMs);
  return fetch(url, { ...init, signal: signal ? AbortSignal.any([signal, deadline]) : deadline });
};

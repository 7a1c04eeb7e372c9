import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CliError, ExitCode } from '../errors.js';
import type { CredentialEndpoint } from './credential-endpoint.js';

export interface RunningServer {
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  close(): Promise<void>;
}

export class CredentialServerError extends CliError {
  constructor(message: string, cause: unknown) {
    super(message, ExitCode.CredentialServer, {
      hint: 'run without --server to give the command the keys themselves',
      cause,
    });
  }
}

/**
 * Serves `endpoint` on 127.0.0.1 at a port the system picks (never on another interface: the
 * credentials are for processes on this machine only). close() also drops kept-alive connections,
 * so it returns at once when the child has exited.
 */
export async function listenOnLoopback(endpoint: CredentialEndpoint): Promise<RunningServer> {
  const server = createServer((req, res) => {
    const authorization = req.headers.authorization;
    endpoint
      .handle({ method: req.method ?? 'GET', path: req.url ?? '/', authorization })
      .then(
        ({ status, body }) => {
          res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
          res.end(body);
        },
        () => {
          res.writeHead(500).end();
        },
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new CredentialServerError(`Could not start the credential server on 127.0.0.1: ${String(err)}.`, err)));
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

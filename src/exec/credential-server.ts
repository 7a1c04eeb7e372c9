import type { Deps } from '../app/deps.js';
import { CliError, ExitCode } from '../errors/cli-error.js';
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
 * Serves `endpoint` on 127.0.0.1 (never another interface: the credentials are for processes on
 * this machine only) at a port the system picks. Closing also ends kept-alive connections, so it
 * returns at once when the child has exited.
 */
export async function serveOnLoopback(endpoint: CredentialEndpoint, deps: Pick<Deps, 'listenLoopback'>): Promise<RunningServer> {
  try {
    const server = await deps.listenLoopback((req, res) => {
      endpoint.handle({ method: req.method ?? 'GET', path: req.url ?? '/', authorization: req.headers.authorization }).then(
        ({ status, body }) => {
          res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
          res.end(body);
        },
        () => {
          res.writeHead(500).end();
        },
      );
    });
    return { origin: server.url, close: () => server.close() };
  } catch (err) {
    throw new CredentialServerError(`Could not start the credential server on 127.0.0.1: ${String(err)}.`, err);
  }
}

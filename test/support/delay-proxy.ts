import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A slow network in front of a real server (moto): every request is held for `delayMs`, then
 * forwarded as is, and the answer passed back. Tests point AWS_ENDPOINT_URL_<SERVICE> at it to
 * press Ctrl-C while a call is in flight. A request is forwarded even when the client gave up
 * meanwhile, as a real server that already received it would still carry it out.
 */
export interface DelayProxy {
  url: string;
  /** The query-protocol actions received so far ("ListAccessKeys", ...), in order. */
  readonly actions: readonly string[];
  /** Resolves as soon as a request for `action` arrives (before it is held and forwarded). */
  arrived(action: string): Promise<void>;
  close(): Promise<void>;
}

export async function startDelayProxy(target: string, delayMs: number): Promise<DelayProxy> {
  const actions: string[] = [];
  const waiters: { action: string; resolve: () => void }[] = [];
  const upstream = new URL(target);

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const action = actionOf(body, req.headers);
      actions.push(action);
      for (const w of waiters.filter((w) => w.action === action)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      setTimeout(() => {
        const out = request(
          { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
          (answer) => {
            res.on('error', () => undefined);
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        out.on('error', (err) => {
          if (!res.headersSent) res.writeHead(502);
          res.end(String(err));
        });
        out.end(body);
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    actions,
    arrived: (action) =>
      actions.includes(action) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ action, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function actionOf(body: Buffer, headers: IncomingHttpHeaders): string {
  const fromBody = new URLSearchParams(body.toString('utf8')).get('Action');
  if (fromBody) return fromBody;
  const target = headers['x-amz-target'];
  return typeof target === 'string' ? (target.split('.').at(-1) ?? target) : '?';
}

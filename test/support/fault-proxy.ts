import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A fault-injecting HTTP proxy in front of a real server (moto_server): tests point
 * AWS_ENDPOINT_URL_IAM / _STS at it, and it fails, delays or "applies then loses the reply of"
 * the requests a test names by `Action=` (query protocol) or X-Amz-Target (JSON protocols).
 * Everything else is forwarded untouched (headers too: moto checks SigV4 signatures over them).
 */

/** One request as the proxy saw it. */
export interface SeenRequest {
  action: string;
  /** The access key id in the SigV4 credential scope. */
  signedBy: string;
  params: Record<string, string>;
  /** The request's path and query (REST protocols name the operation there: /assignment/accounts is ListAccounts). */
  path: string;
}

export interface Fault {
  /** The action to act on; '*' for every request. */
  action: string;
  /** Only requests carrying these form parameters (e.g. { Status: 'Inactive' }). */
  params?: Record<string, string>;
  /** Only requests this accepts (e.g. those not signed with the old key). */
  when?: (r: SeenRequest) => boolean;
  /**
   * deny: 403 AccessDenied (IAM refused: nothing happened); unknown-key: 403 InvalidClientTokenId
   * (the signing key is not known yet); fail: 500 ServiceFailure (no clear answer);
   * corrupt-secret: forward, then hand back a wrong SecretAccessKey; lose-answer: forward (so
   * moto carries it out), then answer 500 ServiceFailure instead; drop: forward (so moto carries
   * it out), then cut the connection without any answer; delay: hold the request for `delayMs`
   * (a slow network), then forward it, even when the client gave up meanwhile, as a server that
   * already received it would still carry it out.
   */
  effect: 'deny' | 'unknown-key' | 'fail' | 'corrupt-secret' | 'lose-answer' | 'drop' | 'delay';
  delayMs?: number;
  /** The error message of deny / unknown-key / fail (default: "<Action> refused by the test proxy"). */
  message?: string;
  /** How many matching requests to act on; unlimited when unset. */
  times?: number;
}

export interface FaultProxy {
  url: string;
  seen: SeenRequest[];
  faults: Fault[];
  /** Called for every request before it is forwarded (e.g. to send a signal). */
  onRequest: ((r: SeenRequest) => void) | undefined;
  /** Resolves with the first request (already seen or still to come) that `test` accepts. */
  arrival(test: (r: SeenRequest) => boolean): Promise<SeenRequest>;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const held = new Set<NodeJS.Timeout>();
  const waiters: { test: (r: SeenRequest) => boolean; resolve: (r: SeenRequest) => void }[] = [];
  const proxy: FaultProxy = {
    url: '',
    seen: [],
    faults: [],
    onRequest: undefined,
    arrival: (test) => {
      const seen = proxy.seen.find(test);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ test, resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of held) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const params = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
      const auth = req.headers.authorization ?? '';
      const seen: SeenRequest = {
        action: actionOf(params, req.headers),
        signedBy: /Credential=([^/]+)\//.exec(auth)?.[1] ?? '',
        params,
        path: req.url ?? '',
      };
      proxy.seen.push(seen);
      proxy.onRequest?.(seen);
      for (const w of waiters.filter((w) => w.test(seen))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(seen);
      }
      const fault = proxy.faults.find(
        (f) =>
          (f.action === '*' || f.action === seen.action) &&
          f.times !== 0 &&
          Object.entries(f.params ?? {}).every(([k, v]) => params[k] === v) &&
          (f.when?.(seen) ?? true),
      );
      if (fault?.times !== undefined) fault.times -= 1;
      res.on('error', () => undefined);
      const effect = fault?.effect;
      if (effect === 'delay') {
        const timer = setTimeout(() => {
          held.delete(timer);
          forward(upstream, req, body, res, undefined);
        }, fault?.delayMs ?? 0);
        held.add(timer);
        return;
      }
      if (effect === 'deny' || effect === 'unknown-key' || effect === 'fail') {
        refuse(res, effect, seen.action, fault?.message);
        return;
      }
      forward(upstream, req, body, res, effect);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const addr = server.address();
  proxy.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return proxy;
}

function actionOf(params: Record<string, string>, headers: IncomingHttpHeaders): string {
  if (params.Action) return params.Action;
  const target = headers['x-amz-target'];
  return typeof target === 'string' ? (target.split('.').at(-1) ?? target) : '?';
}

const ERRORS = {
  deny: [403, 'Sender', 'AccessDenied'],
  'unknown-key': [403, 'Sender', 'InvalidClientTokenId'],
  fail: [500, 'Receiver', 'ServiceFailure'],
} as const;

function refuse(res: ServerResponse, effect: keyof typeof ERRORS, action: string, message = `${action} refused by the test proxy`): void {
  const [status, type, code] = ERRORS[effect];
  res.writeHead(status, { 'content-type': 'text/xml' });
  res.end(
    `<ErrorResponse><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>proxy</RequestId></ErrorResponse>`,
  );
}

function forward(
  upstream: URL,
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
  change: 'corrupt-secret' | 'lose-answer' | 'drop' | undefined,
): void {
  const out = request(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      const parts: Buffer[] = [];
      answer.on('data', (c: Buffer) => parts.push(c));
      answer.on('end', () => {
        let payload = Buffer.concat(parts);
        if (change === 'lose-answer') {
          refuse(res, 'fail', String(new URLSearchParams(body.toString('utf8')).get('Action')));
          return;
        }
        if (change === 'drop') {
          res.socket?.destroy();
          return;
        }
        if (change === 'corrupt-secret') {
          payload = Buffer.from(
            payload.toString('utf8').replace(/<SecretAccessKey>[^<]*<\/SecretAccessKey>/, `<SecretAccessKey>${'W'.repeat(40)}</SecretAccessKey>`),
          );
        }
        const headers = { ...answer.headers, 'content-length': String(payload.length) };
        delete headers['transfer-encoding'];
        res.writeHead(answer.statusCode ?? 502, headers);
        res.end(payload);
      });
    },
  );
  out.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  out.end(body);
}

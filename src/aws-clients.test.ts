import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sdkClients } from './aws-clients.js';
import { toCliError } from './aws-errors.js';

const saved = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

describe('sdkClients request timeouts', () => {
  it('ends a request that gets no answer after requestTimeout, as a network failure (exit 8), after the SDK retries', async () => {
    const held: ServerResponse[] = [];
    // Reads the request and never answers: a hung connection.
    const server = createServer((_req: IncomingMessage, res: ServerResponse) => void held.push(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    Object.assign(process.env, { AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${port}`, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
    try {
      const sts = await sdkClients(process.env, { connectionTimeout: 1000, requestTimeout: 300 }).sts({
        credentials: { accessKeyId: 'AKIAEXAMPLEEXAMPLE12', secretAccessKey: 'secret' },
        region: 'us-east-1',
      });
      const started = Date.now();
      const err: unknown = await sts.send(new GetCallerIdentityCommand({})).then(
        () => undefined,
        (e: unknown) => e,
      );

      // The server never answers: only the request timeout can end it (3 x 300 ms plus retry
      // backoff), long before the test's own 30 s timeout; wide, for a loaded CI machine.
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(held).toHaveLength(3);
      expect(toCliError(err, 'sts get-caller-identity')).toMatchObject({
        exitCode: 8,
        message: 'sts get-caller-identity: cannot reach AWS: ETIMEDOUT.',
      });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

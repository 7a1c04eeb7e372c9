import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { sdkClients } from './aws-clients.js';
import { toCliError } from './aws-errors.js';
import { tempHome } from '../../test/support/temp-home.js';

const CALLER = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>
<Arn>arn:aws:iam::123456789012:user/local</Arn><UserId>AIDALOCAL</UserId><Account>123456789012</Account>
</GetCallerIdentityResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;

/** A local STS that answers GetCallerIdentity and records the access key id each request was signed with. */
async function localSts(answer = true) {
  const signedWith: string[] = [];
  const held: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    signedWith.push(/Credential=(\w+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '');
    req.resume();
    if (!answer) return void held.push(res);
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/xml' }).end(CALLER));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url, signedWith, held, close };
}

describe('sdkClients request timeouts', () => {
  it('ends a request that gets no answer after requestTimeout, as a network failure (exit 8), after the SDK retries', async () => {
    // Reads the request and never answers: a hung connection.
    const server = await localSts(false);
    try {
      const sts = await sdkClients({ env: { AWS_ENDPOINT_URL_STS: server.url }, homeDir: '/nonexistent' }, { connectionTimeout: 1000, requestTimeout: 300 }).sts({
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
      expect(server.held).toHaveLength(3);
      expect(toCliError(err, 'sts get-caller-identity')).toMatchObject({
        exitCode: 8,
        message: 'sts get-caller-identity: cannot reach AWS: ETIMEDOUT.',
      });
    } finally {
      await server.close();
    }
  });
});

describe('sdkClients settings come from the injected environment, not process.env', () => {
  async function files(config: string, credentials: string) {
    const made = await tempHome({ config, credentials });
    return { home: made.home, env: { AWS_CONFIG_FILE: made.config, AWS_SHARED_CREDENTIALS_FILE: made.credentials } };
  }

  it("signs with the named profile's keys from the credentials file the env names, at the endpoint of the profile's services section", async () => {
    const server = await localSts();
    try {
      const { home, env } = await files(
        `[profile dev]\nservices = local\n\n[services local]\nsts =\n  endpoint_url = ${server.url}\n`,
        '[dev]\naws_access_key_id = AKIADEVDEVDEVDEVDEV1\naws_secret_access_key = dev-secret\n',
      );
      const sts = await sdkClients({ env, homeDir: home }).sts({ profile: 'dev' });

      const identity = await sts.send(new GetCallerIdentityCommand({}));

      expect(identity.Arn).toBe('arn:aws:iam::123456789012:user/local');
      expect(server.signedWith).toEqual(['AKIADEVDEVDEVDEVDEV1']);
    } finally {
      await server.close();
    }
  });

  it('takes keys from the env when no profile is named, and AWS_PROFILE from the env when one is', async () => {
    const server = await localSts();
    try {
      const { home, env } = await files('', '[other]\naws_access_key_id = AKIAOTHEROTHEROTHER1\naws_secret_access_key = s\n');
      const base = { ...env, AWS_ENDPOINT_URL: server.url, AWS_ACCESS_KEY_ID: 'AKIAENVENVENVENVENV1', AWS_SECRET_ACCESS_KEY: 's' };

      await (await sdkClients({ env: base, homeDir: home }).sts({})).send(new GetCallerIdentityCommand({}));
      await (await sdkClients({ env: { ...base, AWS_PROFILE: 'other' }, homeDir: home }).sts({})).send(new GetCallerIdentityCommand({}));

      expect(server.signedWith).toEqual(['AKIAENVENVENVENVENV1', 'AKIAOTHEROTHEROTHER1']);
    } finally {
      await server.close();
    }
  });

  it('AWS_ENDPOINT_URL_<SERVICE> wins over the config file, and AWS_IGNORE_CONFIGURED_ENDPOINT_URLS turns both off', async () => {
    const server = await localSts();
    const other = await localSts();
    try {
      const { home, env } = await files(`[default]\nendpoint_url = ${other.url}\n`, '');
      const key = { credentials: { accessKeyId: 'AKIAEXAMPLEEXAMPLE12', secretAccessKey: 's' } };

      await (await sdkClients({ env: { ...env, AWS_ENDPOINT_URL_STS: server.url }, homeDir: home }).sts(key)).send(new GetCallerIdentityCommand({}));
      await (await sdkClients({ env, homeDir: home }).sts(key)).send(new GetCallerIdentityCommand({}));
      const ignored = sdkClients({ env: { ...env, AWS_ENDPOINT_URL_STS: server.url, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, homeDir: home });
      const endpoint = await (await ignored.sts(key)).config.endpoint?.();

      expect([server.signedWith.length, other.signedWith.length]).toEqual([1, 1]);
      expect(endpoint).toBeUndefined();
    } finally {
      await server.close();
      await other.close();
    }
  });
});

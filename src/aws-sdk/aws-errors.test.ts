import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetRoleCredentialsCommand } from '@aws-sdk/client-sso';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkClients } from './aws-clients.js';
import { toCliError } from './aws-errors.js';
import { tempHome } from '../../test/support/temp-home.js';

const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

/**
 * What some services answer to a bad signature: the explanation, then the canonical request they
 * expected, whose headers include the caller's session token.
 */
const SIGNATURE_MISMATCH = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>
<Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.

The Canonical String for this request should have been
'POST
/

host:sts.amazonaws.com
x-amz-date:20240101T000000Z
x-amz-security-token:${SESSION_TOKEN}

host;x-amz-date;x-amz-security-token
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

The String-to-Sign should have been
'AWS4-HMAC-SHA256
20240101T000000Z'
</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`;

/** A GetRoleCredentials answer cut off mid-body: the SDK's JSON.parse fails on text holding a secret. */
const BROKEN_CREDENTIALS = `{"roleCredentials":{"accessKeyId":"ASIAEXAMPLE","secretAccessKey":"${SECRET_KEY}","sessionToken":"${SESSION_TOKEN}",`;

let server: Server;
/** The injected environment of the clients under test: both services point at the server above. */
let env: Record<string, string>;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.startsWith('/federation/credentials')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(BROKEN_CREDENTIALS);
      } else {
        res.writeHead(403, { 'content-type': 'text/xml' }).end(SIGNATURE_MISMATCH);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  env = { AWS_ENDPOINT_URL_STS: url, AWS_ENDPOINT_URL_SSO: url };
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** What the real SDK client threw for one call against the server above. */
async function thrown(call: () => Promise<unknown>): Promise<unknown> {
  return call().then(
    () => expect.fail('the call should have failed'),
    (err: unknown) => err,
  );
}

describe('toCliError on what the SDK throws', () => {
  it("shows a SignatureDoesNotMatch's explanation but not the canonical request with the session token", async () => {
    const sts = await sdkClients({ env, homeDir: '/nonexistent' }).sts({
      credentials: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 's', sessionToken: SESSION_TOKEN },
    });
    const err = await thrown(() => sts.send(new GetCallerIdentityCommand({})));
    expect((err as Error).message).toContain(SESSION_TOKEN);
    const cliError = toCliError(err, 'GetCallerIdentity');
    expect(cliError.message).toBe(
      'GetCallerIdentity: AWS rejected the credentials (SignatureDoesNotMatch): The request signature we calculated ' +
        'does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the ' +
        'service documentation for details.',
    );
    expect(cliError.exitCode).toBe(4);
  });

  it('says only "invalid JSON in a response" for a body it could not parse, never quoting the body', async () => {
    const sso = await sdkClients({ env, homeDir: '/nonexistent' }).sso('us-east-1');
    const err = await thrown(() =>
      sso.send(new GetRoleCredentialsCommand({ accessToken: 'aoa', accountId: '111122223333', roleName: 'ReadOnly' })),
    );
    expect((err as Error).name).toBe('SyntaxError');
    const cliError = toCliError(err, 'GetRoleCredentials');
    expect(cliError.message).toBe('GetRoleCredentials: SyntaxError (HTTP 200): invalid JSON in a response');
    expect(cliError.exitCode).toBe(11);
  });
});

describe('toCliError names the credentials a client signed with in its hint', () => {
  const keys = 'aws_access_key_id = AKIAEXAMPLEEXAMPLE12\naws_secret_access_key = s\n';

  async function rejectedWith(from: { profile?: string; credentials?: { accessKeyId: string; secretAccessKey: string } }, extra: Record<string, string> = {}) {
    const h = await tempHome({ credentials: `[ops]\n${keys}[default]\n${keys}`, config: '[profile broken]\ncredential_process = /bin/false\n' });
    const sts = await sdkClients({ env: { ...env, ...h.env, ...extra }, homeDir: h.home }).sts(from);
    return toCliError(await thrown(() => sts.send(new GetCallerIdentityCommand({}))), 'GetCallerIdentity');
  }

  it.each([
    ['a named profile', { profile: 'ops' }, {}, 'check the profile with: aws sts get-caller-identity --profile ops'],
    ['AWS_PROFILE', {}, { AWS_PROFILE: 'ops' }, 'check the profile with: aws sts get-caller-identity --profile ops'],
    ['no profile named', {}, {}, 'check the default credentials with: aws sts get-caller-identity'],
    [
      'the environment',
      {},
      { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE12', AWS_SECRET_ACCESS_KEY: 's' },
      'check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN with: aws sts get-caller-identity',
    ],
    [
      'explicit keys',
      { credentials: { accessKeyId: 'AKIAEXAMPLEEXAMPLE34', secretAccessKey: 's' } },
      {},
      'access key AKIAEXAMPLEEXAMPLE34 may be inactive or deleted, or its secret wrong: see awskeys iam list-keys',
    ],
  ])('rejected credentials from %s', async (_what, from, extra, hint) => {
    expect(await rejectedWith(from, extra)).toMatchObject({ exitCode: 4, hint });
  });

  it('no credentials from a named profile the SDK could not resolve: the hint names it', async () => {
    const err = await rejectedWith({ profile: 'broken' });
    expect(err).toMatchObject({ exitCode: 4, hint: 'see what the AWS CLI makes of the profile: aws configure export-credentials --profile broken' });
    expect(err.message).toMatch(/^GetCallerIdentity: no AWS credentials found: /);
  });
});

describe('toCliError on a service message', () => {
  it.each([
    [
      'a credential value in it becomes ***',
      { name: 'InvalidRequestException', message: `Bad request: refreshToken=${SECRET_KEY} rejected` },
      'CreateToken: InvalidRequestException: Bad request: refreshToken=*** rejected',
    ],
    [
      "SSO-OIDC's error_description wins over its message, redacted the same",
      { name: 'InvalidGrantException', message: 'UnknownError', error_description: `clientSecret: ${SECRET_KEY}` },
      'CreateToken: InvalidGrantException: clientSecret: ***',
    ],
    [
      'a long one is cut at 300 characters',
      { name: 'ServiceFailure', message: 'z'.repeat(500), $metadata: { httpStatusCode: 500 } },
      `CreateToken: ServiceFailure (HTTP 500): ${'z'.repeat(299)}…`,
    ],
  ])('%s', (_, err, expected) => {
    const message = toCliError(Object.assign(new Error(), err), 'CreateToken').message;
    expect(message).toBe(expected);
    expect(message).not.toContain(SECRET_KEY);
  });
});

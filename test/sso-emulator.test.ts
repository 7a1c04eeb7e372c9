import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import {
  GetRoleCredentialsCommand,
  ListAccountRolesCommand,
  ListAccountsCommand,
  LogoutCommand,
  paginateListAccountRoles,
  paginateListAccounts,
  SSOClient,
} from '@aws-sdk/client-sso';
import {
  CreateTokenCommand,
  RegisterClientCommand,
  StartDeviceAuthorizationCommand,
  type SSOOIDCClient,
} from '@aws-sdk/client-sso-oidc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sdkClients } from '../src/aws-sdk/aws-clients.js';
import {
  generateAccounts,
  hostileAccounts,
  startSsoEmulator,
  type SsoEmulator,
  type SsoEmulatorOptions,
} from '../emulators/sso/index.js';
import { playBrowser } from './support/browser.js';
import { needs } from './support/optional-tools.js';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const START_URL = 'https://emulated.awsapps.com/start';
const run = promisify(execFile);

/** The emulator's contract, checked with the real SDK clients reached through AWS_ENDPOINT_URL_*. */
describe('SSO emulator', () => {
  let emulator: SsoEmulator;
  let nowMs: number;
  let oidc: SSOOIDCClient;
  let sso: SSOClient;

  const start = async (options: SsoEmulatorOptions = {}): Promise<void> => {
    await emulator?.close();
    emulator = await startSsoEmulator({ now: () => nowMs, ...options });
    // A client resolves its endpoint once, so each emulator gets clients of its own.
    const aws = sdkClients({ env: { AWS_ENDPOINT_URL_SSO: emulator.url, AWS_ENDPOINT_URL_SSO_OIDC: emulator.url }, homeDir: '/nonexistent' });
    oidc = await aws.ssoOidc('us-east-1');
    sso = await aws.sso('us-east-1');
  };

  beforeEach(async () => {
    nowMs = Date.parse('2026-06-01T12:00:00Z');
    await start();
  });
  afterEach(async () => {
    await emulator.close();
  });

  const register = (scopes: string[] | undefined = ['sso:account:access']) =>
    oidc.send(new RegisterClientCommand({ clientName: 'botocore-client-test', clientType: 'public', scopes }));

  const startDevice = async (scopes?: string[]) => {
    const client = await register(scopes);
    const device = await oidc.send(
      new StartDeviceAuthorizationCommand({
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        startUrl: START_URL,
      }),
    );
    const poll = () =>
      oidc.send(
        new CreateTokenCommand({
          clientId: client.clientId,
          clientSecret: client.clientSecret,
          grantType: DEVICE_GRANT,
          deviceCode: device.deviceCode,
        }),
      );
    return { client, device, poll };
  };

  const errorOf = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (err) {
      const e = err as { name: string; error?: string; error_description?: string; message: string; $metadata: { httpStatusCode?: number; attempts?: number } };
      return {
        name: e.name,
        status: e.$metadata.httpStatusCode,
        error: e.error,
        description: e.error_description,
        message: e.message,
        attempts: e.$metadata.attempts,
      };
    }
    throw new Error('expected the call to fail');
  };

  const signedIn = async () => {
    const { poll, device } = await startDevice();
    emulator.approve(device.userCode ?? '');
    const token = await poll();
    return token.accessToken ?? '';
  };

  describe('SSO-OIDC authorization code with PKCE (/authorize and the authorization_code grant)', () => {
    const REDIRECT = 'http://127.0.0.1/oauth/callback';
    const verifier = 'v'.repeat(20) + '-._~' + 'A1'.repeat(20);
    const challenge = createHash('sha256').update(verifier).digest('base64url');

    const registerPkce = (overrides: Record<string, unknown> = {}) =>
      oidc.send(
        new RegisterClientCommand({
          clientName: 'botocore-client-corp',
          clientType: 'public',
          grantTypes: ['authorization_code', 'refresh_token'],
          redirectUris: [REDIRECT],
          issuerUrl: START_URL,
          scopes: ['sso:account:access'],
          ...overrides,
        }),
      );

    /** A stand-in for the CLI's loopback listener: records what the browser brings back. */
    const listener = async () => {
      const received: URLSearchParams[] = [];
      const server = createServer((req, res) => {
        received.push(new URL(req.url ?? '/', 'http://127.0.0.1').searchParams);
        res.end('ok');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      return { received, redirectUri: `http://127.0.0.1:${port}/oauth/callback`, close: () => new Promise((r) => server.close(r)) };
    };

    const authorizeUrl = (clientId: string, redirectUri: string, extra: Record<string, string> = {}) =>
      `${emulator.url}/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: redirectUri,
        state: 'state-1',
        code_challenge_method: 'S256',
        scopes: 'sso:account:access',
        code_challenge: challenge,
        ...extra,
      }).toString()}`;

    const redeem = (client: { clientId?: string; clientSecret?: string }, code: string, redirectUri: string, codeVerifier = verifier) =>
      oidc.send(
        new CreateTokenCommand({
          clientId: client.clientId,
          clientSecret: client.clientSecret,
          grantType: 'authorization_code',
          code,
          redirectUri,
          codeVerifier,
        }),
      );

    it('registers the AWS CLI PKCE client, and refuses one without a loopback redirect URI or issuer URL', async () => {
      expect((await registerPkce()).clientId).toMatch(/^[\w-]{22}$/);
      expect(await errorOf(registerPkce({ redirectUris: undefined }))).toMatchObject({ name: 'InvalidRedirectUriException', status: 400 });
      expect(await errorOf(registerPkce({ redirectUris: ['https://evil.example.com/cb'] }))).toMatchObject({
        name: 'InvalidRedirectUriException',
        description: 'Invalid redirect URI provided: https://evil.example.com/cb',
      });
      expect(await errorOf(registerPkce({ issuerUrl: undefined }))).toMatchObject({ name: 'InvalidClientMetadataException' });
      expect(await errorOf(registerPkce({ grantTypes: ['implicit'] }))).toMatchObject({ name: 'UnsupportedGrantTypeException' });
    });

    it('on Allow, redirects the browser to the loopback port with code and state; the code and verifier give tokens, once', async () => {
      const client = await registerPkce();
      const cli = await listener();
      try {
        const visit = await playBrowser(authorizeUrl(client.clientId ?? '', cli.redirectUri));
        // The consent page, its POST, then the redirect to 127.0.0.1 with the port of the request.
        expect(visit.visited.map((u) => new URL(u).pathname)).toEqual(['/authorize', '/authorize', '/oauth/callback']);
        const back = cli.received[0];
        expect(back?.get('state')).toBe('state-1');
        const code = back?.get('code') ?? '';
        expect(code).toMatch(/^[\w-]{64}$/);

        const token = await redeem(client, code, cli.redirectUri);
        expect(token).toMatchObject({ tokenType: 'Bearer', expiresIn: 8 * 3600 });
        expect(token.refreshToken).toMatch(/^aor/);
        expect(emulator.isAccessTokenValid(token.accessToken ?? '')).toBe(true);
        expect(await errorOf(redeem(client, code, cli.redirectUri))).toMatchObject({
          name: 'InvalidGrantException',
          description: 'Invalid authorization code provided',
        });
      } finally {
        await cli.close();
      }
    });

    it('refuses a wrong verifier, a redirect URI other than the one authorized, and an expired code', async () => {
      const client = await registerPkce();
      const cli = await listener();
      try {
        const codeOf = async () => {
          await playBrowser(authorizeUrl(client.clientId ?? '', cli.redirectUri));
          return cli.received.at(-1)?.get('code') ?? '';
        };
        expect(await errorOf(redeem(client, await codeOf(), cli.redirectUri, 'x'.repeat(64)))).toMatchObject({
          name: 'InvalidGrantException',
          description: 'Code verifier does not match the code challenge',
        });
        expect(await errorOf(redeem(client, await codeOf(), 'http://127.0.0.1:1/oauth/callback'))).toMatchObject({
          name: 'InvalidGrantException',
          description: 'Redirect URI does not match the authorization request',
        });
        const late = await codeOf();
        nowMs += 5 * 60 * 1000;
        expect(await errorOf(redeem(client, late, cli.redirectUri))).toMatchObject({ name: 'ExpiredTokenException', status: 400 });
      } finally {
        await cli.close();
      }
    });

    it('on Deny, redirects with error=access_denied and the state', async () => {
      const client = await registerPkce();
      const cli = await listener();
      try {
        await playBrowser(authorizeUrl(client.clientId ?? '', cli.redirectUri), 'deny');
        expect(Object.fromEntries(cli.received[0] ?? [])).toEqual({
          error: 'access_denied',
          error_description: 'The user denied the request',
          state: 'state-1',
        });
      } finally {
        await cli.close();
      }
    });

    it('never redirects to an unregistered URI; sends other errors back to the client', async () => {
      const client = await registerPkce();
      const elsewhere = await playBrowser(authorizeUrl(client.clientId ?? '', 'http://127.0.0.1:9/other/path'));
      expect(elsewhere).toMatchObject({ status: 400, visited: [expect.stringContaining('/authorize?')] });
      expect(elsewhere.body).toContain('The redirect_uri is not registered for this client.');

      const cli = await listener();
      try {
        await playBrowser(authorizeUrl(client.clientId ?? '', cli.redirectUri, { code_challenge_method: 'plain' }));
        expect(cli.received[0]?.get('error')).toBe('invalid_request');
        // A device-flow registration (no grantTypes) cannot use /authorize...
        const device = await register();
        const deviceClient = await playBrowser(authorizeUrl(device.clientId ?? '', cli.redirectUri));
        expect(deviceClient.status).toBe(400);
      } finally {
        await cli.close();
      }
      // ...and a PKCE registration cannot start the device flow.
      expect(
        await errorOf(oidc.send(new StartDeviceAuthorizationCommand({ clientId: client.clientId, clientSecret: client.clientSecret, startUrl: START_URL }))),
      ).toMatchObject({ name: 'UnauthorizedClientException' });
    });

    it('with autoApproveAuthorization, redirects at once, as for a browser already signed in', async () => {
      await start({ autoApproveAuthorization: true });
      const client = await registerPkce();
      const cli = await listener();
      try {
        const visit = await playBrowser(authorizeUrl(client.clientId ?? '', cli.redirectUri));
        expect(visit.visited.map((u) => new URL(u).pathname)).toEqual(['/authorize', '/oauth/callback']);
        expect(cli.received[0]?.get('code')).toMatch(/^[\w-]{64}$/);
      } finally {
        await cli.close();
      }
    });
  });

  describe('SSO-OIDC device authorization', () => {
    it('registers a public client with expiries in epoch seconds', async () => {
      const client = await register();
      expect(client.clientId).toMatch(/^[\w-]{22}$/);
      expect(client.clientSecret?.length).toBeGreaterThan(100);
      expect(client.clientIdIssuedAt).toBe(nowMs / 1000);
      expect(client.clientSecretExpiresAt).toBe(nowMs / 1000 + 90 * 24 * 3600);
    });

    it('hands out a user code and a verification URL that carries it', async () => {
      const { device } = await startDevice();
      expect(device.userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
      expect(device.verificationUri).toBe(`${emulator.url}/device`);
      expect(device.verificationUriComplete).toBe(`${emulator.url}/device?user_code=${device.userCode}`);
      expect(device.expiresIn).toBe(600);
      expect(device.interval).toBe(1);
      expect(emulator.userCodes).toEqual([device.userCode]);
    });

    it('answers AuthorizationPending until approved, then an access and a refresh token', async () => {
      const { device, poll } = await startDevice();
      expect(await errorOf(poll())).toEqual({
        name: 'AuthorizationPendingException',
        status: 400,
        error: 'authorization_pending',
        description: 'Authorization is still pending',
        // The OIDC error shapes have no message member, so the SDK says "UnknownError".
        message: 'UnknownError',
        attempts: 1,
      });
      emulator.approve(device.userCode ?? '');
      nowMs += 1000;
      const token = await poll();
      expect(token).toMatchObject({ tokenType: 'Bearer', expiresIn: 8 * 3600 });
      expect(token.accessToken).toMatch(/^aoa/);
      expect(token.refreshToken).toMatch(/^aor/);
      expect(emulator.calls).toMatchObject({ RegisterClient: 1, StartDeviceAuthorization: 1, CreateToken: 2 });
    });

    it('redeems a device code only once', async () => {
      const { device, poll } = await startDevice();
      emulator.approve(device.userCode ?? '');
      await poll();
      nowMs += 1000;
      expect((await errorOf(poll())).name).toBe('InvalidGrantException');
    });

    it('gives legacy registrations (no scopes) no refresh token', async () => {
      const { device, poll } = await startDevice([]);
      emulator.approve(device.userCode ?? '');
      expect((await poll()).refreshToken).toBeUndefined();
    });

    it.each([
      [0, 0],
      [1, 1],
      [3, 3],
    ])('with autoApproveAfterPolls %i answers %i pending polls, then the token', async (after, pending) => {
      await start({ autoApproveAfterPolls: after });
      const { poll } = await startDevice();
      for (let i = 0; i < pending; i += 1) {
        expect((await errorOf(poll())).name).toBe('AuthorizationPendingException');
        nowMs += 1000;
      }
      expect((await poll()).accessToken).toMatch(/^aoa/);
    });

    it('answers SlowDown to a poll inside the interval, and the interval then grows by 5 s', async () => {
      const { poll } = await startDevice();
      await errorOf(poll());
      nowMs += 500;
      expect(await errorOf(poll())).toMatchObject({ name: 'SlowDownException', status: 400, error: 'slow_down' });
      nowMs += 6000;
      expect((await errorOf(poll())).name).toBe('AuthorizationPendingException');
      nowMs += 5999;
      expect((await errorOf(poll())).name).toBe('SlowDownException');
      nowMs += 11_000;
      expect((await errorOf(poll())).name).toBe('AuthorizationPendingException');
    });

    it('answers AccessDenied once the user denies', async () => {
      const { device, poll } = await startDevice();
      emulator.deny(device.userCode ?? '');
      expect(await errorOf(poll())).toMatchObject({ name: 'AccessDeniedException', status: 400, error: 'access_denied' });
    });

    it('answers ExpiredToken once the device code has expired', async () => {
      await start({ deviceCodeTtlSeconds: 30 });
      const { poll } = await startDevice();
      nowMs += 30_000;
      expect(await errorOf(poll())).toMatchObject({ name: 'ExpiredTokenException', status: 400, error: 'expired_token' });
    });

    it('answers InvalidClient (401) for an unknown client or an expired registration', async () => {
      const bogus = oidc.send(
        new StartDeviceAuthorizationCommand({ clientId: 'nope', clientSecret: 'nope', startUrl: START_URL }),
      );
      expect(await errorOf(bogus)).toMatchObject({ name: 'InvalidClientException', status: 401, error: 'invalid_client' });
      await start({ clientSecretTtlSeconds: 60 });
      const { poll } = await startDevice();
      nowMs += 61_000;
      expect((await errorOf(poll())).name).toBe('InvalidClientException');
    });

    it.each([
      ['RegisterClient without clientType', '/client/register', { clientName: 'x' }, 'InvalidRequestException'],
      ['RegisterClient with a confidential client', '/client/register', { clientName: 'x', clientType: 'confidential' }, 'InvalidClientMetadataException'],
      ['RegisterClient with a malformed scope', '/client/register', { clientName: 'x', clientType: 'public', scopes: ['all'] }, 'InvalidScopeException'],
      ['StartDeviceAuthorization without startUrl', '/device_authorization', { clientId: 'a', clientSecret: 'b' }, 'InvalidRequestException'],
      ['CreateToken without grantType', '/token', { clientId: 'a', clientSecret: 'b' }, 'InvalidRequestException'],
    ])('validates required fields: %s', async (_what, path, body, errorType) => {
      const res = await fetch(`${emulator.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('x-amzn-errortype')).toBe(`${errorType}:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/`);
      expect(Object.keys((await res.json()) as object)).toEqual(['error', 'error_description']);
    });

    it('refreshes: a new access token and a rotated refresh token; the old refresh token is retired', async () => {
      const { client, device, poll } = await startDevice();
      emulator.approve(device.userCode ?? '');
      const first = await poll();
      const refresh = (refreshToken: string | undefined) =>
        oidc.send(
          new CreateTokenCommand({
            clientId: client.clientId,
            clientSecret: client.clientSecret,
            grantType: 'refresh_token',
            refreshToken,
          }),
        );
      const second = await refresh(first.refreshToken);
      expect(second.accessToken).not.toBe(first.accessToken);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(emulator.isAccessTokenValid(second.accessToken ?? '')).toBe(true);
      expect(await errorOf(refresh(first.refreshToken))).toMatchObject({ name: 'InvalidGrantException', status: 400 });
    });
  });

  describe('SSO portal', () => {
    it('pages ListAccounts 20 at a time by default, and every page through the SDK paginator', async () => {
      const accounts = emulator.generateAccounts(45);
      const accessToken = await signedIn();
      const first = await sso.send(new ListAccountsCommand({ accessToken }));
      expect(first.accountList).toHaveLength(20);
      expect(first.nextToken).toBeTruthy();
      const listed = [];
      for await (const page of paginateListAccounts({ client: sso }, { accessToken })) listed.push(...(page.accountList ?? []));
      expect(listed).toEqual(accounts.map(({ accountId, accountName, emailAddress }) => ({ accountId, accountName, emailAddress })));
      expect(emulator.calls.ListAccounts).toBe(4);
    });

    it('honours maxResults up to 100 and rejects more', async () => {
      emulator.generateAccounts(150);
      const accessToken = await signedIn();
      expect((await sso.send(new ListAccountsCommand({ accessToken, maxResults: 100 }))).accountList).toHaveLength(100);
      const tooMany = await errorOf(sso.send(new ListAccountsCommand({ accessToken, maxResults: 101 })));
      expect(tooMany).toMatchObject({ name: 'InvalidRequestException', status: 400, message: 'max_result must be between 1 and 100' });
      const badToken = await errorOf(sso.send(new ListAccountsCommand({ accessToken, nextToken: 'garbage' })));
      expect(badToken.name).toBe('InvalidRequestException');
    });

    it('lists an account roles (paged) and rejects an unknown account', async () => {
      emulator.setAccounts([
        { accountId: '123456789012', accountName: 'Many', emailAddress: 'm@example.com', roles: Array.from({ length: 25 }, (_, i) => `Role${i}`) },
      ]);
      const accessToken = await signedIn();
      const roles = [];
      for await (const page of paginateListAccountRoles({ client: sso }, { accessToken, accountId: '123456789012' })) {
        roles.push(...(page.roleList ?? []));
      }
      expect(roles).toHaveLength(25);
      expect(roles[24]).toEqual({ roleName: 'Role24', accountId: '123456789012' });
      const unknown = await errorOf(sso.send(new ListAccountRolesCommand({ accessToken, accountId: '999999999999' })));
      expect(unknown).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    });

    it('returns role credentials expiring in epoch milliseconds, and No access for an unassigned role', async () => {
      await start({ roleCredentialTtlSeconds: 900 });
      const accessToken = await signedIn();
      const { roleCredentials } = await sso.send(
        new GetRoleCredentialsCommand({ accessToken, accountId: '111122223333', roleName: 'ReadOnlyAccess' }),
      );
      expect(roleCredentials?.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
      expect(roleCredentials?.secretAccessKey).toHaveLength(40);
      expect(roleCredentials?.expiration).toBe(nowMs + 900_000);
      const denied = await errorOf(
        sso.send(new GetRoleCredentialsCommand({ accessToken, accountId: '333344445555', roleName: 'AdministratorAccess' })),
      );
      expect(denied).toMatchObject({ name: 'ForbiddenException', status: 403, message: 'No access' });
    });

    it('requires the x-amz-sso_bearer_token header on every portal operation', async () => {
      for (const path of ['/assignment/accounts', '/assignment/roles?account_id=111122223333', '/federation/credentials?role_name=A&account_id=111122223333']) {
        const res = await fetch(`${emulator.url}${path}`);
        expect(res.status).toBe(401);
        expect(res.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
        expect(await res.json()).toEqual({
          message: 'Session token not found or invalid',
          __type: 'com.amazonaws.switchboard.portal#UnauthorizedException',
        });
      }
    });

    it('rejects an expired access token with UnauthorizedException', async () => {
      const accessToken = await signedIn();
      emulator.expireAccessToken(accessToken);
      expect(await errorOf(sso.send(new ListAccountsCommand({ accessToken })))).toMatchObject({
        name: 'UnauthorizedException',
        status: 401,
        message: 'Session token not found or invalid',
      });
    });

    it('expires tokens on the clock after accessTokenTtlSeconds', async () => {
      await start({ accessTokenTtlSeconds: 60 });
      const accessToken = await signedIn();
      expect(emulator.isAccessTokenValid(accessToken)).toBe(true);
      nowMs += 60_000;
      expect(emulator.isAccessTokenValid(accessToken)).toBe(false);
    });

    it('ends the session on Logout: the access token and its refresh token stop working', async () => {
      const accessToken = await signedIn();
      await sso.send(new LogoutCommand({ accessToken }));
      expect(emulator.isAccessTokenValid(accessToken)).toBe(false);
      expect((await errorOf(sso.send(new LogoutCommand({ accessToken })))).name).toBe('UnauthorizedException');
    });

    it('mints tokens for seeding caches without the device flow', async () => {
      const issued = emulator.issueToken({ ttlSeconds: 120 });
      expect(issued.expiresAt).toEqual(new Date(nowMs + 120_000));
      expect(issued.registrationExpiresAt).toEqual(new Date(nowMs + 90 * 24 * 3600 * 1000));
      const listed = await sso.send(new ListAccountsCommand({ accessToken: issued.accessToken }));
      expect(listed.accountList).toHaveLength(3);
      const refreshed = await oidc.send(
        new CreateTokenCommand({
          clientId: issued.clientId,
          clientSecret: issued.clientSecret,
          grantType: 'refresh_token',
          refreshToken: issued.refreshToken,
        }),
      );
      expect(refreshed.accessToken).toMatch(/^aoa/);
      expect(emulator.issueToken({ withRefreshToken: false }).refreshToken).toBeUndefined();
      expect(emulator.isAccessTokenValid(emulator.issueToken({ ttlSeconds: -1 }).accessToken)).toBe(false);
    });
  });

  describe('fault injection', () => {
    it('throttles with 429 TooManyRequests: the SDK retries, and a persistent fault surfaces by name', async () => {
      const accessToken = await signedIn();
      emulator.resetCalls();
      emulator.injectFault('ListAccounts', { status: 429, errorType: 'TooManyRequestsException' });
      expect((await sso.send(new ListAccountsCommand({ accessToken }))).accountList).toHaveLength(3);
      expect(emulator.calls.ListAccounts).toBe(2);

      emulator.injectFault('ListAccounts', { status: 429, errorType: 'TooManyRequestsException', times: Infinity });
      expect(await errorOf(sso.send(new ListAccountsCommand({ accessToken })))).toMatchObject({
        name: 'TooManyRequestsException',
        status: 429,
        message: 'Injected TooManyRequestsException',
        attempts: 3,
      });
    });

    it('injects OIDC errors in the OIDC shape, e.g. SlowDown and a retried InternalServer 500', async () => {
      const { poll } = await startDevice();
      emulator.injectFault('CreateToken', { status: 400, errorType: 'SlowDownException' });
      expect(await errorOf(poll())).toMatchObject({ name: 'SlowDownException', error: 'slow_down', description: 'Injected SlowDownException' });
      emulator.injectFault('CreateToken', { status: 500, errorType: 'InternalServerException', times: 1 });
      nowMs += 10_000;
      expect((await errorOf(poll())).name).toBe('AuthorizationPendingException');
      expect(emulator.calls.CreateToken).toBe(3);
    });

    it('delays responses by the configured latency', async () => {
      emulator.setLatency(150);
      const started = performance.now();
      await register();
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    });
  });

  needs('boto3').describe('with botocore (boto3)', () => {
    it('parses OIDC errors by type and pages ListAccounts with its paginator', async () => {
      emulator.setAccounts(generateAccounts(45));
      const accessToken = await signedIn();
      const { client, device } = await startDevice();
      const script = `
import json, os, boto3
from botocore.exceptions import ClientError
oidc = boto3.client('sso-oidc', region_name='us-east-1')
out = {}
try:
    oidc.create_token(clientId=os.environ['CID'], clientSecret=os.environ['CSECRET'], grantType='${DEVICE_GRANT}', deviceCode=os.environ['DCODE'])
except ClientError as e:
    out['code'] = e.response['Error']['Code']
    out['status'] = e.response['ResponseMetadata']['HTTPStatusCode']
    out['pending'] = isinstance(e, oidc.exceptions.AuthorizationPendingException)
sso = boto3.client('sso', region_name='us-east-1')
pages = list(sso.get_paginator('list_accounts').paginate(accessToken=os.environ['TOK']))
out['pages'] = len(pages)
out['accounts'] = sum(len(p['accountList']) for p in pages)
creds = sso.get_role_credentials(accessToken=os.environ['TOK'], accountId='100000000000', roleName='ReadOnlyAccess')
out['expiration'] = creds['roleCredentials']['expiration']
print(json.dumps(out))
`;
      const { stdout } = await run('python3', ['-c', script], {
        env: {
          PATH: process.env.PATH,
          HOME: '/nonexistent',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          ...emulator.env,
          CID: client.clientId,
          CSECRET: client.clientSecret,
          DCODE: device.deviceCode,
          TOK: accessToken,
        },
      });
      expect(JSON.parse(stdout)).toEqual({
        code: 'AuthorizationPendingException',
        status: 400,
        pending: true,
        pages: 3,
        accounts: 45,
        expiration: nowMs + 3600_000,
      });
    });
  });
});

/**
 * The portal's collective throttle and large, hostile directories. These clients get the endpoint
 * in their constructor (this is a test of the emulator, not of awskeys), so no process.env change.
 */
describe('SSO emulator: rate limit and large directories', () => {
  let emulator: SsoEmulator;
  let nowMs = Date.parse('2026-06-01T12:00:00Z');
  afterEach(async () => {
    await emulator.close();
  });

  const startWith = async (options: SsoEmulatorOptions) => {
    nowMs = Date.parse('2026-06-01T12:00:00Z');
    emulator = await startSsoEmulator({ now: () => nowMs, ...options });
    return emulator.issueToken().accessToken;
  };
  const get = (path: string, token: string) => fetch(`${emulator.url}${path}`, { headers: { 'x-amz-sso_bearer_token': token } });
  const statuses = async (n: number, token: string) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      // Alternating operations: the limit is collective, not per operation.
      const path = i % 2 === 0 ? '/assignment/accounts' : '/assignment/roles?account_id=111122223333';
      out.push((await get(path, token)).status);
    }
    return out;
  };

  it('lets requestsPerSecond through per second of its clock, across portal operations, then answers 429 in the real shape', async () => {
    const token = await startWith({ rateLimit: { requestsPerSecond: 20 } });
    expect(await statuses(20, token)).toEqual(Array<number>(20).fill(200));

    const refused = await get('/assignment/roles?account_id=111122223333', token);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
    expect(refused.headers.get('retry-after')).toBeNull();
    expect(await refused.json()).toEqual({
      message: 'Rate exceeded',
      __type: 'com.amazonaws.switchboard.portal#TooManyRequestsException',
    });

    nowMs += 50; // one token
    expect(await statuses(2, token)).toEqual([200, 429]);
    nowMs += 10_000; // a quiet spell saves up one second's worth, no more
    expect(await statuses(21, token)).toEqual([...Array<number>(20).fill(200), 429]);
    expect(emulator.throttled).toBe(3);
    expect(emulator.calls.ListAccounts + emulator.calls.ListAccountRoles).toBe(44);
    // SSO-OIDC has its own limits; only the portal is throttled here.
    const oidc = await fetch(`${emulator.url}/client/register`, {
      method: 'POST',
      body: JSON.stringify({ clientName: 'x', clientType: 'public' }),
    });
    expect(oidc.status).toBe(200);
  });

  it('is what the SDK sees as TooManyRequestsException, and can send Retry-After for clients that honour it', async () => {
    const token = await startWith({ rateLimit: { requestsPerSecond: 2, burst: 1, retryAfterHeader: true } });
    const sso = new SSOClient({ region: 'us-east-1', endpoint: emulator.url, maxAttempts: 1, credentials: { accessKeyId: '', secretAccessKey: '' } });
    await sso.send(new ListAccountsCommand({ accessToken: token }));
    const err = (await sso.send(new ListAccountsCommand({ accessToken: token })).catch((e: unknown) => e)) as {
      name: string;
      message: string;
      $metadata: { httpStatusCode: number };
      $response?: { headers: Record<string, string> };
    };
    expect([err.name, err.message, err.$metadata.httpStatusCode]).toEqual(['TooManyRequestsException', 'Rate exceeded', 429]);
    expect((await get('/assignment/accounts', token)).headers.get('retry-after')).toBe('1');
    emulator.setRateLimit(undefined);
    expect(await statuses(30, token)).toEqual(Array<number>(30).fill(200));
  });

  it('serves thousands of accounts with hostile names byte for byte, with duplicate names and distinct ids', async () => {
    const accounts = hostileAccounts(3000);
    const token = await startWith({ accounts });
    const sso = new SSOClient({ region: 'us-east-1', endpoint: emulator.url, credentials: { accessKeyId: '', secretAccessKey: '' } });
    const listed = [];
    for await (const page of paginateListAccounts({ client: sso, pageSize: 100 }, { accessToken: token })) {
      listed.push(...(page.accountList ?? []));
    }
    expect(listed).toEqual(accounts.map(({ accountId, accountName, emailAddress }) => ({ accountId, accountName, emailAddress })));
    const names = listed.map((a) => a.accountName ?? '');
    for (const hostile of ['Company Name [production]', 'Team #1; billing', 'line\nbreak', 'Zürich Ünïcödé', '', '###', 'default']) {
      expect(names).toContain(hostile);
    }
    expect(new Set(listed.map((a) => a.accountId)).size).toBe(3000);
    expect(new Set(names).size).toBeLessThan(2500);
    const roles = await sso.send(new ListAccountRolesCommand({ accessToken: token, accountId: accounts[1]?.accountId }));
    expect(roles.roleList?.map((r) => r.roleName)).toEqual(['Deploy=Prod', 'Deploy,Prod', 'Deploy+Prod']);
  });
});

import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFederationEmulator, type FederationEmulator } from '../emulators/federation/index.js';
import { startSsoEmulator, type SsoEmulator } from '../emulators/sso/index.js';
import { FEDERATION_POLICY } from '../src/console/federation-token.js';
import { ExitCode } from '../src/errors/cli-error.js';
import { tokenCachePath, writeToken } from '../src/sso/token-cache.js';
import { adminIam, createKey, createUser, motoUrl, uniqueName } from './iam-fixtures.js';
import { ensureBuilt } from './support/built.js';
import { forwardTarget } from './support/browser.js';
import { binPath, runBuilt, runInProcess, tempHome } from './support/cli.js';
import { fakeOpener } from './support/fake-opener.js';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js';

/**
 * `awskeys console` against moto's STS (behind a recording proxy) and the local federation
 * emulator (emulators/federation): which credentials go to getSigninToken, how (a POST form,
 * never the URL), with or without SessionDuration, and the URL that comes back, followed to the
 * emulator's redirect.
 */

const ACCOUNT = '123456789012';
const SERIAL = `arn:aws:iam::${ACCOUNT}:mfa/alice`;

beforeAll(ensureBuilt, 120_000);

let proxy: FaultProxy;
let federation: FederationEmulator;
let sso: SsoEmulator;
let env: Record<string, string>;
let home: string;
let userName: string;
let alice: { accessKeyId: string; secretAccessKey: string };
let roleArn: string;

beforeEach(async () => {
  proxy = await startFaultProxy(motoUrl());
  federation = await startFederationEmulator();
  sso = await startSsoEmulator();
  userName = await createUser('console-alice');
  alice = await createKey(userName);
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] };
  roleArn = (await adminIam().send(new CreateRoleCommand({ RoleName: uniqueName('console'), AssumeRolePolicyDocument: JSON.stringify(trust) }))).Role?.Arn ?? '';
  const startUrl = `${sso.url}/start`;
  const keys = `aws_access_key_id = ${alice.accessKeyId}\naws_secret_access_key = ${alice.secretAccessKey}\n`;
  ({ home, env } = await tempHome({
    config: [
      '[profile alice]',
      'region = eu-west-1',
      '[profile alice-mfa]',
      `mfa_serial = ${SERIAL}`,
      '[profile admin]',
      `role_arn = ${roleArn}`,
      'source_profile = alice',
      'region = eu-central-1',
      '[profile chained]',
      `role_arn = ${roleArn}`,
      'source_profile = admin',
      '[profile dev]',
      'sso_session = corp',
      'sso_account_id = 111122223333',
      'sso_role_name = AdministratorAccess',
      '[sso-session corp]',
      `sso_start_url = ${startUrl}`,
      'sso_region = us-east-1',
      '',
    ].join('\n'),
    credentials: `[alice]\n${keys}[alice-mfa]\n${keys}`,
  }));
  env = {
    ...env,
    ...sso.env,
    AWS_ENDPOINT_URL_STS: proxy.url,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWSKEYS_FEDERATION_URL: federation.federationUrl,
  };
  await writeToken(tokenCachePath(join(home, '.aws', 'sso', 'cache'), { sessionName: 'corp', startUrl }), {
    startUrl,
    region: 'us-east-1',
    ...sso.issueToken({ startUrl }),
  });
});

afterEach(async () => {
  await Promise.all([proxy.close(), federation.close(), sso.close()]);
});

/** The printed URL, checked to be the emulator's login URL, and followed: its redirect target. */
async function follow(url: string): Promise<{ params: Record<string, string>; location: string | null }> {
  const parsed = new URL(url);
  expect(`${parsed.origin}${parsed.pathname}`).toBe(federation.federationUrl);
  const answer = await fetch(url, { redirect: 'manual' });
  expect(answer.status).toBe(302);
  return { params: Object.fromEntries(parsed.searchParams), location: answer.headers.get('location') };
}

const stsCalls = () => proxy.seen.map((r) => [r.action, r.signedBy]);

describe('awskeys console --print', () => {
  it('a role profile: the assumed-role credentials go to getSigninToken in a POST form; the URL logs in and lands on the console home of its region', async () => {
    const r = await runInProcess(['console', '--profile', 'admin', '--print'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('awskeys: the URL signs in whoever opens it in the next 15 minutes: do not share or log it.\n');
    expect(r.stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/federation\?Action=login&Issuer=.*\n$/);
    expect(stsCalls()).toEqual([['AssumeRole', alice.accessKeyId]]);

    const [sent] = federation.signinTokens;
    expect(federation.signinTokens).toHaveLength(1);
    expect(sent?.method).toBe('POST');
    expect(sent?.inQuery).toEqual([]);
    expect(sent?.sessionDuration).toBeUndefined();
    const envOut = await runInProcess(['env', '--profile', 'admin', '--format', 'json'], { env });
    const role = JSON.parse(envOut.stdout) as Record<string, string>;
    expect(sent?.session).toEqual({ sessionId: role.AccessKeyId, sessionKey: role.SecretAccessKey, sessionToken: role.SessionToken });

    const { params, location } = await follow(r.stdout.trim());
    const destination = 'https://console.aws.amazon.com/console/home?region=eu-central-1';
    expect(params).toEqual({ Action: 'login', Issuer: 'https://console.aws.amazon.com/', Destination: destination, SigninToken: sent?.token });
    expect(location).toBe(destination);
  });

  it('--duration on a role assumed with long-term keys is sent as SessionDuration; --destination is where the login lands', async () => {
    const destination = 'https://console.aws.amazon.com/s3/home?region=eu-central-1#/buckets';
    const r = await runInProcess(['console', '-p', 'admin', '--print', '--duration', '2h', '--destination', destination], { env });
    expect(r.code).toBe(0);
    expect(federation.signinTokens[0]?.sessionDuration).toBe(7200);
    expect((await follow(r.stdout.trim())).location).toBe(destination);
  });

  it('a chained role: no SessionDuration (AWS refuses it), with a warning when --duration asked for one', async () => {
    const r = await runInProcess(['console', '--profile', 'chained', '--print', '--duration', '90m'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'awskeys: warning: --duration ignored: this role was assumed with temporary credentials, so AWS allows its console session no more than 1 h and refuses SessionDuration.\n' +
        'awskeys: the URL signs in whoever opens it in the next 15 minutes: do not share or log it.\n',
    );
    expect(federation.signinTokens[0]?.sessionDuration).toBeUndefined();
    expect(stsCalls().map((c) => c[0])).toEqual(['AssumeRole', 'AssumeRole']);
  });

  it("IAM user keys: GetFederationToken named after the user with the allow-all policy, no SessionDuration; the issuer's console is the partition's", async () => {
    const r = await runInProcess(['console', '--profile', 'alice', '--print', '--duration', '45m'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `awskeys: signing in as federated user ${userName} for 45 min (GetFederationToken): the IAM user's permissions, without IAM and without MFA context.\n` +
        'awskeys: the URL signs in whoever opens it in the next 15 minutes: do not share or log it.\n',
    );
    expect(stsCalls()).toEqual([
      ['GetCallerIdentity', alice.accessKeyId],
      ['GetFederationToken', alice.accessKeyId],
    ]);
    const call = proxy.seen[1]?.params;
    expect([call?.Name, call?.DurationSeconds, call?.Policy]).toEqual([userName, '2700', FEDERATION_POLICY]);
    expect(JSON.parse(FEDERATION_POLICY)).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    const sent = federation.signinTokens[0];
    expect(sent?.sessionDuration).toBeUndefined();
    expect(sent?.session.sessionId).not.toBe(alice.accessKeyId);
    expect((await follow(r.stdout.trim())).location).toBe('https://console.aws.amazon.com/console/home?region=eu-west-1');
  });

  it('a user with mfa_serial: the long-term keys become a federation token; no MFA session and no code asked', async () => {
    const r = await runInProcess(['console', '--profile', 'alice-mfa', '--print'], { env });
    expect(r.code).toBe(0);
    expect(stsCalls().map((c) => c[0])).toEqual(['GetCallerIdentity', 'GetFederationToken']);
    expect(proxy.seen[1]?.params.DurationSeconds).toBe('3600');
  });

  it('an IAM Identity Center profile: its role credentials directly, the start URL as issuer, SessionDuration allowed', async () => {
    const r = await runInProcess(['console', '--profile', 'dev', '--print', '--duration', '3600'], { env });
    expect([r.code, r.stderr]).toEqual([0, 'awskeys: the URL signs in whoever opens it in the next 15 minutes: do not share or log it.\n']);
    expect(proxy.seen).toEqual([]);
    expect(sso.calls.GetRoleCredentials).toBe(1);
    expect(federation.signinTokens[0]?.sessionDuration).toBe(3600);
    const { params } = await follow(r.stdout.trim());
    expect(params.Issuer).toBe(`${sso.url}/start`);
    expect(params.Destination).toBe('https://console.aws.amazon.com/console/home');
  });

  it('GetSessionToken credentials in the environment: exit 25 naming why, and the federation endpoint is never called', async () => {
    const session = await runInProcess(['env', '--profile', 'alice-mfa', '--mfa-code', '123456', '--format', 'json'], { env });
    const c = JSON.parse(session.stdout) as Record<string, string>;
    const r = await runInProcess(['console', '--print'], {
      env: { ...env, AWS_ACCESS_KEY_ID: c.AccessKeyId, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey, AWS_SESSION_TOKEN: c.SessionToken },
    });
    expect(r).toEqual({
      code: ExitCode.ConsoleSignin,
      stdout: '',
      stderr: `awskeys: error: These credentials (arn:aws:sts::${ACCOUNT}:user/moto) are an IAM user's session (GetSessionToken), which AWS does not accept for console sign-in. (hint: use a role profile (role_arn + source_profile), or the profile that holds the IAM user's long-term keys: awskeys console --profile NAME)\n`,
    });
    expect(federation.signinTokens).toEqual([]);
  });

  it('a refusal by the federation endpoint: exit 25, and nothing of its answer or the credentials in the message', async () => {
    federation.refuseWith = 400;
    const r = await runInProcess(['console', '--profile', 'admin', '--print'], { env });
    expect(r).toEqual({
      code: ExitCode.ConsoleSignin,
      stdout: '',
      stderr: 'awskeys: error: The federation endpoint refused the credentials (HTTP 400). (hint: check that the credentials still work: aws sts get-caller-identity)\n',
    });
  });

  it('an unreachable federation endpoint: exit 8', async () => {
    const url = federation.federationUrl;
    await federation.close();
    const r = await runInProcess(['console', '--profile', 'admin', '--print'], { env: { ...env, AWSKEYS_FEDERATION_URL: url } });
    expect(r.code).toBe(ExitCode.Network);
    expect(r.stderr).toBe(`awskeys: error: Cannot reach the federation endpoint ${new URL(url).origin}: ECONNREFUSED. (hint: check your network and proxy (and AWSKEYS_FEDERATION_URL if set))\n`);
  });

  it.each([
    [['--duration', '10m'], 'awskeys: error: --duration "10m" is not from 15 minutes to 12 hours. (hint: e.g. --duration 1h, 90m or 3600)\n'],
    [['--duration', '13h'], 'awskeys: error: --duration "13h" is not from 15 minutes to 12 hours. (hint: e.g. --duration 1h, 90m or 3600)\n'],
    [['--destination', 'javascript:alert(1)'], 'awskeys: error: --destination "javascript:alert(1)" is not an http(s) URL. (hint: e.g. --destination https://console.aws.amazon.com/s3/home)\n'],
  ])('refuses %j with exit 2 before any call', async (flags, stderr) => {
    const r = await runInProcess(['console', '--profile', 'admin', '--print', ...flags], { env });
    expect(r).toEqual({ code: ExitCode.Usage, stdout: '', stderr });
    expect(proxy.seen).toEqual([]);
  });
});

describe('awskeys console without --print', () => {
  /** The page the opener was given, read back: where it forwards, and how private it is. */
  async function openedPage(path: string): Promise<{ target: string | undefined; mode: number; dirMode: number }> {
    const [text, file, dir] = await Promise.all([readFile(path, 'utf8'), stat(path), stat(dirname(path))]);
    return { target: forwardTarget(text), mode: file.mode & 0o777, dirMode: dir.mode & 0o777 };
  }

  it('opens a private page that forwards to the URL (never the URL itself) and prints nothing on stdout', async () => {
    const runtime = join(home, 'run');
    await mkdir(runtime, { mode: 0o700 });
    const opened: string[] = [];
    const r = await runInProcess(['console', '--profile', 'admin'], {
      env: { ...env, DISPLAY: ':0', XDG_RUNTIME_DIR: runtime },
      openUrl: (target) => {
        opened.push(target);
        return Promise.resolve();
      },
    });
    expect(opened).toEqual([expect.stringMatching(new RegExp(`^${runtime}/awskeys/console-[0-9a-f]{24}\\.html$`))]);
    const page = opened[0] ?? '';
    expect(r).toEqual({
      code: 0,
      stdout: '',
      stderr: `Opened the AWS console in your browser through ${page}, a private page that forwards to the sign-in URL (a browser that cannot read it, as snap-packaged ones cannot: use --print).\n`,
    });
    const { target, mode, dirMode } = await openedPage(page);
    expect([mode, dirMode]).toEqual([0o600, 0o700]);
    const { params, location } = await follow(target ?? '');
    expect(params).toEqual({
      Action: 'login',
      Issuer: 'https://console.aws.amazon.com/',
      Destination: 'https://console.aws.amazon.com/console/home?region=eu-central-1',
      SigninToken: federation.signinTokens[0]?.token,
    });
    expect(location).toBe('https://console.aws.amazon.com/console/home?region=eu-central-1');
  });

  it('the built binary through a real opener on PATH: no process, the opener and awskeys included, has the URL in its arguments', async () => {
    const runtime = join(home, 'run');
    await mkdir(runtime, { mode: 0o700 });
    const opener = await fakeOpener(home);
    const r = await runBuilt(['console', '--profile', 'admin'], { env: { ...env, DISPLAY: ':0', XDG_RUNTIME_DIR: runtime, ...opener.env } });
    expect([r.code, r.stdout]).toEqual([0, '']);
    const seen = await opener.record();
    const token = federation.signinTokens[0]?.token ?? '';
    expect(token).not.toBe('');
    expect(seen?.files).toHaveLength(1);
    const [file] = seen?.files ?? [];
    expect(file?.path).toMatch(new RegExp(`^${runtime}/awskeys/console-[0-9a-f]{24}\\.html$`));
    expect(seen?.argv.slice(2)).toEqual([file?.path]);
    expect(seen?.cmdline.slice(2)).toEqual([file?.path]);
    expect(seen?.parentCmdline).toEqual([process.execPath, binPath, 'console', '--profile', 'admin']);
    expect(seen?.processesWithSigninToken).toEqual([]);
    expect([file?.mode, file?.dirMode]).toEqual([0o600, 0o700]);
    expect(r.stderr).toBe(`Opened the AWS console in your browser through ${file?.path}, a private page that forwards to the sign-in URL (a browser that cannot read it, as snap-packaged ones cannot: use --print).\n`);
    const { params } = await follow(forwardTarget(file?.text ?? '') ?? '');
    expect(params).toEqual({
      Action: 'login',
      Issuer: 'https://console.aws.amazon.com/',
      Destination: 'https://console.aws.amazon.com/console/home?region=eu-central-1',
      SigninToken: token,
    });
  });

  it('over SSH: exit 7 pointing at --print, before any credentials are fetched', async () => {
    const r = await runInProcess(['console', '--profile', 'admin'], { env: { ...env, DISPLAY: ':0', SSH_CONNECTION: '10.0.0.1 22 10.0.0.2 22' } });
    expect(r).toEqual({
      code: ExitCode.NeedsInput,
      stdout: '',
      stderr: 'awskeys: error: Not opening a browser (an SSH session). (hint: pass --print to get the sign-in URL on stdout and open it yourself)\n',
    });
    expect(proxy.seen).toEqual([]);
  });

  it('a browser that cannot be started: exit 25, the URL is not printed anywhere, and its page is removed', async () => {
    const runtime = join(home, 'run');
    await mkdir(runtime, { mode: 0o700 });
    const r = await runInProcess(['console', '--profile', 'admin'], {
      env: { ...env, DISPLAY: ':0', XDG_RUNTIME_DIR: runtime },
      openUrl: () => Promise.reject(new Error('xdg-open not found')),
    });
    expect(r).toEqual({
      code: ExitCode.ConsoleSignin,
      stdout: '',
      stderr: 'awskeys: error: Could not open a browser: xdg-open not found. (hint: pass --print to get the sign-in URL on stdout)\n',
    });
    expect(await readdir(join(runtime, 'awskeys'))).toEqual([]);
  });
});

import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { parseIni } from '../src/aws-files/ini-parse.js';
import { uniqueName } from './iam-fixtures.js';
import { tempHome } from './support/cli.js';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js';
import { freePort } from './support/global-setup.js';

/**
 * Test servers for rotation failures.
 *
 * moto's auth mode (protocol-reference §6.2, moto/core/authorization.py and
 * moto/iam/access_control.py) checks, for every request, that the signing key exists, that the
 * SigV4 signature matches its stored secret, and that the user's policies allow the action
 * (sts:GetCallerIdentity always is). It does not check a key's status, so tests read statuses
 * with ListAccessKeys rather than trusting a 200. The shared moto has auth off; these tests start
 * their own with auth on.
 *
 * The fault proxy (support/fault-proxy.ts) sits between awskeys (reached through AWS_ENDPOINT_URL_IAM/_STS) and moto and
 * fails the requests a test names, so each rotation step can fail for real on the wire.
 */

export interface AuthMoto {
  url: string;
  admin: IAMClient;
  /** The administrator's key, for a caller that may do everything. */
  adminKey: { accessKeyId: string; secretAccessKey: string };
  stop(): Promise<void>;
}

const ALLOW_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
const ALLOW_OWN_KEYS = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:*', 'sts:*'], Resource: '*' }] });

export async function startAuthMoto(): Promise<AuthMoto> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  await waitUntilUp(url);
  // While auth is still off, make an administrator whose key signs everything the tests set up.
  const open = iamClient(url, { accessKeyId: 'testing', secretAccessKey: 'testing' });
  const adminName = uniqueName('admin');
  await open.send(new CreateUserCommand({ UserName: adminName }));
  await open.send(new PutUserPolicyCommand({ UserName: adminName, PolicyName: 'all', PolicyDocument: ALLOW_ALL }));
  const key = (await open.send(new CreateAccessKeyCommand({ UserName: adminName }))).AccessKey;
  if (!key?.AccessKeyId || !key.SecretAccessKey) throw new Error('moto returned no admin key');
  const res = await fetch(`${url}/moto-api/reset-auth`, { method: 'POST', body: '0' });
  if (!res.ok) throw new Error(`moto reset-auth: ${res.status}`);
  const adminKey = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
  return {
    url,
    admin: iamClient(url, adminKey),
    adminKey,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A user with one key, allowed to manage its own keys (unless `policy: false`: then allowed nothing). */
export async function userWithKey(
  moto: Pick<AuthMoto, 'admin'>,
  prefix: string,
  options: { policy?: boolean } = {},
): Promise<{ user: string; key: { accessKeyId: string; secretAccessKey: string } }> {
  const user = uniqueName(prefix);
  await moto.admin.send(new CreateUserCommand({ UserName: user }));
  if (options.policy ?? true) {
    await moto.admin.send(new PutUserPolicyCommand({ UserName: user, PolicyName: 'own-keys', PolicyDocument: ALLOW_OWN_KEYS }));
  }
  const key = (await moto.admin.send(new CreateAccessKeyCommand({ UserName: user }))).AccessKey;
  if (!key?.AccessKeyId || !key.SecretAccessKey) throw new Error('moto returned no key');
  return { user, key: { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey } };
}

/**
 * A user of the auth-checking moto with one key, held by profiles dev and dev-copy in the
 * credentials file and by profile ci in the config file, in a temp HOME whose IAM and STS calls go
 * through a fault proxy (the caller closes it).
 */
export async function rotationHome(moto: AuthMoto, prefix: string) {
  const { user, key: old } = await userWithKey(moto, prefix);
  const credentialsText = `# mine\n[dev]\naws_access_key_id = ${old.accessKeyId}\naws_secret_access_key = ${old.secretAccessKey}\n\n[dev-copy]\naws_access_key_id = ${old.accessKeyId}\naws_secret_access_key = ${old.secretAccessKey}\n`;
  const configText = `[profile dev]\nregion = eu-west-1\n\n[profile ci]\naws_access_key_id = ${old.accessKeyId}\naws_secret_access_key = ${old.secretAccessKey}\n`;
  const { home, env, credentials, config } = await tempHome({ credentials: credentialsText, config: configText, modes: 'private' });
  const awsDir = join(home, '.aws');
  const proxy: FaultProxy = await startFaultProxy(moto.url);
  const arn = `arn:aws:iam::123456789012:user/${user}`;
  return {
    user,
    old,
    arn,
    home,
    awsDir,
    credentials,
    config,
    credentialsText,
    configText,
    proxy,
    env: { ...env, AWS_ENDPOINT_URL_IAM: proxy.url, AWS_ENDPOINT_URL_STS: proxy.url, AWS_EC2_METADATA_DISABLED: 'true' },
  };
}
export type RotationHome = Awaited<ReturnType<typeof rotationHome>>;

export interface AuthMotoKit {
  /** The file's auth-checking moto; set once beforeAll has run. */
  readonly moto: AuthMoto;
  /**
   * A rotationHome whose fault proxy closes after the test, with `snapshot()`: every file in
   * ~/.aws byte for byte, so a test can see that no temp or lock file was left behind either.
   */
  home(prefix: string): Promise<RotationHome & { snapshot(): Promise<string[][]> }>;
}

/**
 * Call at a test file's top level: starts one auth-checking moto for the file (stopped after it)
 * and closes each test's rotation homes after the test.
 */
export function useAuthMoto(): AuthMotoKit {
  let moto: AuthMoto | undefined;
  const homes: RotationHome[] = [];
  beforeAll(async () => {
    moto = await startAuthMoto();
  });
  afterAll(async () => {
    await moto?.stop();
  });
  afterEach(async () => {
    for (const h of homes.splice(0)) await h.proxy.close();
  });
  const kit: AuthMotoKit = {
    get moto() {
      if (!moto) throw new Error('useAuthMoto: moto is not started yet (use it inside a test)');
      return moto;
    },
    async home(prefix) {
      const s = await rotationHome(kit.moto, prefix);
      homes.push(s);
      const snapshot = async () => {
        const names = (await readdir(s.awsDir)).sort();
        return Promise.all(names.map(async (name) => [name, await readFile(join(s.awsDir, name), 'utf8')]));
      };
      return { ...s, snapshot };
    },
  };
  return kit;
}

/** The key a profile holds in the credentials file now. */
export async function keyOf(s: RotationHome, profile = 'dev'): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  const section = parseIni(await readFile(s.credentials, 'utf8'), s.credentials).sections.find((x) => x.name === profile);
  return { accessKeyId: section?.values.aws_access_key_id ?? '', secretAccessKey: section?.values.aws_secret_access_key ?? '' };
}

/** The profile's key answers as the user (moto checks the signature) and is Active; returns its id. */
export async function expectProfileWorks(moto: AuthMoto, s: RotationHome, profile = 'dev'): Promise<string> {
  const key = await keyOf(s, profile);
  expect(await whoIs(moto.url, key)).toBe(s.arn);
  expect((await statuses(moto, s.user))[key.accessKeyId]).toBe('Active');
  return key.accessKeyId;
}

/** id -> status, read by the administrator. */
export async function statuses(moto: AuthMoto, user: string): Promise<Record<string, string>> {
  const out = await moto.admin.send(new ListAccessKeysCommand({ UserName: user }));
  return Object.fromEntries((out.AccessKeyMetadata ?? []).map((k) => [k.AccessKeyId ?? '?', k.Status ?? '?']));
}

/** GetCallerIdentity signed with `key`, straight to moto: the ARN, or the error's name. */
export async function whoIs(url: string, key: { accessKeyId: string; secretAccessKey: string }): Promise<string> {
  const sts = new STSClient({ endpoint: url, region: 'us-east-1', credentials: key, maxAttempts: 1 });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn ?? '';
  } catch (err) {
    return `error: ${(err as Error).name}`;
  }
}

function iamClient(url: string, credentials: { accessKeyId: string; secretAccessKey: string }): IAMClient {
  return new IAMClient({ endpoint: url, region: 'us-east-1', credentials });
}

async function waitUntilUp(url: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/moto-api/`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not start at ${url}`);
}

export { startFaultProxy, type Fault, type FaultProxy, type SeenRequest } from './support/fault-proxy.js';

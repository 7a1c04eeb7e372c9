import { readdir, readFile, stat } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/errors/cli-error.js';
import { roleCachePath, writeCachedRoleCredentials } from '../src/sso/role-credentials-cache.js';
import { fakePrompter } from './support/fake-prompter.js';
import { runBuilt, runInProcess } from './support/cli.js';
import { corpProfile, ssoCorpHome, type SsoCorpHome } from './support/sso-corp-home.js';
import { OPERATIONS, type SsoEmulator } from '../emulators/sso/index.js';

/**
 * `awskeys env` / `credential-process` for SSO profiles, against the SSO emulator: the role
 * credentials are fetched once and then served from the AWS CLI's role-credential cache with no
 * network call at all; a session that needs a new login fails fast with exit 9 and never prompts.
 * The runs marked "built" use the bundled binary (npm run build), as a shell or an SDK would.
 */

const ACCOUNT = '111122223333';
const ROLE = 'AdministratorAccess';

let emulator: SsoEmulator;
let env: Record<string, string>;
let startUrl: string;
let corp: SsoCorpHome;

beforeEach(async () => {
  corp = await ssoCorpHome({
    profiles: (url) => [
      ...corpProfile('dev', ACCOUNT, ROLE),
      'region = eu-west-1',
      '',
      '[profile legacy]',
      `sso_start_url = ${url}`,
      'sso_region = us-east-1',
      `sso_account_id = ${ACCOUNT}`,
      'sso_role_name = ReadOnlyAccess',
      '',
      ...corpProfile('unassigned', ACCOUNT, 'DeveloperAccess'),
      '',
    ],
  });
  ({ emulator, env, startUrl } = corp);
});

afterEach(async () => {
  await corp.close();
});

const cliCacheDir = () => corp.cliCacheDir;
const networkCalls = () => OPERATIONS.reduce((sum, op) => sum + emulator.calls[op], 0);

function exportsOf(stdout: string): Record<string, string> {
  return Object.fromEntries([...stdout.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

describe('awskeys env for an SSO profile', () => {
  it('fetches the role credentials once, then a second env or credential-process makes no network call', async () => {
    await corp.logIn();
    const first = await runInProcess(['env', '--profile', 'dev'], { env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(emulator.calls.GetRoleCredentials).toBe(1);
    const vars = exportsOf(first.stdout);
    expect(vars.AWS_ACCESS_KEY_ID).toMatch(/^ASIA/);
    expect(vars.AWS_REGION).toBe('eu-west-1');

    const entryPath = roleCachePath(cliCacheDir(), { accountId: ACCOUNT, roleName: ROLE, sessionName: 'corp', startUrl });
    expect((await stat(entryPath)).mode & 0o777).toBe(0o600);
    const entry = JSON.parse(await readFile(entryPath, 'utf8')) as { Credentials: Record<string, string>; SessionKey: string };
    expect(entry).toMatchObject({ ProviderType: 'sso', SessionKey: 'corp', Credentials: { AccessKeyId: vars.AWS_ACCESS_KEY_ID, AccountId: ACCOUNT } });
    expect(vars.AWS_CREDENTIAL_EXPIRATION).toBe(entry.Credentials.Expiration);

    emulator.resetCalls();
    const second = await runBuilt(['env', '--profile', 'dev'], { env });
    const third = await runBuilt(['credential-process', '--profile', 'dev'], { env });
    const fourth = await runInProcess(['credential-process', '--profile', 'dev'], { env });
    expect(networkCalls()).toBe(0);
    expect(second).toEqual({ code: 0, stdout: first.stdout, stderr: '' });
    expect(third).toEqual({ code: 0, stdout: fourth.stdout, stderr: '' });
    expect(JSON.parse(third.stdout)).toEqual({
      Version: 1,
      AccessKeyId: vars.AWS_ACCESS_KEY_ID,
      SecretAccessKey: vars.AWS_SECRET_ACCESS_KEY,
      SessionToken: vars.AWS_SESSION_TOKEN,
      Expiration: vars.AWS_CREDENTIAL_EXPIRATION,
      AccountId: ACCOUNT,
    });
  });

  it('works for a legacy profile (start URL on the profile), keyed by start URL', async () => {
    await corp.logIn({}, { startUrl });
    const first = await runBuilt(['env', '--profile', 'legacy', '--no-region'], { env });
    expect(first.stderr).toBe('');
    expect(emulator.calls.GetRoleCredentials).toBe(1);
    const entryPath = roleCachePath(cliCacheDir(), { accountId: ACCOUNT, roleName: 'ReadOnlyAccess', startUrl });
    const entry = JSON.parse(await readFile(entryPath, 'utf8')) as { SessionKey: string };
    expect(entry.SessionKey).toBe(startUrl);
    emulator.resetCalls();
    expect(await runBuilt(['env', '--profile', 'legacy', '--no-region'], { env })).toEqual(first);
    expect(networkCalls()).toBe(0);
  });

  it('fetches again when the cached role credentials expire within five minutes', async () => {
    await corp.logIn();
    const key = { accountId: ACCOUNT, roleName: ROLE, sessionName: 'corp', startUrl };
    await writeCachedRoleCredentials(cliCacheDir(), key, {
      accessKeyId: 'ASIAOLD',
      secretAccessKey: 'old',
      sessionToken: 'old',
      expiration: new Date(Date.now() + 4 * 60 * 1000),
    });
    const r = await runBuilt(['env', '--profile', 'dev'], { env });
    expect(r.code).toBe(0);
    expect(emulator.calls.GetRoleCredentials).toBe(1);
    expect(exportsOf(r.stdout).AWS_ACCESS_KEY_ID).not.toBe('ASIAOLD');
    const entry = JSON.parse(await readFile(roleCachePath(cliCacheDir(), key), 'utf8')) as { Credentials: { AccessKeyId: string } };
    expect(entry.Credentials.AccessKeyId).toBe(exportsOf(r.stdout).AWS_ACCESS_KEY_ID);
  });

  it('refreshes a token near expiry with its refresh token, then gets the role credentials', async () => {
    await corp.logIn({ ttlSeconds: 60 });
    const r = await runBuilt(['credential-process', '--profile', 'dev'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(emulator.calls.CreateToken).toBe(1);
    expect(emulator.calls.GetRoleCredentials).toBe(1);
  });
});

describe('awskeys env for an SSO profile that needs a new login', () => {
  it('exits 9 with one line naming the login command when the token expired and the refresh fails, without prompting and with no other call', async () => {
    await corp.logIn({ ttlSeconds: -60 });
    emulator.injectFault('CreateToken', { status: 400, errorType: 'InvalidGrantException' });
    const prompter = fakePrompter({});
    const r = await runInProcess(['env', '--profile', 'dev'], { env, prompter });
    expect(r).toEqual({
      code: ExitCode.LoginRequired,
      stdout: '',
      stderr: 'awskeys: error: The SSO session "corp" has expired and could not be refreshed. (hint: run: awskeys sso login --profile dev)\n',
    });
    expect(prompter.asked).toEqual([]);
    expect(emulator.calls).toEqual({ ...emulator.calls, CreateToken: 1, GetRoleCredentials: 0 });
    expect(networkCalls()).toBe(1);

    emulator.resetCalls();
    emulator.injectFault('CreateToken', { status: 400, errorType: 'InvalidGrantException' });
    const built = await runBuilt(['credential-process', '--profile', 'dev'], { env });
    expect(built).toEqual({ ...r, stdout: '' });
    expect(networkCalls()).toBe(1);
    expect(await readdir(cliCacheDir()).catch(() => [])).toEqual([]);
  });

  it('exits 9 without any network call for an expired legacy token (never refreshed) or no login at all', async () => {
    await corp.logIn({ ttlSeconds: -60, withRefreshToken: false }, { startUrl });
    const legacy = await runBuilt(['env', '--profile', 'legacy'], { env });
    expect(legacy.code).toBe(ExitCode.LoginRequired);
    expect(legacy.stderr).toBe(
      `awskeys: error: The SSO start URL ${startUrl} has expired. (hint: run: awskeys sso login --profile legacy)\n`,
    );
    const none = await runBuilt(['env', '--profile', 'dev'], { env });
    expect(none).toEqual({
      code: ExitCode.LoginRequired,
      stdout: '',
      stderr: 'awskeys: error: Not logged in to the SSO session "corp". (hint: run: awskeys sso login --profile dev)\n',
    });
    expect(networkCalls()).toBe(0);
  });

  it('refreshes a token the portal no longer accepts though the cache calls it valid (more in sso-rejected-token.test.ts)', async () => {
    await corp.logIn();
    emulator.expireAllAccessTokens();
    const r = await runBuilt(['env', '--profile', 'dev'], { env });
    expect([r.code, r.stderr]).toEqual([ExitCode.Ok, '']);
    expect(emulator.calls.CreateToken).toBe(1);
  });

  it('exits 5 for a role the user is not assigned', async () => {
    await corp.logIn();
    const r = await runBuilt(['env', '--profile', 'unassigned'], { env });
    expect(r).toEqual({
      code: ExitCode.NotFound,
      stdout: '',
      stderr: `awskeys: error: Getting credentials for role DeveloperAccess in account ${ACCOUNT}: IAM Identity Center gives you no such role. (hint: check sso_account_id and sso_role_name of profile unassigned)\n`,
    });
  });
});

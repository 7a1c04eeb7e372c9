import { execFile } from 'node:child_process';
import { readFile, readdir, stat, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { tokenCachePath } from '../src/sso/token-cache.js';
import { fakePrompter } from './support/fake-prompter.js';
import { ssoHarness, type SsoHarness } from './support/sso-harness.js';
import { generateAccounts } from '../emulators/sso/index.js';
import { needs } from './support/optional-tools.js';

const execFileAsync = promisify(execFile);
const START_URL = 'https://acme.awsapps.com/start';
const LOGIN = ['sso', 'login', '--start-url', START_URL, '--region', 'eu-west-1', '--no-browser'];

let h: SsoHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const cacheDir = (home: string) => join(home, '.aws', 'sso', 'cache');
const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;

/** Runs python3 with boto3 against the emulator, HOME and the config in the harness's temp dir. */
async function python(harness: SsoHarness, script: string): Promise<string> {
  const { stdout } = await execFileAsync('python3', ['-c', script], {
    env: { PATH: process.env.PATH, ...harness.env },
  });
  return stdout.trim();
}

describe('awskeys sso login, non-interactive', () => {
  /** A device-flow login to account 222233334444 as DeveloperAccess, on a clock started at the real time (botocore reads the token on it); the harness is also the file's h, closed after each test. */
  async function logIn() {
    const startMs = Math.floor(Date.now() / 1000) * 1000;
    h = await ssoHarness({ autoApproveAfterPolls: 1, startMs });
    const result = await h.awskeys([...LOGIN, '--account-id', '222233334444', '--role-name', 'DeveloperAccess']);
    return { h, startMs, result };
  }

  it('logs in with the device flow, writes the AWS CLI config and token cache', async () => {
    const { h, startMs, result } = await logIn();
    const expiresAt = new Date(startMs + 1000 + 8 * 3600_000);

    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const userCode = h.emulator.userCodes[0] ?? '';
    expect(result.stderr).toBe(
      'Signing in with a code (device flow): no display; --use-auth-code uses a browser here instead.\n' +
        `To sign in, open ${h.emulator.url}/device on any device and enter the code:\n` +
        `  ${userCode}\n` +
        `Or open this URL, which fills the code in (check that it shows ${userCode}):\n` +
        `  ${h.emulator.url}/device?user_code=${userCode}\n` +
        'Not opening a browser (--no-browser): open the URL on any device.\n' +
        'Waiting for approval in the browser (up to 10 min)...\n' +
        `Logged in to SSO session "acme"; the token is valid until ${expiresAt.toISOString().slice(0, 19)}Z.\n` +
        `Profile "DeveloperAccess-222233334444" is saved in ${h.env.AWS_CONFIG_FILE}.\n` +
        'Try: aws sts get-caller-identity --profile DeveloperAccess-222233334444\n',
    );
    expect(await readFile(h.env.AWS_CONFIG_FILE ?? '', 'utf8')).toBe(
      [
        '[profile DeveloperAccess-222233334444]',
        'sso_session = acme',
        'sso_account_id = 222233334444',
        'sso_role_name = DeveloperAccess',
        'region = eu-west-1',
        'output = json',
        '',
        '[sso-session acme]',
        `sso_start_url = ${START_URL}`,
        'sso_region = eu-west-1',
        'sso_registration_scopes = sso:account:access',
        '',
      ].join('\n'),
    );
    // The AWS CLI's token file: sha1("acme").json, its field order and format, mode 0600.
    const tokenPath = tokenCachePath(cacheDir(h.home), { sessionName: 'acme', startUrl: START_URL });
    const token = await readJson(tokenPath);
    expect(Object.keys(token)).toEqual([
      'startUrl',
      'region',
      'accessToken',
      'expiresAt',
      'clientId',
      'clientSecret',
      'registrationExpiresAt',
      'refreshToken',
    ]);
    expect(token).toMatchObject({ startUrl: START_URL, region: 'eu-west-1', expiresAt: `${expiresAt.toISOString().slice(0, 19)}Z` });
    expect((await stat(tokenPath)).mode & 0o777).toBe(0o600);
    expect(h.emulator.calls).toMatchObject({ RegisterClient: 1, StartDeviceAuthorization: 1, CreateToken: 2 });
    expect(h.clock.sleeps).toEqual([1000]);
  });

  needs('boto3').it('botocore uses the profile and token it wrote, without logging in', async () => {
    const { h, result } = await logIn();
    expect(result.code).toBe(0);

    h.emulator.resetCalls();
    const botocore = await python(
      h,
      `import boto3, json
c = boto3.Session(profile_name='DeveloperAccess-222233334444').get_credentials().get_frozen_credentials()
print(json.dumps([c.access_key[:4], len(c.secret_key), bool(c.token)]))`,
    );
    expect(JSON.parse(botocore)).toEqual(['ASIA', 40, true]);
    expect(h.emulator.calls).toMatchObject({
      RegisterClient: 0,
      StartDeviceAuthorization: 0,
      CreateToken: 0,
      GetRoleCredentials: 1,
    });
  });

  it('reuses a valid cached login instead of starting a new one, and --force logs in anyway', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0 });
    const args = [...LOGIN, '--account-id', '111122223333', '--role-name', 'ReadOnlyAccess', '--write', 'json'];
    expect((await h.awskeys(args)).code).toBe(0);
    h.emulator.resetCalls();
    h.clock.advance(3 * 3600_000);

    const again = await h.awskeys(args);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('Using the cached SSO login (valid for 5 h 0 min); --force logs in again.\n');
    expect(h.emulator.calls).toMatchObject({ RegisterClient: 0, StartDeviceAuthorization: 0, CreateToken: 0, GetRoleCredentials: 1 });

    expect((await h.awskeys([...args, '--force'])).code).toBe(0);
    // The client registration is reused from the AWS CLI's registration cache.
    expect(h.emulator.calls).toMatchObject({ RegisterClient: 0, StartDeviceAuthorization: 1, CreateToken: 1 });
  });

  it('refreshes a token near expiry with its refresh token instead of logging in', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0, accessTokenTtlSeconds: 3600 });
    const args = [...LOGIN, '--account-id', '111122223333', '--role-name', 'ReadOnlyAccess', '--write', 'json'];
    await h.awskeys(args);
    const tokenPath = tokenCachePath(cacheDir(h.home), { sessionName: 'acme', startUrl: START_URL });
    const before = await readJson(tokenPath);
    h.emulator.resetCalls();
    h.clock.advance(50 * 60_000);

    const result = await h.awskeys(args);
    expect(result.code).toBe(0);
    expect(h.emulator.calls).toMatchObject({ StartDeviceAuthorization: 0, CreateToken: 1 });
    const after = await readJson(tokenPath);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.expiresAt).toBe('2026-06-01T13:50:00Z');
    expect(after.clientSecret).toBe(before.clientSecret);
  });

  needs('botocore').it('reuses a token file that botocore wrote (its SSOTokenProvider refresh), with no new login', async () => {
    // botocore runs on the real clock: start the shared fake clock there.
    h = await ssoHarness({ startMs: Date.now() });
    await mkdir(cacheDir(h.home), { recursive: true });
    await writeFile(
      h.env.AWS_CONFIG_FILE ?? '',
      `[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = ReadOnlyAccess\n\n` +
        `[sso-session corp]\nsso_start_url = ${START_URL}\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n`,
    );
    // A token five minutes from expiry in the AWS CLI's layout (Python's json); botocore refreshes
    // it and writes the file back itself.
    const seed = h.emulator.issueToken({ startUrl: START_URL, ttlSeconds: 300 });
    const tokenPath = tokenCachePath(cacheDir(h.home), { sessionName: 'corp', startUrl: START_URL });
    await python(
      h,
      `import json, datetime
exp = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
doc = {"startUrl": "${START_URL}", "region": "eu-west-1", "accessToken": "${seed.accessToken}",
  "expiresAt": exp, "clientId": "${seed.clientId}", "clientSecret": "${seed.clientSecret}",
  "registrationExpiresAt": "2999-01-01T00:00:00Z", "refreshToken": "${seed.refreshToken}"}
open("${tokenPath}", "w").write(json.dumps(doc))
import botocore.session
from botocore.tokens import SSOTokenProvider
SSOTokenProvider(botocore.session.Session(profile="dev")).load_token().get_frozen_token()`,
    );
    const written = await readJson(tokenPath);
    expect(written.accessToken).not.toBe(seed.accessToken);
    expect(written.refreshToken).not.toBe(seed.refreshToken);
    expect(written.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    h.emulator.resetCalls();

    const result = await h.awskeys(['sso', 'login', '--profile', 'dev', '--write', 'json']);
    expect(result.code).toBe(0);
    const minutes = Math.floor((Date.parse(String(written.expiresAt)) - h.clock.nowMs()) / 60_000);
    expect(minutes).toBeGreaterThan(8 * 60 - 2);
    expect(result.stderr).toBe(
      `Using the cached SSO login (valid for ${Math.floor(minutes / 60)} h ${minutes % 60} min); --force logs in again.\n`,
    );
    expect(JSON.parse(result.stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/) as string });
    expect(h.emulator.calls).toMatchObject({ RegisterClient: 0, StartDeviceAuthorization: 0, CreateToken: 0 });
  });
});

describe('choosing the account and role', () => {
  it('without a terminal and without --account-id, fails listing the first 20 accounts and the count', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0, accounts: generateAccounts(25) });
    const result = await h.awskeys([...LOGIN]);
    expect(result.code).toBe(7);
    const listed = result.stderr.split('Available accounts:\n')[1] ?? '';
    expect(listed.split('\n').filter((l) => l.startsWith('  1'))).toHaveLength(20);
    expect(listed).toContain('  ... and 5 more\n');
    expect(result.stderr).toContain(
      'awskeys: error: 25 accounts are available and there is no terminal to choose on. (hint: pass --account-id ID --role-name NAME)\n',
    );
  });

  it('pages through every account (more than one page of 100) when it has to choose, and lists none when told which', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0, accounts: generateAccounts(230) });
    const choose = await h.awskeys([...LOGIN, '--write', 'json']);
    expect(choose.code).toBe(7);
    expect(choose.stderr).toContain('Listing your AWS accounts...\n');
    expect(choose.stderr).toContain('  ... and 210 more\n');
    expect(h.emulator.calls.ListAccounts).toBe(3);

    h.emulator.resetCalls();
    const last = generateAccounts(230)[229];
    const told = await h.awskeys([...LOGIN, '--account-id', last?.accountId ?? '', '--role-name', 'ReadOnlyAccess', '--write', 'json']);
    expect(told.code).toBe(0);
    expect(h.emulator.calls).toMatchObject({ ListAccounts: 0, ListAccountRoles: 0, GetRoleCredentials: 1 });
  });

  it('on a terminal, the account count is one status line, redrawn per page and cleared before the account question', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0, accounts: generateAccounts(230) });
    const [first] = generateAccounts(230);
    const prompter = fakePrompter({ 'sso-login.account': first, 'sso-login.role': first?.roles[0], 'sso-login.profile-name': 'first' });
    const result = await h.awskeys([...LOGIN], { prompter, stderrIsTTY: true });
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('Listing your AWS accounts...\n');
    expect(result.stderr).toContain(
      '\r\x1b[2KListing your AWS accounts... 100\r\x1b[2KListing your AWS accounts... 200\r\x1b[2KListing your AWS accounts... 230\r\x1b[2K',
    );
    expect(prompter.asked[0]).toBe('sso-login.account');
  });

  it('on a terminal, asks with a search over "Name (id) email" labels sorted by name, then the role and the profile name', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0 });
    let labels: string[] = [];
    const prompter = fakePrompter({
      'sso-login.account': { accountId: '333344445555', accountName: 'Search Staging', emailAddress: 'search-staging@example.com' },
      'sso-login.profile-name': 'search',
    });
    const search = prompter.search.bind(prompter);
    prompter.search = (q) => {
      labels = q.choices.map((c) => c.label);
      return search(q);
    };
    const result = await h.awskeys([...LOGIN], { prompter });
    expect(result.code).toBe(0);
    expect(labels).toEqual([
      'Payments Dev (222233334444) payments-dev@example.com',
      'Payments Prod (111122223333) payments-prod@example.com',
      'Search Staging (333344445555) search-staging@example.com',
    ]);
    // Search Staging has one role: taken without asking.
    expect(prompter.asked).toEqual(['sso-login.account', 'sso-login.profile-name']);
    expect(result.stderr).toContain('Using the only role available: ReadOnlyAccess\n');
    expect(await readFile(h.env.AWS_CONFIG_FILE ?? '', 'utf8')).toContain('[profile search]\nsso_session = acme\nsso_account_id = 333344445555\n');
  });

  it('takes a single account and role without asking', async () => {
    h = await ssoHarness({
      autoApproveAfterPolls: 0,
      accounts: [{ accountId: '123456789012', accountName: 'Solo', emailAddress: 'solo@example.com', roles: ['Admin'] }],
    });
    const prompter = fakePrompter({ 'sso-login.profile-name': 'solo' });
    const result = await h.awskeys([...LOGIN, '--write', 'env'], { prompter });
    expect(result.code).toBe(0);
    expect(prompter.asked).toEqual([]);
    expect(result.stdout).toMatch(
      /^export AWS_ACCESS_KEY_ID='ASIA[A-Z0-9]{16}'\nexport AWS_SECRET_ACCESS_KEY='[\w-]{40}'\nexport AWS_SESSION_TOKEN='[\w-]+'\nexport AWS_CREDENTIAL_EXPIRATION='2026-06-01T13:00:00Z'\nexport AWS_REGION='eu-west-1'\nexport AWS_DEFAULT_REGION='eu-west-1'\n$/,
    );
  });

  it('with --profile of an existing SSO profile, reuses its session, account and role', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0 });
    await h.awskeys([...LOGIN, '--account-id', '222233334444', '--role-name', 'AdministratorAccess', '--profile', 'dev']);
    const config = await readFile(h.env.AWS_CONFIG_FILE ?? '', 'utf8');
    h.emulator.resetCalls();
    const result = await h.awskeys(['sso', 'login', '--profile', 'dev', '--force', '--no-browser']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`Profile "dev" is already up to date in ${h.env.AWS_CONFIG_FILE}.\n`);
    expect(await readFile(h.env.AWS_CONFIG_FILE ?? '', 'utf8')).toBe(config);
    expect(h.emulator.calls).toMatchObject({ StartDeviceAuthorization: 1, GetRoleCredentials: 1 });
  });

  it('rejects an account id the session cannot use (exit 5) and a role the account lacks', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0 });
    const noAccount = await h.awskeys([...LOGIN, '--account-id', '999999999999', '--role-name', 'X']);
    expect(noAccount.code).toBe(5);
    expect(noAccount.stderr).toContain('Account 999999999999 is not one of the accounts this SSO session can use.');
    const noRole = await h.awskeys([...LOGIN, '--account-id', '333344445555', '--role-name', 'Admin']);
    expect(noRole.code).toBe(5);
    expect(noRole.stderr).toContain('Role Admin is not available in account 333344445555 (available: ReadOnlyAccess).');
  });
});

describe('--write', () => {
  it('credentials: the temporary keys with aws_session_token in the credentials file, 0600', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0 });
    const result = await h.awskeys([...LOGIN, '--account-id', '111122223333', '--role-name', 'ReadOnlyAccess', '--write', 'credentials', '--profile', 'ro']);
    expect(result.code).toBe(0);
    const path = h.env.AWS_SHARED_CREDENTIALS_FILE ?? '';
    expect(await readFile(path, 'utf8')).toMatch(
      /^\[ro\]\naws_access_key_id = ASIA[A-Z0-9]{16}\naws_secret_access_key = [\w-]{40}\naws_session_token = [\w-]+\n$/,
    );
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(result.stderr).toContain(`Temporary credentials for "ro" written to ${path} (valid until 2026-06-01T13:00:00Z).\n`);
  });

  it('credentials: refuses to replace long-lived keys, before any login', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0 });
    const path = h.env.AWS_SHARED_CREDENTIALS_FILE ?? '';
    await mkdir(join(h.home, '.aws'), { recursive: true });
    const original = '[ro]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n';
    await writeFile(path, original);
    const result = await h.awskeys([...LOGIN, '--write', 'credentials', '--profile', 'ro']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `awskeys: error: Profile "ro" in ${path} holds long-lived access keys; they were not replaced. (hint: choose another name with --profile)\n`,
    );
    expect(await readFile(path, 'utf8')).toBe(original);
    expect(h.emulator.calls.StartDeviceAuthorization).toBe(0);
  });

  it('credentials: refuses an SSO profile, whose keys would hide its SSO settings, before any login (exit 2)', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0 });
    await mkdir(join(h.home, '.aws'), { recursive: true });
    const config =
      `[profile ro]\nsso_session = acme\nsso_account_id = 111122223333\nsso_role_name = ReadOnlyAccess\n\n` +
      `[profile old]\nsso_start_url = ${START_URL}\nsso_region = eu-west-1\nsso_account_id = 111122223333\nsso_role_name = ReadOnlyAccess\n\n` +
      `[sso-session acme]\nsso_start_url = ${START_URL}\nsso_region = eu-west-1\n`;
    await writeFile(h.env.AWS_CONFIG_FILE ?? '', config);
    const credentials = h.env.AWS_SHARED_CREDENTIALS_FILE ?? '';
    const refused = (name: string, source: string) =>
      `awskeys: error: Profile "${name}" has SSO settings in ${h?.env.AWS_CONFIG_FILE}; temporary keys under [${name}] in ` +
      `${credentials} would hide them from the JS SDK and stop working when they expire. ` +
      '(hint: keep it an SSO profile (--write config, env or json), or write the keys under another name: ' +
      `awskeys sso login ${source} --account-id 111122223333 --role-name ReadOnlyAccess --write credentials --profile NEW_NAME)\n`;

    expect(await h.awskeys(['sso', 'login', '--profile', 'ro', '--write', 'credentials'])).toEqual({
      code: 2,
      stdout: '',
      stderr: refused('ro', '--sso-session acme'),
    });
    const legacy = await h.awskeys([...LOGIN, '--profile', 'old', '--write', 'credentials']);
    expect(legacy.stderr).toBe(refused('old', `--start-url ${START_URL} --region eu-west-1`));
    expect(h.emulator.calls.StartDeviceAuthorization).toBe(0);
    expect(await readdir(join(h.home, '.aws'))).toEqual(['config']);
    expect(await readFile(h.env.AWS_CONFIG_FILE ?? '', 'utf8')).toBe(config);

    // The hint's command works: the keys go under the new name, the SSO profile stays as it was.
    const hinted = await h.awskeys(
      ['sso', 'login', '--session-name', 'acme', '--account-id', '111122223333', '--role-name', 'ReadOnlyAccess'].concat(
        ['--write', 'credentials', '--profile', 'ro-keys', '--no-browser'],
      ),
    );
    expect(hinted.code).toBe(0);
    expect(await readFile(credentials, 'utf8')).toMatch(/^\[ro-keys\]\naws_access_key_id = ASIA/);
    expect(await readFile(h.env.AWS_CONFIG_FILE ?? '', 'utf8')).toBe(config);
  });

  it('refuses a profile that gets credentials another way, for both targets, before any login (exit 2)', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0 });
    await mkdir(join(h.home, '.aws'), { recursive: true });
    const config = '[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = base\n';
    await writeFile(h.env.AWS_CONFIG_FILE ?? '', config);

    for (const write of ['config', 'credentials']) {
      expect(await h.awskeys([...LOGIN, '--account-id', '111122223333', '--role-name', 'ReadOnlyAccess', '--write', write, '--profile', 'admin'])).toEqual({
        code: 2,
        stdout: '',
        stderr: 'awskeys: error: Profile "admin" already gets credentials another way (role_arn in the config file); it was not changed. (hint: choose another name with --profile)\n',
      });
    }
    expect(h.emulator.calls.StartDeviceAuthorization).toBe(0);
    expect(await readdir(join(h.home, '.aws'))).toEqual(['config']);
    expect(await readFile(h.env.AWS_CONFIG_FILE ?? '', 'utf8')).toBe(config);
  });

  it('config: rewrites an SSO profile of the same IAM Identity Center, and refuses one of another before any login (exit 2)', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0 });
    await mkdir(join(h.home, '.aws'), { recursive: true });
    const config =
      `[profile dev]\nsso_start_url = ${START_URL}/\nsso_region = eu-west-1\nsso_account_id = 111122223333\nsso_role_name = ReadOnlyAccess\n\n` +
      '[profile theirs]\nsso_start_url = https://other.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 111122223333\nsso_role_name = ReadOnlyAccess\n';
    await writeFile(h.env.AWS_CONFIG_FILE ?? '', config);

    const other = await h.awskeys([...LOGIN, '--account-id', '222233334444', '--role-name', 'AdministratorAccess', '--profile', 'theirs']);
    expect(other).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'awskeys: error: Profile "theirs" is an SSO profile of another IAM Identity Center (https://other.awsapps.com/start); it was not changed. ' +
        '(hint: choose another name with --profile)\n',
    });
    expect(h.emulator.calls.StartDeviceAuthorization).toBe(0);
    expect(await readFile(h.env.AWS_CONFIG_FILE ?? '', 'utf8')).toBe(config);

    const same = await h.awskeys([...LOGIN, '--account-id', '222233334444', '--role-name', 'AdministratorAccess', '--profile', 'dev']);
    expect(same.code).toBe(0);
    expect(await readFile(h.env.AWS_CONFIG_FILE ?? '', 'utf8')).toMatch(
      /^\[profile dev\]\nsso_account_id = 222233334444\nsso_role_name = AdministratorAccess\nsso_session = acme\n/,
    );
  });

  it('config: leaves every other line of an existing config alone', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0 });
    await mkdir(join(h.home, '.aws'), { recursive: true });
    const before = '# my settings\n[default]\nregion = us-west-2 ; keep\n\n[profile other]\noutput = text\n';
    await writeFile(h.env.AWS_CONFIG_FILE ?? '', before);
    await h.awskeys([...LOGIN, '--account-id', '111122223333', '--role-name', 'ReadOnlyAccess', '--profile', 'other']);
    expect(await readFile(h.env.AWS_CONFIG_FILE ?? '', 'utf8')).toBe(
      '# my settings\n[default]\nregion = us-west-2 ; keep\n\n[profile other]\noutput = text\n' +
        'sso_session = acme\nsso_account_id = 111122223333\nsso_role_name = ReadOnlyAccess\nregion = eu-west-1\n\n' +
        `[sso-session acme]\nsso_start_url = ${START_URL}\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n`,
    );
  });

  it('json: the credential_process document on stdout only', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0 });
    const result = await h.awskeys([...LOGIN, '--account-id', '111122223333', '--role-name', 'ReadOnlyAccess', '--write', 'json']);
    expect(JSON.parse(result.stdout)).toEqual({
      Version: 1,
      AccessKeyId: expect.stringMatching(/^ASIA/) as string,
      SecretAccessKey: expect.any(String) as string,
      SessionToken: expect.any(String) as string,
      Expiration: '2026-06-01T13:00:00Z',
      AccountId: '111122223333',
    });
    expect(await readdir(h.home)).toEqual(['.aws']);
    // No profile is written; the token and the role credentials are cached for the next call.
    expect(await readdir(join(h.home, '.aws'))).toEqual(['cli', 'sso']);
    const [entry, ...others] = await readdir(join(h.home, '.aws', 'cli', 'cache'));
    expect(others).toEqual([]);
    const cached = JSON.parse(await readFile(join(h.home, '.aws', 'cli', 'cache', entry!), 'utf8')) as {
      ProviderType: string;
      Credentials: Record<string, string>;
    };
    const printed = JSON.parse(result.stdout) as Record<string, string>;
    expect(cached.ProviderType).toBe('sso');
    expect(cached.Credentials).toEqual({
      AccessKeyId: printed.AccessKeyId,
      SecretAccessKey: printed.SecretAccessKey,
      SessionToken: printed.SessionToken,
      Expiration: '2026-06-01T13:00:00Z',
      AccountId: '111122223333',
    });
  });
});

describe('suggested commands', () => {
  it('quote a profile name with a space, so the "Try:" line can be pasted into a shell', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0 });
    const result = await h.awskeys([...LOGIN, '--account-id', '111122223333', '--role-name', 'ReadOnlyAccess', '--profile', 'my prof']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`Try: aws sts get-caller-identity --profile 'my prof'\n`);
    expect(await readFile(h.env.AWS_CONFIG_FILE ?? '', 'utf8')).toMatch(/^\[profile 'my prof'\]\nsso_session = acme\n/);
    const tryLine = /^Try: (.*)$/m.exec(result.stderr)?.[1] ?? '';
    const { stdout: words } = await execFileAsync('sh', ['-c', `printf '%s\\n' ${tryLine}`]);
    expect(words).toBe('aws\nsts\nget-caller-identity\n--profile\nmy prof\n');
  });

  it('quote it in hints too', async () => {
    h = await ssoHarness();
    const result = await h.awskeys(['sso', 'login', '--profile', "bob's prof"]);
    expect(result).toEqual({
      code: 5,
      stdout: '',
      stderr:
        `awskeys: error: Profile "bob's prof" is not in ${h.env.AWS_CONFIG_FILE}. ` +
        `(hint: create it: awskeys sso login --profile 'bob'\\''s prof' --start-url URL --region REGION)\n`,
    });
  });
});

describe('legacy profiles (sso_start_url without a session)', () => {
  it('cache the token under the start URL, register without scopes, and get no refresh token', async () => {
    h = await ssoHarness({ autoApproveAfterPolls: 0 });
    await mkdir(join(h.home, '.aws'), { recursive: true });
    await writeFile(
      h.env.AWS_CONFIG_FILE ?? '',
      `[profile old]\nsso_start_url = ${START_URL}\nsso_region = eu-west-1\nsso_account_id = 111122223333\nsso_role_name = ReadOnlyAccess\n`,
    );
    const result = await h.awskeys(['sso', 'login', '--profile', 'old', '--no-browser', '--write', 'json']);
    expect(result.code).toBe(0);
    const token = await readJson(tokenCachePath(cacheDir(h.home), { startUrl: START_URL }));
    expect(token.refreshToken).toBeUndefined();
    expect(token.startUrl).toBe(START_URL);
  });
});

import { spawnCollecting } from './support/spawn.js';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tokenCachePath, writeToken } from '../src/sso/token-cache.js';
import { fakePrompter } from './support/fake-prompter.js';
import { ssoHarness, type SsoHarness } from './support/sso-harness.js';
import { DEFAULT_ACCOUNTS, generateAccounts, hostileAccounts, type SsoEmulatorOptions } from '../emulators/sso/index.js';
import { needs } from './support/optional-tools.js';

const START_URL = 'https://acme.awsapps.com/start';
const SESSION = ['[sso-session acme]', `sso_start_url = ${START_URL}`, 'sso_region = eu-west-1', 'sso_registration_scopes = sso:account:access', ''].join('\n');
const POPULATE = ['sso', 'populate', '--sso-session', 'acme'];

let h: SsoHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A harness whose config holds [sso-session acme] (plus `config`) and whose token cache holds a login. */
async function loggedIn(config = '', options: SsoEmulatorOptions & { login?: boolean } = {}): Promise<SsoHarness> {
  const { login = true, ...emulatorOptions } = options;
  // botocore checks the cached token's expiry on the real clock: start the shared fake clock there.
  const harness = await ssoHarness({ startMs: Math.floor(Date.now() / 1000) * 1000, ...emulatorOptions });
  await mkdir(join(harness.home, '.aws'), { recursive: true });
  await writeFile(configPath(harness), config + SESSION, { mode: 0o600 });
  if (login) {
    const token = harness.emulator.issueToken({ startUrl: START_URL });
    await writeToken(tokenCachePath(join(harness.home, '.aws', 'sso', 'cache'), { sessionName: 'acme', startUrl: START_URL }), {
      startUrl: START_URL,
      region: 'eu-west-1',
      ...token,
    });
  }
  return harness;
}

const configPath = (harness: SsoHarness) => harness.env.AWS_CONFIG_FILE ?? '';
const readConfig = (harness: SsoHarness) => readFile(configPath(harness), 'utf8');

/** Runs python3 against the harness's HOME and emulator (asynchronously: the emulator is in this process). */
async function python(harness: SsoHarness, script: string, args: string[] = []): Promise<string> {
  const result = await spawnCollecting('python3', ['-c', script, ...args], { env: { PATH: process.env.PATH, ...harness.env } }).exited;
  if (result.code !== 0) throw new Error(`python failed: ${result.stderr}`);
  return result.stdout.trim();
}

/**
 * What botocore reads for every profile it knows: {name: [account, role, session, region]}, from
 * one parse of the file (a Session per profile would parse it once per profile), plus full
 * credential resolution through the SSO provider for the profiles named in argv.
 */
const BOTOCORE_PROFILES = `
import json, sys, botocore.session
profiles = botocore.session.Session().full_config['profiles']
out = {name: [c.get('sso_account_id'), c.get('sso_role_name'), c.get('sso_session'), c.get('region')] for name, c in profiles.items()}
for name in sys.argv[1:]:
    creds = botocore.session.Session(profile=name).get_credentials()
    out[name].append(creds.method)
print(json.dumps(out))`;

describe('awskeys sso populate', () => {
  it('writes a profile for every account and role, in the sso-session form', async () => {
    h = await loggedIn();
    const result = await h.awskeys(POPULATE);

    expect(result).toEqual({
      code: 0,
      stdout: '',
      stderr:
        `6 roles in 3 accounts: 6 profiles added, 0 changed, 0 pruned, 0 unchanged in ${configPath(h)}.\n` +
        'Try: aws sts get-caller-identity --profile Payments-Dev-AdministratorAccess\n',
    });
    const profile = (name: string, account: string, role: string) =>
      `\n[profile ${name}]\nsso_session = acme\nsso_account_id = ${account}\nsso_role_name = ${role}\nregion = eu-west-1\nawskeys_populated_from = acme\n`;
    expect(await readConfig(h)).toBe(
      SESSION +
        profile('Payments-Dev-AdministratorAccess', '222233334444', 'AdministratorAccess') +
        profile('Payments-Dev-DeveloperAccess', '222233334444', 'DeveloperAccess') +
        profile('Payments-Dev-ReadOnlyAccess', '222233334444', 'ReadOnlyAccess') +
        profile('Payments-Prod-AdministratorAccess', '111122223333', 'AdministratorAccess') +
        profile('Payments-Prod-ReadOnlyAccess', '111122223333', 'ReadOnlyAccess') +
        profile('Search-Staging-ReadOnlyAccess', '333344445555', 'ReadOnlyAccess'),
    );
    expect(h.emulator.calls).toMatchObject({ ListAccounts: 1, ListAccountRoles: 3, GetRoleCredentials: 0 });
  });

  needs('boto3', 'aws').it('writes profiles that botocore and the aws CLI resolve through the session, the marker ignored', async () => {
    h = await loggedIn();
    expect((await h.awskeys(POPULATE)).code).toBe(0);

    // botocore resolves credentials through the session and the cached login; the marker key is ignored.
    const script = `
import json, sys, boto3
c = boto3.Session(profile_name=sys.argv[1]).get_credentials()
print(json.dumps([c.method, c.get_frozen_credentials().access_key[:4]]))`;
    expect(JSON.parse(await python(h, script, ['Payments-Dev-DeveloperAccess']))).toEqual(['sso', 'ASIA']);
    // So does the aws CLI: the profile resolves through SSO, and the marker is just an unknown key to it.
    const cli = await spawnCollecting('aws', ['configure', 'list', '--profile', 'Payments-Dev-DeveloperAccess'], {
      env: { PATH: process.env.PATH, ...h.env },
    }).exited;
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/access_key +\*+\S{4} +sso +\n/);
    expect(cli.stdout).toMatch(/region +eu-west-1 +config-file/);
    const marker = await spawnCollecting('aws', ['configure', 'get', 'awskeys_populated_from', '--profile', 'Payments-Dev-DeveloperAccess'], {
      env: { PATH: process.env.PATH, ...h.env },
    }).exited;
    expect([marker.code, marker.stdout, marker.stderr]).toEqual([0, 'acme\n', '']);
  });

  it('is idempotent: a second run leaves both files byte for byte', async () => {
    const handWritten = '# my profiles\n[profile mine]\nregion = us-west-2 ; keep\n\n';
    h = await loggedIn(handWritten);
    await writeFile(h.env.AWS_SHARED_CREDENTIALS_FILE ?? '', '[static]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = s3cr3t\n', { mode: 0o600 });
    expect((await h.awskeys(POPULATE)).code).toBe(0);
    const config = await readConfig(h);
    const credentials = await readFile(h.env.AWS_SHARED_CREDENTIALS_FILE ?? '', 'utf8');
    // Hand-written lines stay exactly where and how they were: everything new comes after them.
    expect(config.startsWith(handWritten + SESSION)).toBe(true);

    const again = await h.awskeys(POPULATE);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe(
      `6 roles in 3 accounts: 0 profiles added, 0 changed, 0 pruned, 6 unchanged in ${configPath(h)}.\n` +
        'Try: aws sts get-caller-identity --profile Payments-Dev-AdministratorAccess\n',
    );
    expect(await readConfig(h)).toBe(config);
    expect(await readFile(h.env.AWS_SHARED_CREDENTIALS_FILE ?? '', 'utf8')).toBe(credentials);
  });

  it('on a terminal without a login, logs in first (the device flow here: no display)', async () => {
    h = await loggedIn('', { login: false, autoApproveAfterPolls: 0 });
    const result = await h.awskeys(POPULATE, { prompter: fakePrompter({}) });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Logged in to SSO session "acme"');
    expect(result.stderr).toContain('6 roles in 3 accounts: 6 profiles added');
  });

  it('--dry-run prints the plan on stdout and changes nothing', async () => {
    h = await loggedIn('[profile Payments-Prod-ReadOnlyAccess]\nregion = us-west-2\n\n');
    const before = await readConfig(h);
    const result = await h.awskeys([...POPULATE, '--dry-run', '--template', '{role_name}.{account_name}']);
    expect(result).toEqual({
      code: 0,
      stdout: [
        'add    AdministratorAccess.Payments-Dev  222233334444 AdministratorAccess',
        'add    AdministratorAccess.Payments-Prod  111122223333 AdministratorAccess',
        'add    DeveloperAccess.Payments-Dev  222233334444 DeveloperAccess',
        'add    ReadOnlyAccess.Payments-Dev  222233334444 ReadOnlyAccess',
        'add    ReadOnlyAccess.Payments-Prod  111122223333 ReadOnlyAccess',
        'add    ReadOnlyAccess.Search-Staging  333344445555 ReadOnlyAccess',
        '6 to add, 0 to change, 0 to prune, 0 stale, 0 collisions, 0 unchanged',
        '',
      ].join('\n'),
      stderr: '',
    });
    expect(await readConfig(h)).toBe(before);
  });

  it('never touches a hand-written profile that holds a generated name: that assignment is skipped and reported', async () => {
    const mine = '[profile Payments-Prod-ReadOnlyAccess]\nsso_session = acme\nsso_account_id = 999999999999\nsso_role_name = Other\n\n';
    h = await loggedIn(mine);
    const result = await h.awskeys(POPULATE);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `6 roles in 3 accounts: 5 profiles added, 0 changed, 0 pruned, 0 unchanged in ${configPath(h)}.\n` +
        'skip   Payments-Prod-ReadOnlyAccess  111122223333 ReadOnlyAccess (the name belongs to a profile not written by sso populate)\n',
    );
    expect((await readConfig(h)).startsWith(mine + SESSION)).toBe(true);
    // --prune never removes it either: it has no marker.
    h.emulator.setAccounts([]);
    expect((await h.awskeys([...POPULATE, '--prune', '--yes'])).code).toBe(0);
    expect(await readConfig(h)).toBe(mine + SESSION);
  });

  it('keeps profiles whose assignment is gone until --prune, which asks on a terminal and needs --yes without one', async () => {
    h = await loggedIn();
    expect((await h.awskeys(POPULATE)).code).toBe(0);
    const full = await readConfig(h);
    h.emulator.setAccounts(DEFAULT_ACCOUNTS.filter((a) => a.accountId !== '222233334444'));

    const kept = await h.awskeys(POPULATE);
    expect(kept.code).toBe(0);
    expect(kept.stderr).toContain(
      'stale  Payments-Dev-AdministratorAccess  222233334444 AdministratorAccess (no longer assigned; --prune removes it)\n',
    );
    expect(await readConfig(h)).toBe(full);

    const noTerminal = await h.awskeys([...POPULATE, '--prune']);
    expect(noTerminal.code).toBe(7);
    expect(noTerminal.stderr).toBe(
      [
        'prune  Payments-Dev-AdministratorAccess  222233334444 AdministratorAccess (no longer assigned)',
        'prune  Payments-Dev-DeveloperAccess  222233334444 DeveloperAccess (no longer assigned)',
        'prune  Payments-Dev-ReadOnlyAccess  222233334444 ReadOnlyAccess (no longer assigned)',
        `awskeys: error: No terminal to ask "Remove 3 profiles managed by sso populate in ${configPath(h)}". (hint: pass --yes)`,
        '',
      ].join('\n'),
    );
    expect(await readConfig(h)).toBe(full);

    const no = await h.awskeys([...POPULATE, '--prune'], { prompter: fakePrompter({ 'sso-populate.confirm': false }) });
    expect(no.code).toBe(14);
    expect(await readConfig(h)).toBe(full);

    const yes = await h.awskeys([...POPULATE, '--prune'], { prompter: fakePrompter({ 'sso-populate.confirm': true }) });
    expect(yes.code).toBe(0);
    const pruned = await readConfig(h);
    expect(pruned).not.toContain('Payments-Dev');
    expect(pruned).toContain('[profile Payments-Prod-ReadOnlyAccess]');
    expect(pruned).toContain('[profile Search-Staging-ReadOnlyAccess]');
  });

  it('refuses before any call: a bad template (2), an unknown session (3, as in sso login), no login (9)', async () => {
    h = await loggedIn('', { login: false });
    const badTemplate = await h.awskeys([...POPULATE, '--template', '{account}-{role_name}']);
    expect(badTemplate.code).toBe(2);
    expect(badTemplate.stderr).toMatch(/^awskeys: error: Invalid --template "\{account\}-\{role_name\}": unknown placeholder \{account\}\. \(hint: /);

    const unknown = await h.awskeys(['sso', 'populate', '--sso-session', 'nope']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain(`awskeys: error: ${configPath(h)} has no [sso-session nope] section.`);

    const noLogin = await h.awskeys(POPULATE);
    expect(noLogin.code).toBe(9);
    expect(noLogin.stderr).toBe(
      'awskeys: error: Not logged in to the SSO session "acme". sso populate uses the session\'s login. ' +
        `(hint: run: awskeys sso login --start-url ${START_URL} --region eu-west-1 --sso-session acme, then this command again)\n`,
    );
    expect(Object.values(h.emulator.calls).every((n) => n === 0)).toBe(true);
  });
});

describe('awskeys sso populate against a large, hostile, throttled directory', () => {
  needs('botocore').it('names hostile accounts safely, resolves duplicates, and every profile reads back in botocore as its assignment', async () => {
    const accounts = hostileAccounts(400);
    h = await loggedIn('', { accounts, rateLimit: { requestsPerSecond: 20 } });
    const result = await h.awskeys(POPULATE);
    expect(result.code).toBe(0);
    expect(h.emulator.throttled).toBe(0);

    const written = [...(await readConfig(h)).matchAll(/^\[profile (.+)\]$/gm)].map((m) => m[1] ?? '');
    const seen = JSON.parse(await python(h, BOTOCORE_PROFILES, written.slice(0, 5))) as Record<string, string[]>;
    expect(Object.keys(seen).sort()).toEqual([...written].sort());
    for (const name of written.slice(0, 5)) expect(seen[name]?.[4]).toBe('sso');
    const got = Object.values(seen).map(([account, role]) => `${account} ${role}`).sort();
    const skipped = result.stderr.split('\n').filter((l) => l.startsWith('skip '));
    // Only roles that differ in '=' alone cannot both have a name; each such pair is reported.
    const expected = accounts.flatMap((a) => a.roles.map((r) => `${a.accountId} ${r}`));
    expect(got.length + skipped.length).toBe(expected.length);
    expect(new Set(got).size).toBe(got.length);
    for (const pair of got) expect(expected).toContain(pair);
    for (const [name, [, , session, region]] of Object.entries(seen)) {
      expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9._@+,/:-]*$/);
      expect([session, region]).toEqual(['acme', 'eu-west-1']);
    }
    // Idempotent at this size too.
    const config = await readConfig(h);
    expect((await h.awskeys(POPULATE)).code).toBe(0);
    expect(await readConfig(h)).toBe(config);
  }, 120_000);

  it('paces itself under the service limit, and rides out a storm of 429s without losing a profile', async () => {
    h = await loggedIn('', { accounts: generateAccounts(200), rateLimit: { requestsPerSecond: 20 } });
    h.emulator.injectFault('ListAccountRoles', { status: 429, errorType: 'TooManyRequestsException', times: 40, afterCalls: 50 });
    const started = h.clock.nowMs();
    const result = await h.awskeys(POPULATE);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^333 roles in 200 accounts: 333 profiles added/);
    expect(h.emulator.throttled).toBe(0);
    expect(h.emulator.calls.ListAccountRoles).toBe(240);
    // 202 good requests at 20 per second at most, plus the backoff.
    expect(h.clock.nowMs() - started).toBeGreaterThan(10_000);
  });

  it('a throttle that never ends: exit 11, says how far it got, writes nothing', async () => {
    h = await loggedIn('', { accounts: generateAccounts(60) });
    const before = await readConfig(h);
    h.emulator.injectFault('ListAccountRoles', { status: 429, errorType: 'TooManyRequestsException', times: Infinity, afterCalls: 30 });
    const result = await h.awskeys(POPULATE);
    expect(result.code).toBe(11);
    expect(result.stderr).toMatch(
      /^awskeys: error: Listing roles in \d{12}: IAM Identity Center is throttling requests \(TooManyRequestsException\), even after retries; stopped after listing the roles of (\d+) of 60 accounts, nothing was written\. \(hint: wait a minute and run the command again\)\n$/,
    );
    expect(Number(/of (\d+) of 60/.exec(result.stderr)?.[1])).toBeLessThanOrEqual(30);
    expect(await readConfig(h)).toBe(before);
  });

  it('a portal failure mid-listing: exit 11, nothing written', async () => {
    h = await loggedIn('', { accounts: generateAccounts(60) });
    const before = await readConfig(h);
    h.emulator.injectFault('ListAccountRoles', { status: 403, errorType: 'ForbiddenException', times: 1, afterCalls: 20 });
    const result = await h.awskeys(POPULATE);
    expect(result.code).toBe(11);
    expect(result.stderr).toMatch(/^awskeys: error: Listing roles in \d{12}: ForbiddenException \(HTTP 403\): Injected ForbiddenException; stopped after listing the roles of \d+ of 60 accounts, nothing was written\./);
    expect(await readConfig(h)).toBe(before);
  });

  it('Ctrl-C while listing: exit 130, nothing written', async () => {
    const controller = new AbortController();
    h = await loggedIn('', { accounts: generateAccounts(100), rateLimit: { requestsPerSecond: 20 } });
    const before = await readConfig(h);
    const started = h.clock.nowMs();
    const harness = h;
    const timer = setInterval(() => {
      if (harness.clock.nowMs() - started > 2000) controller.abort();
    }, 1);
    const result = await h.awskeys(POPULATE, { signal: controller.signal });
    clearInterval(timer);
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/^awskeys: error: Interrupted after listing the roles of \d+ of 100 accounts; nothing was written\.\n$/);
    expect(await readConfig(h)).toBe(before);
  });

  it('shows progress on a terminal only: accounts done / total, rate, time left, on one line it clears', async () => {
    h = await loggedIn('', { accounts: generateAccounts(30) });
    const result = await h.awskeys(POPULATE, { stderrIsTTY: true });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('\r\x1b[2KListing roles: 30/30 accounts, ');
    expect(result.stderr).toMatch(/Listing roles: \d+\/30 accounts, \d+\.\d requests\/s, about \d+ s left/);
    expect(result.stderr).toContain('\r\x1b[2K50 roles in 30 accounts: 50 profiles added');
  });
});

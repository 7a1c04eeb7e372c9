import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { writeCachedRoleCredentials } from '../src/sso/role-credentials-cache.js';
import { registrationCachePath, tokenCachePath, writeToken } from '../src/sso/token-cache.js';
import { ssoHarness, type SsoHarness } from './support/sso-harness.js';
import { needs } from './support/optional-tools.js';

const execFileAsync = promisify(execFile);
const ACME = 'https://acme.awsapps.com/start';
const BETA = 'https://beta.awsapps.com/start';

let h: SsoHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/**
 * Two sessions (acme, beta) logged in through the emulator, a profile for acme, one cached role
 * credential per session, and a non-SSO entry in the AWS CLI cache that must survive.
 */
async function twoSessions(harness: SsoHarness) {
  const aws = join(harness.home, '.aws');
  const ssoCache = join(aws, 'sso', 'cache');
  const cliCache = join(aws, 'cli', 'cache');
  await mkdir(cliCache, { recursive: true });
  await writeFile(
    harness.env.AWS_CONFIG_FILE ?? '',
    `[profile dev]\nsso_session = acme\nsso_account_id = 111122223333\nsso_role_name = ReadOnlyAccess\n\n` +
      `[sso-session acme]\nsso_start_url = ${ACME}\nsso_region = eu-west-1\n`,
  );
  const tokens: Record<string, string> = {};
  for (const [sessionName, startUrl] of [
    ['acme', ACME],
    ['beta', BETA],
  ] as const) {
    const issued = harness.emulator.issueToken({ startUrl });
    tokens[sessionName] = issued.accessToken;
    await writeToken(tokenCachePath(ssoCache, { sessionName, startUrl }), { startUrl, region: 'eu-west-1', ...issued });
    await writeCachedRoleCredentials(
      cliCache,
      { accountId: '111122223333', roleName: 'ReadOnlyAccess', sessionName, startUrl },
      { accessKeyId: 'ASIA', secretAccessKey: 's', sessionToken: 't', expiration: new Date(Date.now() + 3600_000) },
    );
  }
  const registration = registrationCachePath(ssoCache, { sessionName: 'acme', startUrl: ACME, region: 'eu-west-1' });
  await writeFile(registration, '{"clientId":"c","clientSecret":"s","expiresAt":"2999-01-01T00:00:00Z"}');
  await writeFile(join(cliCache, 'assume-role.json'), '{"ProviderType":"assume-role","Credentials":{}}');
  return { ssoCache, cliCache, tokens };
}

describe('awskeys sso logout', () => {
  it("--profile: signs the profile's session out, deletes its token and role credentials, keeps the rest", async () => {
    h = await ssoHarness();
    const { ssoCache, cliCache, tokens } = await twoSessions(h);
    const result = await h.awskeys(['sso', 'logout', '--profile', 'dev']);
    expect(result).toEqual({
      code: 0,
      stdout: '',
      stderr: 'Logged out of the SSO session "acme" (removed 1 cached role credential).\n',
    });
    expect(h.emulator.calls.Logout).toBe(1);
    expect(h.emulator.isAccessTokenValid(tokens.acme ?? '')).toBe(false);
    expect(h.emulator.isAccessTokenValid(tokens.beta ?? '')).toBe(true);
    const left = await readdir(ssoCache);
    expect(left).toContain(tokenCachePath('', { sessionName: 'beta', startUrl: BETA }));
    expect(left).not.toContain(tokenCachePath('', { sessionName: 'acme', startUrl: ACME }));
    // The client registration stays, as with `aws sso logout`.
    expect(left).toHaveLength(2);
    expect(await readdir(cliCache)).toHaveLength(2);
  });

  it('--session: the same by session name', async () => {
    h = await ssoHarness();
    const { tokens } = await twoSessions(h);
    const result = await h.awskeys(['sso', 'logout', '--session', 'beta']);
    expect(result.stderr).toBe('Logged out of the SSO session "beta" (removed 1 cached role credential).\n');
    expect(h.emulator.isAccessTokenValid(tokens.beta ?? '')).toBe(false);
  });

  it('--all (and no option): every cached session, every SSO role credential; registrations and other caches stay', async () => {
    for (const argv of [['sso', 'logout', '--all'], ['sso', 'logout']]) {
      h = await ssoHarness();
      const { ssoCache, cliCache, tokens } = await twoSessions(h);
      const result = await h.awskeys(argv);
      expect(result.stderr).toBe('Logged out of 2 SSO sessions (removed 2 cached role credentials).\n');
      expect(h.emulator.calls.Logout).toBe(2);
      expect(h.emulator.isAccessTokenValid(tokens.acme ?? '')).toBe(false);
      expect(await readdir(ssoCache)).toEqual([
        registrationCachePath('', { sessionName: 'acme', startUrl: ACME, region: 'eu-west-1' }),
      ]);
      expect(await readdir(cliCache)).toEqual(['assume-role.json']);
      await h.close();
    }
  });

  it('deletes the token even when the Logout call fails (already signed out, unreachable)', async () => {
    h = await ssoHarness();
    const { ssoCache, tokens } = await twoSessions(h);
    h.emulator.expireAccessToken(tokens.acme);
    const result = await h.awskeys(['sso', 'logout', '--session', 'acme']);
    expect(result.code).toBe(0);
    expect(await readdir(ssoCache)).toHaveLength(2);
  });

  it('Ctrl-C between sessions says how many were logged out and that the rest are still cached (exit 130)', async () => {
    h = await ssoHarness();
    const { ssoCache, cliCache } = await twoSessions(h);
    // Every answer takes a while, so Ctrl-C lands after the first token file is gone and long
    // before the second Logout could be answered.
    h.emulator.setLatency(500);
    const controller = new AbortController();
    const running = h.awskeys(['sso', 'logout', '--all'], { signal: controller.signal });
    while ((await readdir(ssoCache)).length === 3) await delay(5);
    controller.abort();
    expect(await running).toEqual({
      code: 130,
      stdout: '',
      stderr: 'awskeys: error: Interrupted after logging out of 1 SSO session; the rest are still cached.\n',
    });
    expect(await readdir(ssoCache)).toHaveLength(2); // the other session's token and the registration
    expect(await readdir(cliCache)).toHaveLength(3); // role credentials are removed only at the end
  });

  it('Ctrl-C during the first session still says nothing was written (exit 130)', async () => {
    h = await ssoHarness();
    const { ssoCache } = await twoSessions(h);
    h.emulator.setLatency(500);
    const controller = new AbortController();
    const running = h.awskeys(['sso', 'logout', '--all'], { signal: controller.signal });
    await delay(100);
    controller.abort();
    expect(await running).toEqual({ code: 130, stdout: '', stderr: 'awskeys: error: Interrupted; nothing was written.\n' });
    expect(await readdir(ssoCache)).toHaveLength(3);
  });

  it('says so when there is nothing to log out of', async () => {
    h = await ssoHarness();
    const result = await h.awskeys(['sso', 'logout', '--session', 'nope']);
    expect(result).toEqual({ code: 0, stdout: '', stderr: 'No cached login for the SSO session "nope"; nothing to log out of.\n' });
    expect((await h.awskeys(['sso', 'logout'])).stderr).toBe('No cached SSO logins; nothing to log out of.\n');
  });

  it('refuses more than one of --profile, --session and --all (exit 2)', async () => {
    h = await ssoHarness();
    const result = await h.awskeys(['sso', 'logout', '--all', '--session', 'x']);
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'awskeys: error: Pass only one of --profile, --session and --all.\n' });
  });
});

/**
 * Role credentials cached by botocore itself, as the AWS CLI v2 does it (its SSO provider with a
 * JSONFileCache on ~/.aws/cli/cache): file names are botocore's cache keys and the JSON has no
 * SessionKey. Profiles ro and admin use the session my-sso, other uses other-sso, and old is a
 * legacy profile with my-sso's start URL. Returns each profile's cache file name, as botocore chose it.
 */
async function botocoreCachedRoleCredentials(harness: SsoHarness): Promise<Record<string, string>> {
  const aws = join(harness.home, '.aws');
  const ssoCache = join(aws, 'sso', 'cache');
  await mkdir(join(aws, 'cli', 'cache'), { recursive: true });
  const profile = (name: string, source: string, accountId: string, role: string) =>
    `[profile ${name}]\n${source}sso_account_id = ${accountId}\nsso_role_name = ${role}\n\n`;
  await writeFile(
    harness.env.AWS_CONFIG_FILE ?? '',
    profile('ro', 'sso_session = my-sso\n', '111122223333', 'ReadOnlyAccess') +
      profile('admin', 'sso_session = my-sso\n', '222233334444', 'AdministratorAccess') +
      profile('other', 'sso_session = other-sso\n', '111122223333', 'ReadOnlyAccess') +
      profile('old', `sso_start_url = ${ACME}\nsso_region = eu-west-1\n`, '111122223333', 'ReadOnlyAccess') +
      `[sso-session my-sso]\nsso_start_url = ${ACME}\nsso_region = eu-west-1\n\n` +
      `[sso-session other-sso]\nsso_start_url = ${BETA}\nsso_region = eu-west-1\n`,
  );
  for (const ref of [{ sessionName: 'my-sso', startUrl: ACME }, { sessionName: 'other-sso', startUrl: BETA }, { startUrl: ACME }]) {
    const issued = harness.emulator.issueToken({ startUrl: ref.startUrl });
    await writeToken(tokenCachePath(ssoCache, ref), { startUrl: ref.startUrl, region: 'eu-west-1', ...issued });
  }
  const { stdout } = await execFileAsync(
    'python3',
    [
      '-c',
      `import json, os, botocore.session
from botocore.credentials import JSONFileCache
cache = os.path.expanduser("~/.aws/cli/cache")
files = {}
for name in ["ro", "admin", "other", "old"]:
    before = set(os.listdir(cache))
    session = botocore.session.Session(profile=name)
    session.get_component("credential_provider").get_provider("sso").cache = JSONFileCache(cache)
    session.get_credentials().get_frozen_credentials()
    files[name] = (set(os.listdir(cache)) - before).pop()
print(json.dumps(files))`,
    ],
    { env: { PATH: process.env.PATH, ...harness.env } },
  );
  const files = JSON.parse(stdout) as Record<string, string>;
  const written = JSON.parse(await readFile(join(aws, 'cli', 'cache', files.ro ?? ''), 'utf8')) as Record<string, unknown>;
  expect(Object.keys(written)).toEqual(['ProviderType', 'Credentials']);
  return files;
}

needs('botocore').describe('awskeys sso logout, role credentials that botocore or the AWS CLI cached', () => {
  // botocore reads the tokens on the real clock: start the emulator's clock there.
  const startMs = () => Math.floor(Date.now() / 1000) * 1000;

  it.each([
    ['--profile', 'ro'],
    ['--session', 'my-sso'],
  ])("%s %s deletes the entries of every profile of that session and keeps another session's", async (flag, value) => {
    h = await ssoHarness({ startMs: startMs() });
    const files = await botocoreCachedRoleCredentials(h);
    const result = await h.awskeys(['sso', 'logout', flag, value]);
    expect(result).toEqual({
      code: 0,
      stdout: '',
      stderr: 'Logged out of the SSO session "my-sso" (removed 2 cached role credentials).\n',
    });
    expect((await readdir(join(h.home, '.aws', 'cli', 'cache'))).sort()).toEqual([files.other, files.old].sort());
  });

  it('--profile of a legacy profile deletes the entries keyed by its start URL only', async () => {
    h = await ssoHarness({ startMs: startMs() });
    const files = await botocoreCachedRoleCredentials(h);
    const result = await h.awskeys(['sso', 'logout', '--profile', 'old']);
    expect(result.stderr).toBe(`Logged out of the SSO start URL ${ACME} (removed 1 cached role credential).\n`);
    expect((await readdir(join(h.home, '.aws', 'cli', 'cache'))).sort()).toEqual([files.ro, files.admin, files.other].sort());
  });
});

import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tokenCachePath, writeToken } from '../src/sso/token-cache.js';
import { runBuilt, runInProcess } from './support/cli.js';
import { tempHome } from './support/temp-home.js';

/**
 * An SSO profile that is not logged in gives the same error in every command that needs its
 * credentials, whether awskeys resolves them itself (env, exec, console) or an SDK client does
 * (the iam commands, audit): exit 9 and the login that fixes it, for the profile that holds the
 * SSO settings (issue 8, item 6).
 */

const startUrl = 'https://corp.awsapps.com/start';
const CONFIG = [
  '[profile dev]',
  'sso_session = corp',
  'sso_account_id = 111122223333',
  'sso_role_name = ReadOnly',
  'region = us-east-1',
  '[sso-session corp]',
  `sso_start_url = ${startUrl}`,
  'sso_region = us-east-1',
  '[profile legacy]',
  `sso_start_url = ${startUrl}`,
  'sso_region = us-east-1',
  'sso_account_id = 111122223333',
  'sso_role_name = ReadOnly',
  '[profile chain]',
  'source_profile = dev',
  'role_arn = arn:aws:iam::111122223333:role/Admin',
  '',
].join('\n');
// A static-key profile, so that `audit` has a key to ask IAM about (with the --profile's credentials).
const CREDENTIALS = '[keys]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY00\n';
// Nothing may reach a network: the login check comes first.
const NO_NETWORK = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'us-east-1' };

const COMMANDS: readonly (readonly string[])[] = [
  ['iam', 'list-keys'],
  ['iam', 'create-key', '--user', 'bob', '--format', 'json'],
  ['iam', 'deactivate-key', '--user', 'bob', '--access-key-id', 'AKIAI44QH8DHBEXAMPLE', '--yes'],
  ['iam', 'delete-key', '--user', 'bob', '--access-key-id', 'AKIAI44QH8DHBEXAMPLE', '--yes'],
  ['iam', 'audit'],
  ['status'],
  ['env'],
  ['credential-process'],
  ['console', '--print'],
];

/** The profile given, and the one whose login the hint names (a role profile's SSO source). */
const PROFILES = [
  ['dev', 'dev', 'the SSO session "corp"'],
  ['legacy', 'legacy', `the SSO start URL ${startUrl}`],
  ['chain', 'dev', 'the SSO session "corp"'],
] as const;

const cases = PROFILES.flatMap(([profile, loginProfile, what]) =>
  [...COMMANDS, ['exec', '--profile', profile, '--', 'true']].map((argv) => ({
    argv: argv[0] === 'exec' ? argv : [...argv, '--profile', profile],
    loginProfile,
    what,
  })),
);

describe('an SSO profile with no cached token', () => {
  let env: Record<string, string>;
  beforeAll(async () => {
    env = { ...(await tempHome({ config: CONFIG, credentials: CREDENTIALS, modes: 'private' })).env, ...NO_NETWORK };
  });

  it.each(cases)('$argv: exit 9, run: awskeys sso login --profile $loginProfile', async ({ argv, loginProfile, what }) => {
    expect(await runInProcess([...argv], { env })).toEqual({
      code: 9,
      stdout: '',
      stderr: `awskeys: error: Not logged in to ${what}. (hint: run: awskeys sso login --profile ${loginProfile})\n`,
    });
  });

  it('is reported the same by the built program, on the lean route (env) and the full one (iam)', async () => {
    for (const argv of [['env', '--profile', 'chain'], ['iam', 'list-keys', '--profile', 'chain']]) {
      expect(await runBuilt(argv, { env })).toEqual({
        code: 9,
        stdout: '',
        stderr: 'awskeys: error: Not logged in to the SSO session "corp". (hint: run: awskeys sso login --profile dev)\n',
      });
    }
  });
});

describe('an SSO profile whose cached token has expired and cannot be refreshed', () => {
  let env: Record<string, string>;
  beforeAll(async () => {
    const h = await tempHome({ config: CONFIG, credentials: CREDENTIALS, modes: 'private' });
    env = { ...h.env, ...NO_NETWORK };
    const cache = join(h.home, '.aws', 'sso', 'cache');
    const expired = { region: 'us-east-1', accessToken: 'expired-token', expiresAt: new Date('2020-01-01T00:00:00Z') };
    await writeToken(tokenCachePath(cache, { sessionName: 'corp', startUrl }), { startUrl, ...expired });
    await writeToken(tokenCachePath(cache, { startUrl }), { startUrl, ...expired });
  });

  it.each(cases)('$argv: exit 9, run: awskeys sso login --profile $loginProfile', async ({ argv, loginProfile, what }) => {
    const session = what.replace(/^the /, 'The ');
    expect(await runInProcess([...argv], { env })).toEqual({
      code: 9,
      stdout: '',
      stderr: `awskeys: error: ${session} has expired. (hint: run: awskeys sso login --profile ${loginProfile})\n`,
    });
  });
});

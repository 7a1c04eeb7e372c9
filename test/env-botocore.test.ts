import { spawnCollecting, type Collected } from './support/spawn.js';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { binPath, runBuilt } from './support/cli.js';
import { corpProfile, ssoCorpHome, type SsoCorpHome } from './support/sso-corp-home.js';
import { OPERATIONS, type SsoEmulator } from '../emulators/sso/index.js';
import { needs } from './support/optional-tools.js';

/**
 * What other tools see: botocore running `awskeys credential-process` as a profile's
 * credential_process gets exactly the keys `awskeys env` prints, and botocore with the AWS CLI's
 * cache provider reads the role credentials awskeys cached. Uses the built binary.
 */

let emulator: SsoEmulator;
let env: Record<string, string>;
let home: string;

// credential_process is split with shlex by botocore (no shell): quote each word.
const shlexQuote = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'"'"'`)}'`);
const processCommand = (profile: string) =>
  [process.execPath, binPath, 'credential-process', '--profile', profile].map(shlexQuote).join(' ');

let corp: SsoCorpHome;

beforeEach(async () => {
  corp = await ssoCorpHome({
    profiles: () => [
      '[profile static]',
      'region = us-west-2',
      '[profile static-cp]',
      `credential_process = ${processCommand('static')}`,
      ...corpProfile('dev', '111122223333', 'AdministratorAccess'),
      '[profile dev-cp]',
      `credential_process = ${processCommand('dev')}`,
    ],
    credentials: '[static]\naws_access_key_id = AKIASTATICKEY\naws_secret_access_key = static+secret/with=chars\naws_session_token = static-token\n',
  });
  ({ emulator, home, env } = corp);
  await corp.logIn();
});

afterEach(async () => {
  await corp.close();
});

/** Runs python asynchronously: the emulator lives in this process and must keep answering. */
function python(script: string, args: string[]): Promise<Collected> {
  return spawnCollecting('python3', ['-c', script, ...args], { env: { PATH: process.env.PATH, ...env } }).exited;
}

const botocoreCredentials = `
import json, sys, botocore.session
from botocore.utils import JSONFileCache
s = botocore.session.Session(profile=sys.argv[1])
if len(sys.argv) > 2:
    s.get_component('credential_provider').get_provider('sso').cache = JSONFileCache(sys.argv[2])
c = s.get_credentials()
f = c.get_frozen_credentials()
print(json.dumps({"method": c.method, "keys": [f.access_key, f.secret_key, f.token]}))`;

async function envKeys(profile: string): Promise<(string | undefined)[]> {
  const r = await runBuilt(['env', '--profile', profile], { env });
  expect(r.stderr).toBe('');
  const vars: Record<string, string | undefined> = Object.fromEntries(
    [...r.stdout.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']),
  );
  return [vars.AWS_ACCESS_KEY_ID, vars.AWS_SECRET_ACCESS_KEY, vars.AWS_SESSION_TOKEN];
}

const networkCalls = () => OPERATIONS.reduce((sum, op) => sum + emulator.calls[op], 0);

needs('botocore').describe('botocore with credential_process = awskeys credential-process', () => {
  it('gets the same static keys as awskeys env prints', async () => {
    const expected = await envKeys('static');
    const r = await python(botocoreCredentials, ['static-cp']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ method: 'custom-process', keys: expected });
  });

  it('gets the same SSO role credentials as awskeys env prints, from the cache, with no network call', async () => {
    const expected = await envKeys('dev');
    expect(emulator.calls.GetRoleCredentials).toBe(1);
    emulator.resetCalls();
    const r = await python(botocoreCredentials, ['dev-cp']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ method: 'custom-process', keys: expected });
    expect(networkCalls()).toBe(0);
  });
});

needs('botocore').describe('the role-credential cache, shared with the AWS CLI', () => {
  it("is read by botocore's SSO provider with the AWS CLI's cache, with no call of its own", async () => {
    const expected = await envKeys('dev');
    emulator.resetCalls();
    const r = await python(botocoreCredentials, ['dev', join(home, '.aws', 'cli', 'cache')]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ method: 'sso', keys: expected });
    expect(networkCalls()).toBe(0);
  });
});

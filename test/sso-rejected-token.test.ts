import { readFile } from 'node:fs/promises';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/built.js';
import { runBuilt } from './support/cli.js';
import { corpProfile, ssoCorpHome, type SsoCorpHome } from './support/sso-corp-home.js';

/**
 * An access token the cache still calls valid that the portal refuses (revoked or expired early
 * on the server, a clock running behind): awskeys refreshes it once, under the refresh lock, and
 * tries GetRoleCredentials once more before it says "log in again" (issue 18, item 3). Before,
 * `env` on such a profile ended with exit 9 while a good refresh token sat in the cache.
 */

let corp: SsoCorpHome;
let tokenPath: string;

beforeAll(ensureBuilt, 120_000);

beforeEach(async () => {
  corp = await ssoCorpHome({ profiles: (startUrl) => [...corpProfile('dev', '111122223333', 'AdministratorAccess'), '', '[profile legacy]', `sso_start_url = ${startUrl}`, 'sso_region = us-east-1', 'sso_account_id = 111122223333', 'sso_role_name = AdministratorAccess', ''] });
  // Valid for eight hours by the cache; the emulator then forgets it before that.
  tokenPath = await corp.logIn({ ttlSeconds: 8 * 3600 });
  corp.emulator.expireAccessToken();
});

afterEach(async () => {
  await corp.close();
});

describe('a cached SSO token that the portal refuses', () => {
  it('12 parallel env runs all succeed with one refresh, and the cache holds the new token', async () => {
    const runs = await Promise.all(Array.from({ length: 12 }, () => runBuilt(['env', '--profile', 'dev', '--format', 'json'], { env: corp.env })));
    expect(runs.map((r) => [r.code, r.stderr])).toEqual(Array.from({ length: 12 }, () => [0, '']));
    for (const r of runs) expect(JSON.parse(r.stdout)).toMatchObject({ AccountId: '111122223333' });
    expect(corp.emulator.calls.CreateToken).toBe(1);
    const token = JSON.parse(await readFile(tokenPath, 'utf8')) as { accessToken: string };
    expect(corp.emulator.isAccessTokenValid(token.accessToken)).toBe(true);
  });

  it('says log in again (exit 9) when the refresh is refused too, after one refresh attempt and one portal call', async () => {
    corp.emulator.injectFault('CreateToken', { status: 400, errorType: 'InvalidGrantException', times: Infinity });
    const before = await readFile(tokenPath, 'utf8');
    const result = await runBuilt(['env', '--profile', 'dev'], { env: corp.env });
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'awskeys: error: IAM Identity Center no longer accepts the SSO session "corp", and the refresh was refused too. (hint: run: awskeys sso login --profile dev)\n',
    );
    expect(result.code).toBe(9);
    expect(corp.emulator.calls.CreateToken).toBe(1);
    expect(corp.emulator.calls.GetRoleCredentials).toBe(1);
    expect(await readFile(tokenPath, 'utf8')).toBe(before);
  });

  it('says log in again at once for a legacy profile (botocore refreshes only sso-session tokens)', async () => {
    await corp.logIn({ ttlSeconds: 8 * 3600 }, { startUrl: corp.startUrl });
    corp.emulator.expireAllAccessTokens();
    const result = await runBuilt(['env', '--profile', 'legacy'], { env: corp.env });
    expect(result.stderr).toBe(
      `awskeys: error: IAM Identity Center no longer accepts the SSO start URL ${corp.startUrl}, and it cannot be refreshed. (hint: run: awskeys sso login --profile legacy)\n`,
    );
    expect(result.code).toBe(9);
    expect(corp.emulator.calls.CreateToken).toBe(0);
  });
});

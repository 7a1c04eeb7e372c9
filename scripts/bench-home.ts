// Worker for scripts/bench.mjs: bundled by esbuild and run once. Writes a HOME with one profile of
// each kind the hot path serves and, for each, the cache entry that makes `env` a hit, with the
// project's own cache writers (so the keys and formats are the ones env reads).
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { awsFilePaths } from '../src/aws-files/paths.js';
import { writeCachedAssumedRole } from '../src/resolve/assume-role-cache.js';
import { SESSION_DURATION, writeCachedSession } from '../src/resolve/mfa-session-cache.js';
import { roleProfileOf } from '../src/resolve/role-profile.js';
import { writeCachedRoleCredentials } from '../src/sso/role-credentials-cache.js';
import { systemClock } from '../src/app/clock.js';
import { nonInteractivePrompter } from '../src/prompt/non-interactive.js';
import { VAULT_SESSION_SECONDS } from '../src/resolve/vault-cached-session.js';
import { keychainStore } from '../src/vault/keychain-store.js';

const [home] = process.argv.slice(2);
if (home === undefined) throw new Error('usage: bench-home <dir>');
const aws = join(home, '.aws');
mkdirSync(aws, { recursive: true, mode: 0o700 });
const paths = awsFilePaths({}, home);
const role = { role_arn: 'arn:aws:iam::111122223333:role/Bench', source_profile: 'static' };
const roleMfa = { ...role, mfa_serial: 'arn:aws:iam::111122223333:mfa/bench' };
const login = 'arn:aws:iam::111122223333:user/bench';
writeFileSync(
  paths.config,
  [
    '[profile static]', 'region = us-west-2', '',
    '[profile sso]', 'sso_session = bench', 'sso_account_id = 111122223333', 'sso_role_name = Bench', 'region = eu-west-1', '',
    '[sso-session bench]', 'sso_start_url = https://bench.awsapps.com/start', 'sso_region = us-east-1', 'sso_registration_scopes = sso:account:access', '',
    '[profile role]', `role_arn = ${role.role_arn}`, 'source_profile = static', '',
    '[profile role-mfa]', `role_arn = ${roleMfa.role_arn}`, 'source_profile = static', `mfa_serial = ${roleMfa.mfa_serial}`, '',
    '[profile mfa]', `mfa_serial = ${roleMfa.mfa_serial}`, '',
    '[profile login]', `login_session = ${login}`, 'region = us-east-1', '',
    '[profile vault]', 'region = us-west-2', 'credential_process = awskeys credential-process --profile vault', 'awskeys_vault = keychain', '',
  ].join('\n'),
  { mode: 0o600 },
);
writeFileSync(
  paths.credentials,
  '[static]\naws_access_key_id = AKIABENCHSTATIC\naws_secret_access_key = bench-static-secret\n\n[mfa]\naws_access_key_id = AKIABENCHMFAUSER\naws_secret_access_key = bench-mfa-secret\n',
  { mode: 0o600 },
);
const expiration = new Date(Date.now() + 3 * 3600_000);
const temporary = (id: string) => ({ accessKeyId: id, secretAccessKey: 'bench-secret', sessionToken: 'bench-token', expiration });
await writeCachedRoleCredentials(
  paths.cliCacheDir,
  { accountId: '111122223333', roleName: 'Bench', sessionName: 'bench', startUrl: 'https://bench.awsapps.com/start' },
  { ...temporary('ASIABENCHSSO'), accountId: '111122223333' },
);
const assumed = (id: string) => ({ credentials: temporary(id), assumedRoleUser: { AssumedRoleId: 'AROABENCH:bench', Arn: 'arn:aws:sts::111122223333:assumed-role/Bench/bench' }, requestId: undefined });
await writeCachedAssumedRole(paths.cliCacheDir, roleProfileOf('role', role), assumed('ASIABENCHROLE'));
await writeCachedAssumedRole(paths.cliCacheDir, roleProfileOf('role-mfa', roleMfa), assumed('ASIABENCHROLEMFA'));
await writeCachedSession(
  paths.sessionCacheDir,
  { profile: 'mfa', accessKeyId: 'AKIABENCHMFAUSER', serialNumber: roleMfa.mfa_serial, durationSeconds: SESSION_DURATION.alone },
  temporary('ASIABENCHMFA'),
);
// The AWS CLI's `aws login` cache (src/resolve/login-session.ts): <sha256 of the session>.json.
const loginCache = join(aws, 'login', 'cache');
mkdirSync(loginCache, { recursive: true, mode: 0o700 });
writeFileSync(
  join(loginCache, `${createHash('sha256').update(login, 'utf8').digest('hex')}.json`),
  JSON.stringify({ accessToken: { accessKeyId: 'ASIABENCHLOGIN', secretAccessKey: 's', sessionToken: 't', accountId: '111122223333', expiresAt: expiration.toISOString() } }),
  { mode: 0o600 },
);
// The vault profile's keychain item with a cached session (src/resolve/kinds/vault.ts), in the
// Secret Service bench.mjs started (DBUS_SESSION_BUS_ADDRESS); none without one.
if (process.env.DBUS_SESSION_BUS_ADDRESS) {
  const store = keychainStore({ env: process.env, homeDir: home, terminal: nonInteractivePrompter, signal: new AbortController().signal, clock: systemClock, unlockedVaultFiles: new Map() });
  await store.write('vault', {
    key: { accessKeyId: 'AKIABENCHVAULTKEY', secretAccessKey: 'bench-vault-secret' },
    session: { ...temporary('ASIABENCHVAULT'), expiration: expiration.toISOString(), durationSeconds: VAULT_SESSION_SECONDS },
  });
}

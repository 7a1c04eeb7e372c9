import { DeleteAccessKeyCommand, GetAccessKeyLastUsedCommand } from '@aws-sdk/client-iam';
import { appendFile, chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { roleCachePath } from '../src/sso/role-credentials-cache.js';
import { tokenCachePath } from '../src/sso/token-cache.js';
import { freePort } from './support/global-setup.js';
import { runInProcess, tempHome } from './support/cli.js';
import { fakeClock } from './support/fake-clock.js';
import { adminIam, createKey, createUser, DAY, deactivate, motoUrl, useKey } from './iam-fixtures.js';
import { startAuthMoto, startFaultProxy, userWithKey, type AuthMoto, type FaultProxy } from './iam-rotate-fixtures.js';
import { ensureBuilt } from './support/built.js';
import { runBuilt } from './support/cli.js';
import { needs } from './support/optional-tools.js';
import { fakePrompter } from './support/fake-prompter.js';
import { SECRET_SERVICE_TOOLS, startSecretService, type SecretService } from './support/secret-service.js';

const HOUR = 3_600_000;

/** "2025-01-01 12:00 UTC" */
function utc(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

async function home(files: { credentials: string; config: string }) {
  const { home: dir, env, credentials, config } = await tempHome({ ...files, modes: 'private' });
  return {
    dir,
    credentials,
    config,
    env: { ...env, AWS_ENDPOINT_URL_IAM: motoUrl(), AWS_ENDPOINT_URL_STS: motoUrl(), AWS_EC2_METADATA_DISABLED: 'true' },
  };
}

/** moto's administrator as the default credentials: the one caller that asks IAM about every key. */
const ADMIN = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' };

/** The vault file's passphrase, for the file store (real scrypt and AES-GCM). */
const PASSPHRASE = { AWSKEYS_VAULT_PASSPHRASE: 'audit passphrase' };

/** The last use moto recorded for the key (it stamps uses with its own clock). */
async function lastUsedAt(accessKeyId: string): Promise<Date> {
  const out = await adminIam().send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }));
  const at = out.AccessKeyLastUsed?.LastUsedDate;
  if (!at) throw new Error(`moto recorded no use of ${accessKeyId}`);
  return at;
}

/** The key-plaintext reason (D48) of a long-term key in an AWS file. */
function plaintext(profile: string, accessKeyId: string, file: string): string {
  return `access key ${accessKeyId} is in plaintext in ${file}; move it into the vault: awskeys vault move --profile ${profile}`;
}

async function writeJson(path: string, doc: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, JSON.stringify(doc), { mode: 0o600 });
}

const SSO_CONFIG = [
  '[default]',
  'region = us-east-1',
  '',
  '[profile work]',
  'sso_session = corp',
  'sso_account_id = 111122223333',
  'sso_role_name = Admin',
  '',
  '[sso-session corp]',
  'sso_start_url = https://corp.awsapps.com/start',
  'sso_region = eu-west-1',
  '',
  '[profile ci]',
  'credential_process = /usr/local/bin/get-creds',
  '',
  '[profile deploy]',
  'role_arn = arn:aws:iam::111122223333:role/Deploy',
  'source_profile = alice',
  '',
  '[profile half-sso]',
  'sso_account_id = 111122223333',
  '',
].join('\n');

describe('awskeys iam audit', () => {
  it('lists every profile of both files, one line each, then warns and exits 13', async () => {
    const user = await createUser('audit');
    const alice = await createKey(user);
    const now = new Date(alice.createdAt.getTime() + 100 * DAY);
    const h = await home({
      credentials: [
        '[alice]',
        `aws_access_key_id = ${alice.accessKeyId}`,
        `aws_secret_access_key = ${alice.secretAccessKey}`,
        '[ghost]',
        'aws_access_key_id = AKIAGHOSTGHOSTGHOST1',
        'aws_secret_access_key = ghost-secret',
        '[half]',
        'aws_access_key_id = AKIAHALFHALFHALFHALF',
        '[session]',
        'aws_access_key_id = ASIATEMPTEMPTEMPTEMP',
        'aws_secret_access_key = temp',
        'aws_session_token = token',
        '',
      ].join('\n'),
      config: SSO_CONFIG,
    });
    const ssoTarget = { sessionName: 'corp', startUrl: 'https://corp.awsapps.com/start', accountId: '111122223333', roleName: 'Admin' };
    const tokenExpires = new Date(now.getTime() + 3 * HOUR + 5 * 60_000);
    const credsExpired = new Date(now.getTime() - 2 * HOUR);
    await writeJson(tokenCachePath(join(h.dir, '.aws', 'sso', 'cache'), ssoTarget), {
      startUrl: ssoTarget.startUrl,
      region: 'eu-west-1',
      accessToken: 'bearer',
      expiresAt: `${tokenExpires.toISOString().slice(0, 19)}Z`,
    });
    await writeJson(roleCachePath(join(h.dir, '.aws', 'cli', 'cache'), ssoTarget), {
      ProviderType: 'sso',
      Credentials: { AccessKeyId: 'ASIAROLE', SecretAccessKey: 's', SessionToken: 't', Expiration: `${credsExpired.toISOString().slice(0, 19)}Z` },
    });

    const r = await runInProcess(['iam', 'audit'], { env: { ...h.env, ...ADMIN }, clock: fakeClock(now.getTime()) });

    expect(r.stdout).toBe(
      [
        'PROFILE   KIND    DETAILS',
        'default   other   no credentials (settings only)',
        `work      sso     111122223333/Admin  token expires ${utc(tokenExpires)} (in 3 h), role credentials expired ${utc(credsExpired)} (2 h ago)`,
        'ci        other   credential_process',
        'deploy    other   role_arn arn:aws:iam::111122223333:role/Deploy (source_profile alice)',
        'half-sso  sso     SSO profile half-sso is incomplete: [profile half-sso] in ' +
          `${h.config} lack sso_start_url, sso_region, sso_role_name.`,
        // Asked by another caller, so the audit itself does not count as a use of the key.
        `alice     static  ${alice.accessKeyId}  Active, 100 days old, never used`,
        "ghost     static  AKIAGHOSTGHOSTGHOST1  age and last use unknown (no such key in the caller's account)",
        'half      static  AKIAHALFHALFHALFHALF  only half a key pair: aws_secret_access_key is missing or empty',
        'session   other   temporary keys (aws_session_token)',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toBe(
      [
        `awskeys: warning: profile half-sso: SSO profile half-sso is incomplete: [profile half-sso] in ${h.config} lack sso_start_url, sso_region, sso_role_name`,
        `awskeys: warning: profile alice: access key ${alice.accessKeyId} is 100 days old (more than 90 days); rotate it: awskeys iam rotate --profile alice`,
        `awskeys: warning: profile alice: access key ${alice.accessKeyId} was never used in the 100 days since its creation (--max-unused 45); ` +
          `deactivate it if nothing needs it: awskeys iam deactivate-key --user ${user} --access-key-id ${alice.accessKeyId}`,
        // Last: where the key is kept (D48); a key IAM cannot tell about is still on disk.
        `awskeys: warning: profile alice: ${plaintext('alice', alice.accessKeyId, h.credentials)}`,
        `awskeys: warning: profile ghost: ${plaintext('ghost', 'AKIAGHOSTGHOSTGHOST1', h.credentials)}`,
        'awskeys: warning: profile half: only half a key pair: aws_secret_access_key is missing or empty',
        'awskeys: error: 6 things need attention (the warnings above).',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(13);
  });

  it('--json gives the same facts as a document, then exits 13', async () => {
    const user = await createUser('json');
    const key = await createKey(user);
    const h = await home({
      credentials: `[k]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`,
      config: '[profile ci]\ncredential_process = x\n\n[profile work]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = Dev\n',
    });
    await useKey(key);
    const usedAt = await lastUsedAt(key.accessKeyId);
    const now = new Date(usedAt.getTime() + 120 * DAY);

    const r = await runInProcess(['iam', 'audit', '--json', '--max-age', '30'], { env: { ...h.env, ...ADMIN }, clock: fakeClock(now.getTime()) });

    const old = `access key ${key.accessKeyId} is 120 days old (more than 30 days); rotate it: awskeys iam rotate --profile k`;
    const unused =
      `access key ${key.accessKeyId} was last used 120 days ago, on ${day(usedAt)} (--max-unused 45); ` +
      `deactivate it if nothing needs it: awskeys iam deactivate-key --user ${user} --access-key-id ${key.accessKeyId}`;
    const plain = plaintext('k', key.accessKeyId, h.credentials);
    expect(r.code).toBe(13);
    expect(JSON.parse(r.stdout)).toEqual({
      generatedAt: now.toISOString(),
      maxAgeDays: 30,
      maxUnusedDays: 45,
      needsAttention: true,
      profiles: [
        { name: 'ci', kind: 'other', files: ['config'], source: 'credential_process', attention: [] },
        {
          name: 'work',
          kind: 'sso',
          files: ['config'],
          accountId: '111122223333',
          roleName: 'Dev',
          ssoSession: null,
          tokenExpiresAt: null,
          credentialsExpireAt: null,
          problem: null,
          attention: [],
        },
        {
          name: 'k',
          kind: 'static',
          files: ['credentials'],
          accessKeyId: key.accessKeyId,
          iam: 'ok',
          userName: user,
          status: 'Active',
          createDate: key.createdAt.toISOString(),
          ageDays: 120,
          lastUsed: { date: usedAt.toISOString(), service: 'sts', region: 'us-east-1', includesThisAudit: false },
          unusedDays: 120,
          error: null,
          problem: null,
          store: null,
          storeProblem: null,
          attention: [
            { code: 'key-old', detail: old },
            { code: 'key-unused', detail: unused },
            { code: 'key-plaintext', detail: plain },
          ],
        },
      ],
      fileAttention: [],
      warnings: [`profile k: ${old}`, `profile k: ${unused}`, `profile k: ${plain}`],
      notes: [],
    });
    expect(r.stderr).toBe(
      `awskeys: warning: profile k: ${old}\nawskeys: warning: profile k: ${unused}\nawskeys: warning: profile k: ${plain}\nawskeys: error: 3 things need attention (the warnings above).\n`,
    );
  });

  it('exits 0 when all is well (the key in the vault), and `awskeys status` prints the same', async () => {
    const user = await createUser('clean');
    const key = await createKey(user);
    const h = await home({ credentials: `[clean]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`, config: '' });
    const env = { ...h.env, ...PASSPHRASE };
    expect((await runInProcess(['vault', 'move', '--profile', 'clean', '--to', 'file'], { env })).code).toBe(0);
    const clock = () => fakeClock(key.createdAt.getTime());

    const audit = await runInProcess(['iam', 'audit', '--offline'], { env, clock: clock() });
    const status = await runInProcess(['status', '--offline'], { env, clock: clock() });

    expect(audit).toEqual({
      code: 0,
      stdout: `PROFILE  KIND    DETAILS\nclean    static  ${key.accessKeyId}  in the vault file, age and last use not checked (--offline)\n`,
      stderr: '',
    });
    expect(status).toEqual(audit);
  });

  it('--offline makes no call at all (the endpoints point at a closed port)', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const h = await home({ credentials: '[a]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n', config: '' });
    const env = { ...h.env, ...ADMIN, AWS_ENDPOINT_URL_IAM: closed, AWS_ENDPOINT_URL_STS: closed };

    const offline = await runInProcess(['iam', 'audit', '--offline'], { env });
    const online = await runInProcess(['iam', 'audit'], { env });

    expect(offline.stdout).toBe('PROFILE  KIND    DETAILS\na        static  AKIAAAAAAAAAAAAAAAAA  age and last use not checked (--offline)\n');
    // Unreachable is "unknown", not a problem with the key; its place on disk still is (D48).
    expect(online).toEqual({
      code: 13,
      stdout: 'PROFILE  KIND    DETAILS\na        static  AKIAAAAAAAAAAAAAAAAA  age and last use unknown (cannot reach AWS)\n',
      stderr: `awskeys: warning: profile a: ${plaintext('a', 'AKIAAAAAAAAAAAAAAAAA', h.credentials)}\nawskeys: error: 1 thing needs attention (the warnings above).\n`,
    });
    expect(offline.code).toBe(13);
  });

  it('warns about AWS files readable by other users', async () => {
    const h = await home({ credentials: '[a]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n', config: '' });
    await chmod(h.credentials, 0o644);

    const r = await runInProcess(['iam', 'audit', '--offline'], { env: h.env });

    expect(r.code).toBe(13);
    expect(r.stderr).toBe(
      `awskeys: warning: ${h.credentials} is readable by other users (mode 0644); run: chmod 600 ${h.credentials}\n` +
        `awskeys: warning: profile a: ${plaintext('a', 'AKIAAAAAAAAAAAAAAAAA', h.credentials)}\n` +
        'awskeys: error: 2 things need attention (the warnings above).\n',
    );
  });

  it('without credentials to ask IAM with, says so once and goes on (only the plaintext key needs attention)', async () => {
    const h = await home({ credentials: '[a]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n', config: '' });

    const r = await runInProcess(['iam', 'audit'], { env: h.env });

    expect(r.code).toBe(13);
    expect(r.stdout).toBe('PROFILE  KIND    DETAILS\na        static  AKIAAAAAAAAAAAAAAAAA  age and last use unknown (no credentials to ask IAM with)\n');
    const [note, ...rest] = r.stderr.split('\n');
    expect(note).toMatch(
      /^awskeys: note: Find credentials to ask IAM with: no AWS credentials found: .+; key ages and last use were not checked; pass --profile NAME for a caller allowed iam:GetAccessKeyLastUsed and iam:ListAccessKeys, or --each-key$/,
    );
    expect(rest).toEqual([`awskeys: warning: profile a: ${plaintext('a', 'AKIAAAAAAAAAAAAAAAAA', h.credentials)}`, 'awskeys: error: 1 thing needs attention (the warnings above).', '']);
  });
});

describe('awskeys iam audit: each profile says why it needs attention; unused keys counted as CIS 1.12 does', () => {
  /**
   * Three keys made a moment apart: one never used, one used once (moto stamps the use), one
   * Inactive; the clock stands 50 days after that use, so every key is 50 days old.
   */
  async function threeKeys() {
    const user = await createUser('cis');
    const other = await createUser('cis-off');
    const never = await createKey(user);
    const idle = await createKey(user);
    const off = await createKey(other);
    await deactivate(other, off.accessKeyId);
    await useKey(idle);
    const usedAt = await lastUsedAt(idle.accessKeyId);
    const h = await home({
      credentials: `[never]\n${keyLines(never)}\n[idle]\n${keyLines(idle)}\n[off]\n${keyLines(off)}`,
      config: '[profile ci]\ncredential_process = x\n',
    });
    const deactivateHint = (u: string, k: Key) => `deactivate it if nothing needs it: awskeys iam deactivate-key --user ${u} --access-key-id ${k.accessKeyId}`;
    return {
      env: { ...h.env, ...ADMIN },
      clock: () => fakeClock(usedAt.getTime() + 50 * DAY),
      usedAt,
      keys: { never, idle, off },
      reasons: {
        never: { code: 'key-never-used', detail: `access key ${never.accessKeyId} was never used in the 50 days since its creation (--max-unused 45); ${deactivateHint(user, never)}` },
        idle: {
          code: 'key-unused',
          detail: `access key ${idle.accessKeyId} was last used 50 days ago, on ${day(usedAt)} (--max-unused 45); ${deactivateHint(user, idle)}`,
        },
        off: { code: 'key-inactive', detail: `access key ${off.accessKeyId} is Inactive, so nothing can sign with it` },
      },
      /** Each key is in the credentials file in plaintext: the last reason of each (D48). */
      plain: {
        never: { code: 'key-plaintext', detail: plaintext('never', never.accessKeyId, h.credentials) },
        idle: { code: 'key-plaintext', detail: plaintext('idle', idle.accessKeyId, h.credentials) },
        off: { code: 'key-plaintext', detail: plaintext('off', off.accessKeyId, h.credentials) },
      },
    };
  }

  it('--json: an attention array per profile, codes and texts, beside the top-level warnings', async () => {
    const t = await threeKeys();

    const r = await runInProcess(['iam', 'audit', '--json'], { env: t.env, clock: t.clock() });

    expect(r.code).toBe(13);
    const doc = JSON.parse(r.stdout) as { profiles: Record<string, unknown>[] } & Record<string, unknown>;
    expect(doc.profiles.map((p) => ({ name: p.name, ageDays: p.ageDays, unusedDays: p.unusedDays, attention: p.attention }))).toEqual([
      { name: 'ci', ageDays: undefined, unusedDays: undefined, attention: [] },
      { name: 'never', ageDays: 50, unusedDays: 50, attention: [t.reasons.never, t.plain.never] },
      { name: 'idle', ageDays: 50, unusedDays: 50, attention: [t.reasons.idle, t.plain.idle] },
      // Already disabled: Inactive, not also "unused" (but still a secret on disk).
      { name: 'off', ageDays: 50, unusedDays: 50, attention: [t.reasons.off, t.plain.off] },
    ]);
    expect({ maxAgeDays: doc.maxAgeDays, maxUnusedDays: doc.maxUnusedDays, needsAttention: doc.needsAttention, fileAttention: doc.fileAttention }).toEqual({
      maxAgeDays: 90,
      maxUnusedDays: 45,
      needsAttention: true,
      fileAttention: [],
    });
    expect(doc.warnings).toEqual(
      (['never', 'idle', 'off'] as const).flatMap((p) => [`profile ${p}: ${t.reasons[p].detail}`, `profile ${p}: ${t.plain[p].detail}`]),
    );
  });

  it('the table run says the same reasons, one warning line each, then exits 13', async () => {
    const t = await threeKeys();

    const r = await runInProcess(['status'], { env: t.env, clock: t.clock() });

    expect(r).toEqual({
      code: 13,
      stdout:
        'PROFILE  KIND    DETAILS\n' +
        'ci       other   credential_process\n' +
        `never    static  ${t.keys.never.accessKeyId}  Active, 50 days old, never used\n` +
        `idle     static  ${t.keys.idle.accessKeyId}  Active, 50 days old, last used ${day(t.usedAt)} (sts, us-east-1)\n` +
        `off      static  ${t.keys.off.accessKeyId}  Inactive, 50 days old, never used\n`,
      stderr:
        `awskeys: warning: profile never: ${t.reasons.never.detail}\n` +
        `awskeys: warning: profile never: ${t.plain.never.detail}\n` +
        `awskeys: warning: profile idle: ${t.reasons.idle.detail}\n` +
        `awskeys: warning: profile idle: ${t.plain.idle.detail}\n` +
        `awskeys: warning: profile off: ${t.reasons.off.detail}\n` +
        `awskeys: warning: profile off: ${t.plain.off.detail}\n` +
        'awskeys: error: 6 things need attention (the warnings above).\n',
    });
  });

  it('--max-unused moves the line: 50 days unused is fine under --max-unused 51, not under 50', async () => {
    const t = await threeKeys();

    const lenient = await runInProcess(['iam', 'audit', '--json', '--max-unused', '51'], { env: t.env, clock: t.clock() });
    const strict = await runInProcess(['iam', 'audit', '--json', '--max-unused', '50'], { env: t.env, clock: t.clock() });

    const codes = (stdout: string) => (JSON.parse(stdout) as { profiles: { attention: { code: string }[] }[] }).profiles.map((p) => p.attention.map((a) => a.code));
    expect([lenient.code, codes(lenient.stdout)]).toEqual([13, [[], ['key-plaintext'], ['key-plaintext'], ['key-inactive', 'key-plaintext']]]);
    expect([strict.code, codes(strict.stdout)]).toEqual([
      13,
      [[], ['key-never-used', 'key-plaintext'], ['key-unused', 'key-plaintext'], ['key-inactive', 'key-plaintext']],
    ]);
    expect(JSON.parse(strict.stdout)).toMatchObject({ maxUnusedDays: 50 });
  });

  it.each([
    ['--max-unused', '0', '45'],
    ['--max-unused', '4.5', '45'],
    ['--max-unused', 'soon', '45'],
    ['--max-age', '0', '90'],
    ['--max-age', '-3', '90'],
  ])('%s "%s" is a usage error (exit 2) before any call', async (flag, value, example) => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const h = await home({ credentials: '[a]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n', config: '' });

    const r = await runInProcess(['iam', 'audit', `${flag}=${value}`], { env: { ...h.env, ...ADMIN, AWS_ENDPOINT_URL_IAM: closed } });

    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: `awskeys: error: ${flag} must be a whole number of days, 1 or more (not "${value}"). (hint: for example: ${flag} ${example})\n`,
    });
  });
});

describe('awskeys iam audit asks IAM as one caller, so a key it audits keeps its real last use', () => {
  const proxies: FaultProxy[] = [];
  afterEach(async () => {
    for (const p of proxies.splice(0)) await p.close();
  });

  /** A user with two keys, the second used once through STS; the env sends IAM calls through a recording proxy. */
  async function twoKeys(prefix: string, credentials: (a: Key, b: Key) => string) {
    const since = new Date();
    const user = await createUser(prefix);
    const a = await createKey(user);
    const b = await createKey(user);
    await useKey(b);
    const h = await home({ credentials: credentials(a, b), config: '' });
    const proxy = await startFaultProxy(motoUrl());
    proxies.push(proxy);
    return { a, b, proxy, env: { ...h.env, AWS_ENDPOINT_URL_IAM: proxy.url }, clock: fakeClock(a.createdAt.getTime()), since, credentials: h.credentials };
  }

  /**
   * The days printed after "last used", each checked to be a day this test ran on. moto stamps a
   * use with its own clock, during the set-up or the audit itself, so a test that runs across
   * midnight UTC may print either day; expecting the day of the assertion would fail then.
   */
  function usedDays(stdout: string, since: Date): string[] {
    const ran = [day(since), day(new Date())];
    return [...stdout.matchAll(/last used (\d{4}-\d{2}-\d{2})/g)].map(([, printed]) => {
      expect(ran).toContain(printed);
      return printed ?? '';
    });
  }

  it('by default, the default credentials; only the row of the key they sign with is marked as including the audit', async () => {
    const t = await twoKeys('dflt', (a, b) => `[default]\n${keyLines(a)}\n[b]\n${keyLines(b)}`);

    const r = await runInProcess(['iam', 'audit'], { env: t.env, clock: t.clock });

    const [usedA, usedB] = usedDays(r.stdout, t.since);
    expect(r).toEqual({
      code: 13,
      stdout:
        'PROFILE  KIND    DETAILS\n' +
        `default  static  ${t.a.accessKeyId}  Active, 0 days old, last used ${usedA} (iam, us-east-1) (includes this audit's call)\n` +
        `b        static  ${t.b.accessKeyId}  Active, 0 days old, last used ${usedB} (sts, us-east-1)\n`,
      stderr:
        `awskeys: warning: profile default: ${plaintext('default', t.a.accessKeyId, t.credentials)}\n` +
        `awskeys: warning: profile b: ${plaintext('b', t.b.accessKeyId, t.credentials)}\n` +
        'awskeys: error: 2 things need attention (the warnings above).\n',
    });
    expect(new Set(t.proxy.seen.map((q) => q.signedBy))).toEqual(new Set([t.a.accessKeyId]));
  });

  it('--profile names that caller', async () => {
    const t = await twoKeys('via', (_a, b) => `[admin]\naws_access_key_id = testing\naws_secret_access_key = testing\n\n[k]\n${keyLines(b)}`);

    const r = await runInProcess(['iam', 'audit', '--profile', 'admin'], { env: t.env, clock: t.clock });

    const row = r.stdout.split('\n')[2] ?? '';
    const [usedB] = usedDays(row, t.since);
    expect(row).toBe(`k        static  ${t.b.accessKeyId}  Active, 0 days old, last used ${usedB} (sts, us-east-1)`);
    expect(new Set(t.proxy.seen.map((q) => q.signedBy))).toEqual(new Set(['testing']));
  });

  it('--each-key asks with each key itself, and marks every last use as including the audit', async () => {
    const t = await twoKeys('each', (a, b) => `[a]\n${keyLines(a)}\n[b]\n${keyLines(b)}`);

    const r = await runInProcess(['iam', 'audit', '--each-key'], { env: { ...t.env, ...ADMIN }, clock: t.clock });

    const [usedA, usedB] = usedDays(r.stdout, t.since);
    expect(r.stdout).toBe(
      'PROFILE  KIND    DETAILS\n' +
        `a        static  ${t.a.accessKeyId}  Active, 0 days old, last used ${usedA} (iam, us-east-1) (includes this audit's call)\n` +
        `b        static  ${t.b.accessKeyId}  Active, 0 days old, last used ${usedB} (iam, us-east-1) (includes this audit's call)\n`,
    );
    expect(r.stderr).toBe(
      "awskeys: note: with --each-key every key's last use is this audit's own call, so keys unused for 45 days or more cannot be found; " +
        'for that, ask as one caller (the default credentials or --profile NAME)\n' +
        `awskeys: warning: profile a: ${plaintext('a', t.a.accessKeyId, t.credentials)}\n` +
        `awskeys: warning: profile b: ${plaintext('b', t.b.accessKeyId, t.credentials)}\n` +
        'awskeys: error: 2 things need attention (the warnings above).\n',
    );
    const signers = (action: string) => new Set(t.proxy.seen.filter((q) => q.action === action).map((q) => `${q.signedBy} ${q.params.AccessKeyId}`));
    expect(signers('GetAccessKeyLastUsed')).toEqual(new Set([`${t.a.accessKeyId} ${t.a.accessKeyId}`, `${t.b.accessKeyId} ${t.b.accessKeyId}`]));
  });

  it('--each-key cannot be combined with --profile or --offline: exit 2', async () => {
    const h = await home({ credentials: '', config: '' });
    const withProfile = await runInProcess(['iam', 'audit', '--each-key', '--profile', 'admin'], { env: h.env });
    const withOffline = await runInProcess(['status', '--offline', '--each-key'], { env: h.env });
    expect(withProfile).toEqual({ code: 2, stdout: '', stderr: "awskeys: error: Option '--each-key' cannot be used with option '--profile <name>'. (hint: see awskeys iam audit --help)\n" });
    expect(withOffline).toEqual({ code: 2, stdout: '', stderr: "awskeys: error: Option '--each-key' cannot be used with option '--offline'. (hint: see awskeys status --help)\n" });
  });
});

interface Key {
  accessKeyId: string;
  secretAccessKey: string;
}
function keyLines(k: Key): string {
  return `aws_access_key_id = ${k.accessKeyId}\naws_secret_access_key = ${k.secretAccessKey}\n`;
}

describe('awskeys iam audit against moto with signature checks', () => {
  let moto: AuthMoto;
  beforeAll(async () => {
    moto = await startAuthMoto();
  });
  afterAll(async () => {
    await moto.stop();
  });

  it('a caller that may not look keys up: every row says so, one note, and the audit goes on', async () => {
    const { key } = await userWithKey(moto, 'audited');
    const bare = await userWithKey(moto, 'bare', { policy: false });
    const h = await home({ credentials: `[k]\n${keyLines(key)}`, config: '' });
    const env = {
      ...h.env,
      AWS_ENDPOINT_URL_IAM: moto.url,
      AWS_ENDPOINT_URL_STS: moto.url,
      AWS_ACCESS_KEY_ID: bare.key.accessKeyId,
      AWS_SECRET_ACCESS_KEY: bare.key.secretAccessKey,
    };

    const r = await runInProcess(['iam', 'audit'], { env });

    // The note is not a reason (D22); the key's place on disk is (D48).
    expect(r).toEqual({
      code: 13,
      stdout: `PROFILE  KIND    DETAILS\nk        static  ${key.accessKeyId}  age and last use unknown (caller may not call iam:GetAccessKeyLastUsed)\n`,
      stderr:
        `awskeys: note: the caller (the default credentials, ${bare.key.accessKeyId}) may not call iam:GetAccessKeyLastUsed for some keys, so their age or last use is unknown; ` +
        'pass --profile NAME for a caller allowed iam:GetAccessKeyLastUsed and iam:ListAccessKeys, or --each-key\n' +
        `awskeys: warning: profile k: ${plaintext('k', key.accessKeyId, h.credentials)}\n` +
        'awskeys: error: 1 thing needs attention (the warnings above).\n',
    });
  });

  it('--each-key: a key AWS rejects (deleted) needs attention; a key not allowed to look itself up does not', async () => {
    const { user, key } = await userWithKey(moto, 'gone');
    await moto.admin.send(new DeleteAccessKeyCommand({ UserName: user, AccessKeyId: key.accessKeyId }));
    const bare = await userWithKey(moto, 'bare', { policy: false });
    const h = await home({ credentials: `[gone]\n${keyLines(key)}[bare]\n${keyLines(bare.key)}`, config: '' });

    const r = await runInProcess(['iam', 'audit', '--each-key'], { env: { ...h.env, AWS_ENDPOINT_URL_IAM: moto.url, AWS_ENDPOINT_URL_STS: moto.url } });

    expect(r).toEqual({
      code: 13,
      stdout:
        'PROFILE  KIND    DETAILS\n' +
        `gone     static  ${key.accessKeyId}  rejected by AWS (InvalidClientTokenId)\n` +
        `bare     static  ${bare.key.accessKeyId}  age and last use unknown (key may not call iam:GetAccessKeyLastUsed)\n`,
      // A rejected key is dead: only that (D48); the other key is still a secret on disk.
      stderr:
        `awskeys: warning: profile gone: AWS rejected access key ${key.accessKeyId} (InvalidClientTokenId); it may have been deleted\n` +
        `awskeys: warning: profile bare: ${plaintext('bare', bare.key.accessKeyId, h.credentials)}\n` +
        'awskeys: error: 2 things need attention (the warnings above).\n',
    });
  });
});

describe('awskeys iam audit of vault profiles: the store is shown, the key id read from it, never a secret', () => {
  /** A key made in moto, then moved into the vault file (a real `vault move`): the profile `dev`. */
  async function inVaultFile(extraConfig = '') {
    const user = await createUser('vault');
    const key = await createKey(user);
    const h = await home({ credentials: `[dev]\n${keyLines(key)}`, config: extraConfig });
    const env = { ...h.env, ...ADMIN, ...PASSPHRASE };
    expect((await runInProcess(['vault', 'move', '--profile', 'dev', '--to', 'file'], { env })).code).toBe(0);
    return { user, key, h, env, vaultFile: join(h.dir, '.aws', 'awskeys', 'vault.enc') };
  }
  const noSecret = (r: { stdout: string; stderr: string }, secret: string) => expect(`${r.stdout}${r.stderr}`.includes(secret)).toBe(false);

  it('a key in the vault file: its store in the row and in --json, what IAM says about it, and no key-plaintext', async () => {
    const v = await inVaultFile();
    const now = new Date(v.key.createdAt.getTime() + 100 * DAY);

    const table = await runInProcess(['iam', 'audit'], { env: v.env, clock: fakeClock(now.getTime()) });
    const json = await runInProcess(['iam', 'audit', '--json'], { env: v.env, clock: fakeClock(now.getTime()) });

    const old = `access key ${v.key.accessKeyId} is 100 days old (more than 90 days); rotate it: awskeys iam rotate --profile dev`;
    const never =
      `access key ${v.key.accessKeyId} was never used in the 100 days since its creation (--max-unused 45); ` +
      `deactivate it if nothing needs it: awskeys iam deactivate-key --user ${v.user} --access-key-id ${v.key.accessKeyId}`;
    expect(table).toEqual({
      code: 13,
      stdout: `PROFILE  KIND    DETAILS\ndev      static  ${v.key.accessKeyId}  in the vault file, Active, 100 days old, never used\n`,
      stderr: `awskeys: warning: profile dev: ${old}\nawskeys: warning: profile dev: ${never}\nawskeys: error: 2 things need attention (the warnings above).\n`,
    });
    const [profile] = (JSON.parse(json.stdout) as { profiles: Record<string, unknown>[] }).profiles;
    expect(profile).toEqual({
      name: 'dev',
      kind: 'static',
      // The move leaves the profile's (now empty) section in the credentials file.
      files: ['credentials', 'config'],
      accessKeyId: v.key.accessKeyId,
      iam: 'ok',
      userName: v.user,
      status: 'Active',
      createDate: v.key.createdAt.toISOString(),
      ageDays: 100,
      lastUsed: null,
      unusedDays: 100,
      error: null,
      problem: null,
      store: 'file',
      storeProblem: null,
      attention: [
        { code: 'key-old', detail: old },
        { code: 'key-never-used', detail: never },
      ],
    });
    noSecret(table, v.key.secretAccessKey);
    noSecret(json, v.key.secretAccessKey);
  });

  // `iam audit --profile dev` reaches the vault file twice (dev's credentials for the IAM client,
  // then every vault profile's key): it asked the passphrase twice, and ran scrypt twice.
  it.each([
    ['iam audit --profile dev', 0],
    ['iam audit --each-key', 0],
    ['iam list-keys --profile dev', 0],
    ['status', 0],
    ['env --profile dev --no-session', 0],
  ])('asks the vault file\'s passphrase once per run, however many parts of `%s` open the file', async (command, code) => {
    const argv = command.split(' ');
    const v = await inVaultFile();
    const env = { ...v.env, AWSKEYS_VAULT_PASSPHRASE: undefined };
    const terminal = fakePrompter({ 'vault.passphrase': PASSPHRASE.AWSKEYS_VAULT_PASSPHRASE });
    const r = await runInProcess(argv, { env, terminal, clock: fakeClock(v.key.createdAt.getTime()) });
    expect([r.code, terminal.asked]).toEqual([code, ['vault.passphrase']]);
    expect(r.stdout).toContain(v.key.accessKeyId);
  });

  it('--each-key asks IAM with the key read from the store', async () => {
    const v = await inVaultFile();
    const proxy = await startFaultProxy(motoUrl());
    try {
      const r = await runInProcess(['iam', 'audit', '--each-key'], { env: { ...v.env, AWS_ENDPOINT_URL_IAM: proxy.url }, clock: fakeClock(v.key.createdAt.getTime()) });
      expect(r.stdout).toMatch(new RegExp(`^PROFILE  KIND    DETAILS\ndev      static  ${v.key.accessKeyId}  in the vault file, Active, 0 days old, last used \\S+ \\(iam, us-east-1\\) \\(includes this audit's call\\)\n$`));
      expect(new Set(proxy.seen.map((q) => q.signedBy))).toEqual(new Set([v.key.accessKeyId]));
      noSecret(r, v.key.secretAccessKey);
    } finally {
      await proxy.close();
    }
  });

  it('a plaintext copy left beside the vault copy (a stopped move) is key-plaintext; the move it names removes it', async () => {
    const v = await inVaultFile();
    await appendFile(v.h.credentials, keyLines(v.key));
    const clock = () => fakeClock(v.key.createdAt.getTime());

    const r = await runInProcess(['iam', 'audit', '--offline'], { env: v.env, clock: clock() });

    const detail = `a copy of access key ${v.key.accessKeyId} is still in plaintext in ${v.h.credentials} (a move into the vault file that did not finish); finish it: awskeys vault move --profile dev --to file`;
    expect(r).toEqual({
      code: 13,
      stdout: `PROFILE  KIND    DETAILS\ndev      static  ${v.key.accessKeyId}  in the vault file, age and last use not checked (--offline)\n`,
      stderr: `awskeys: warning: profile dev: ${detail}\nawskeys: error: 1 thing needs attention (the warnings above).\n`,
    });
    expect((await runInProcess(['vault', 'move', '--profile', 'dev', '--to', 'file'], { env: v.env })).code).toBe(0);
    expect((await runInProcess(['iam', 'audit', '--offline'], { env: v.env, clock: clock() })).code).toBe(0);
  });

  it('a vault profile whose store holds no key for it needs attention, on its own row; the other rows go on', async () => {
    const v = await inVaultFile('[profile lost]\ncredential_process = awskeys credential-process --profile lost\nawskeys_vault = file\n');

    const r = await runInProcess(['iam', 'audit', '--offline'], { env: v.env, clock: fakeClock(v.key.createdAt.getTime()) });

    const missing =
      `the config keeps its key in ${v.vaultFile} (awskeys_vault = file), which holds no key for it; ` +
      'store its key again (awskeys iam import --profile lost --store file), or remove the profile';
    expect(r).toEqual({
      code: 13,
      stdout:
        'PROFILE  KIND    DETAILS\n' +
        'lost     static  -  the vault file holds no key for this profile\n' +
        `dev      static  ${v.key.accessKeyId}  in the vault file, age and last use not checked (--offline)\n`,
      stderr: `awskeys: warning: profile lost: ${missing}\nawskeys: error: 1 thing needs attention (the warnings above).\n`,
    });
  });

  it('a wrong passphrase is vault-unreadable on each row of the file (asked once), and nothing is written', async () => {
    const v = await inVaultFile('[profile ops]\ncredential_process = awskeys credential-process --profile ops\nawskeys_vault = file\n');
    const before = await readFile(v.vaultFile);

    const r = await runInProcess(['iam', 'audit', '--json'], { env: { ...v.env, AWSKEYS_VAULT_PASSPHRASE: 'not it' }, clock: fakeClock(v.key.createdAt.getTime()) });

    const unreadable = {
      code: 'vault-unreadable',
      detail: `Wrong passphrase for the vault file ${v.vaultFile}; AWSKEYS_VAULT_PASSPHRASE does not open this file: set it to the file's passphrase`,
    };
    const doc = JSON.parse(r.stdout) as { profiles: Record<string, unknown>[]; warnings: string[] };
    expect(r.code).toBe(13);
    expect(doc.profiles.map((p) => ({ name: p.name, accessKeyId: p.accessKeyId, store: p.store, storeProblem: p.storeProblem, attention: p.attention }))).toEqual([
      { name: 'ops', accessKeyId: null, store: 'file', storeProblem: unreadable, attention: [unreadable] },
      { name: 'dev', accessKeyId: null, store: 'file', storeProblem: unreadable, attention: [unreadable] },
    ]);
    expect(await readFile(v.vaultFile)).toEqual(before);
  });

  it('no passphrase and no terminal: the row says the store cannot be read here, one note, and it is not a reason (exit 0)', async () => {
    const v = await inVaultFile();
    const env = { ...v.env, AWSKEYS_VAULT_PASSPHRASE: '' };

    const r = await runInProcess(['iam', 'audit', '--offline'], { env, clock: fakeClock(v.key.createdAt.getTime()) });

    const why = `No passphrase for the vault file ${v.vaultFile}, and no terminal to ask for it; set AWSKEYS_VAULT_PASSPHRASE in the environment, or run it in a terminal`;
    expect(r).toEqual({
      code: 0,
      stdout: `PROFILE  KIND    DETAILS\ndev      static  -  the vault file cannot be read here (${why})\n`,
      stderr: `awskeys: note: the key of profile dev could not be read from the vault here, so not checked: ${why}\n`,
    });
  });

  it('a vault file other users can read needs attention, like the AWS files', async () => {
    const v = await inVaultFile();
    await chmod(v.vaultFile, 0o644);

    const r = await runInProcess(['iam', 'audit', '--offline'], { env: v.env, clock: fakeClock(v.key.createdAt.getTime()) });

    expect(r.stderr).toBe(
      `awskeys: warning: ${v.vaultFile} is readable by other users (mode 0644); run: chmod 600 ${v.vaultFile}\n` + 'awskeys: error: 1 thing needs attention (the warnings above).\n',
    );
  });
});

needs(...SECRET_SERVICE_TOOLS).describe('awskeys iam audit of a keychain profile (the built binary, a real Secret Service)', () => {
  let ss: SecretService;
  beforeAll(async () => {
    await ensureBuilt();
    ss = await startSecretService();
  }, 120_000);
  afterAll(async () => (ss as SecretService | undefined)?.stop());

  it('reads the key id from the keychain and asks IAM about it; without a D-Bus session the row says so, with a note', async () => {
    const user = await createUser('kc');
    const key = await createKey(user);
    const h = await home({ credentials: `[dev]\n${keyLines(key)}`, config: '' });
    const env = { ...h.env, ...ADMIN, ...ss.env };
    expect((await runBuilt(['vault', 'move', '--profile', 'dev', '--to', 'keychain'], { env })).code).toBe(0);

    const r = await runBuilt(['iam', 'audit'], { env });
    const noBus = await runBuilt(['iam', 'audit'], { env: { ...env, DBUS_SESSION_BUS_ADDRESS: '' } });

    expect(r).toEqual({ code: 0, stdout: `PROFILE  KIND    DETAILS\ndev      static  ${key.accessKeyId}  in the keychain, Active, 0 days old, never used\n`, stderr: '' });
    expect(noBus.code).toBe(0);
    const [header, row, end] = noBus.stdout.split('\n');
    expect([header, end]).toEqual(['PROFILE  KIND    DETAILS', '']);
    expect(row?.startsWith('dev      static  -  the keychain cannot be read here (No D-Bus session to reach the keychain (Secret Service) on (')).toBe(true);
    expect(row).toMatch(/; run it in a desktop session .+\)$/);
    expect(noBus.stderr).toMatch(/^awskeys: note: the key of profile dev could not be read from the vault here, so not checked: No D-Bus session .+\n$/);
    for (const out of [r, noBus]) expect(`${out.stdout}${out.stderr}`.includes(key.secretAccessKey)).toBe(false);
    await ss.secretTool('clear', 'service', 'awskeys');
  });
});

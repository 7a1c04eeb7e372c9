import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { execFile } from 'node:child_process';
import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode, InterruptedError } from '../src/errors/cli-error.js';
import type { InputQuestion, Prompter } from '../src/prompt/prompter.js';
import { mfaPromptLockPath } from '../src/resolve/mfa-prompt-lock.js';
import { SESSION_DURATION, sessionCachePath, writeCachedSession } from '../src/resolve/mfa-session-cache.js';
import { adminIam, createKey, createUser, motoUrl, uniqueName } from './iam-fixtures.js';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js';
import { ensureBuilt } from './support/built.js';
import { binPath, repoRoot, runBuilt, runInProcess, tempHome } from './support/cli.js';
import { fakePrompter } from './support/fake-prompter.js';
import { spawnCollecting } from './support/spawn.js';
import { needs } from './support/optional-tools.js';

/**
 * MFA profiles against moto's STS behind a recording proxy: static keys + mfa_serial get a
 * GetSessionToken session (12 h alone, 1 h when it feeds a role), cached in
 * ~/.aws/awskeys/sessions so the next env / credential-process needs no code and no STS call.
 * moto accepts any SerialNumber/TokenCode and answers every GetSessionToken with the same example
 * keys, so the proxy's record is what shows the code and device were sent; a wrong code is the
 * proxy answering as STS does (AccessDenied naming MultiFactorAuthentication).
 */

const ACCOUNT = '123456789012';
const SERIAL = `arn:aws:iam::${ACCOUNT}:mfa/alice`;
const OTHER_SERIAL = `arn:aws:iam::${ACCOUNT}:mfa/role-device`;
const MOTO_SESSION_KEY = 'AKIAIOSFODNN7EXAMPLE';
const WRONG_CODE = 'MultiFactorAuthentication failed with invalid MFA one time pass code. ';

let proxy: FaultProxy;
let env: Record<string, string>;
let home: string;
let alice: { accessKeyId: string; secretAccessKey: string };
let base: { accessKeyId: string; secretAccessKey: string };
let roleArn: string;

beforeAll(ensureBuilt, 120_000);

beforeEach(async () => {
  proxy = await startFaultProxy(motoUrl());
  alice = await createKey(await createUser('mfa-alice'));
  base = await createKey(await createUser('mfa-base'));
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] };
  roleArn = (await adminIam().send(new CreateRoleCommand({ RoleName: uniqueName('mfa-role'), AssumeRolePolicyDocument: JSON.stringify(trust) }))).Role?.Arn ?? '';
  ({ home, env } = await tempHome({
    config: [
      '[profile alice]',
      `mfa_serial = ${SERIAL}`,
      'region = eu-west-1',
      '[profile deploy]',
      `role_arn = ${roleArn}`,
      'source_profile = alice',
      `mfa_serial = ${SERIAL}`,
      '[profile deploy-long]',
      `role_arn = ${roleArn}`,
      'source_profile = alice',
      'duration_seconds = 7200',
      '[profile other-device]',
      `role_arn = ${roleArn}`,
      'source_profile = alice',
      `mfa_serial = ${OTHER_SERIAL}`,
      '[profile role-mfa]',
      `role_arn = ${roleArn}`,
      'source_profile = base',
      `mfa_serial = ${SERIAL}`,
      '[profile alice-cp]',
      `credential_process = ${process.execPath} ${binPath} credential-process --profile alice`,
      '',
    ].join('\n'),
    credentials:
      `[alice]\naws_access_key_id = ${alice.accessKeyId}\naws_secret_access_key = ${alice.secretAccessKey}\n` +
      `[base]\naws_access_key_id = ${base.accessKeyId}\naws_secret_access_key = ${base.secretAccessKey}\n`,
  }));
  env = { ...env, AWS_ENDPOINT_URL_STS: proxy.url, AWS_ENDPOINT_URL_IAM: proxy.url, AWS_EC2_METADATA_DISABLED: 'true' };
});

afterEach(async () => {
  await proxy.close();
});

const sessionDir = () => join(home, '.aws', 'awskeys', 'sessions');
const sts = () => proxy.seen.map((r) => [r.action, r.signedBy, r.params.SerialNumber, r.params.TokenCode, r.params.DurationSeconds]);

/** A terminal that answers the MFA question from `codes`, one per question, and records what it was asked. */
function terminal(...codes: string[]): Prompter & { asked: string[]; check: (value: string) => string | undefined } {
  const asked: string[] = [];
  let validate: InputQuestion['validate'];
  const t = fakePrompter({});
  return {
    ...t,
    interactive: true,
    asked,
    check: (value) => validate?.(value),
    input: (q) => {
      asked.push(`${q.name}: ${q.message} [${q.flag ?? ''}]`);
      validate = q.validate;
      const code = codes.shift();
      return code === undefined ? Promise.reject(new Error('asked once too often')) : Promise.resolve(code);
    },
  };
}

async function cachedSession(durationSeconds: number) {
  const path = sessionCachePath(sessionDir(), { profile: 'alice', accessKeyId: alice.accessKeyId, serialNumber: SERIAL, durationSeconds });
  return { path, doc: JSON.parse(await readFile(path, 'utf8')) as { Credentials: Record<string, string> } & Record<string, unknown> };
}

describe('a profile with static keys and mfa_serial (no role_arn)', () => {
  it('gets a 12 h GetSessionToken session with --mfa-code, caches it 0600, and the next env (built, lean) makes no STS call', async () => {
    const first = await runInProcess(['env', '--profile', 'alice', '--mfa-code', '123456'], { env });
    expect(sts()).toEqual([['GetSessionToken', alice.accessKeyId, SERIAL, '123456', '43200']]);
    const { path, doc } = await cachedSession(SESSION_DURATION.alone);
    const c = doc.Credentials;
    expect({ ...doc, Credentials: Object.keys(c) }).toEqual({
      Profile: 'alice',
      SourceAccessKeyId: alice.accessKeyId,
      SerialNumber: SERIAL,
      DurationSeconds: 43200,
      Credentials: ['AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration'],
    });
    expect(c.AccessKeyId).toBe(MOTO_SESSION_KEY);
    expect(Date.parse(c.Expiration ?? '') - Date.now()).toBeGreaterThan(11.9 * 3600_000);
    expect(first).toEqual({
      code: 0,
      stdout: [
        `export AWS_ACCESS_KEY_ID='${MOTO_SESSION_KEY}'`,
        `export AWS_SECRET_ACCESS_KEY='${c.SecretAccessKey}'`,
        `export AWS_SESSION_TOKEN='${c.SessionToken}'`,
        `export AWS_CREDENTIAL_EXPIRATION='${c.Expiration}'`,
        `export AWS_REGION='eu-west-1'`,
        `export AWS_DEFAULT_REGION='eu-west-1'`,
        '',
      ].join('\n'),
      stderr: '',
    });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(sessionDir())).mode & 0o777).toBe(0o700);
    expect((await stat(join(home, '.aws', 'awskeys'))).mode & 0o777).toBe(0o700);

    const traced = await runBuilt(['env', '--profile', 'alice'], { env: { ...env, NODE_DEBUG: 'module,esm' } });
    expect(traced.code).toBe(0);
    expect(traced.stdout).toBe(first.stdout);
    expect(traced.stderr).toMatch(/dist\/entry\.cjs/);
    expect(traced.stderr).not.toMatch(/full-entry|@aws-sdk|@smithy/);
    expect(proxy.seen).toHaveLength(1);
  });

  it('asks on the terminal when no --mfa-code is given, accepting a pasted "123 456", and credential-process reuses the session', async () => {
    const tty = terminal('123 456\n');
    const r = await runInProcess(['env', '--profile', 'alice', '--format', 'json'], { env, terminal: tty });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(tty.asked).toEqual([`mfa.code: MFA code for ${SERIAL} [--mfa-code]`]);
    expect([tty.check('12345'), tty.check('1234567'), tty.check('12a456'), tty.check(' 123 456 ')]).toEqual([
      'Type the 6 digits the MFA device shows.',
      'Type the 6 digits the MFA device shows.',
      'Type the 6 digits the MFA device shows.',
      undefined,
    ]);
    expect(sts()).toEqual([['GetSessionToken', alice.accessKeyId, SERIAL, '123456', '43200']]);

    const cp = await runBuilt(['credential-process', '--profile', 'alice'], { env });
    expect(cp.stderr).toBe('');
    expect(JSON.parse(cp.stdout)).toEqual({ ...(JSON.parse(r.stdout) as object), Version: 1 });
    expect(proxy.seen).toHaveLength(1);
  });

  it('without a code and without a terminal: exit 7 naming --mfa-code, no STS call, nothing cached', async () => {
    const r = await runInProcess(['credential-process', '--profile', 'alice'], { env });
    expect(r).toEqual({
      code: ExitCode.NeedsInput,
      stdout: '',
      stderr: `awskeys: error: Profile alice needs a code from MFA device ${SERIAL}, and there is no terminal to ask on. (hint: pass --mfa-code CODE with the 6 digits the device shows, e.g. awskeys credential-process --profile alice --mfa-code 123456; the session is then cached)\n`,
    });
    expect(proxy.seen).toEqual([]);
    expect(await readdir(sessionDir())).toEqual([]); // the prompt's lock was there, and is gone
  });

  it('the built binary in a process without a controlling terminal (setsid) hands over and exits 7', async () => {
    const { exited } = spawnCollecting(process.execPath, [binPath, 'env', '--profile', 'alice'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, ...env },
      detached: true,
    });
    const r = await exited;
    expect(r.code).toBe(ExitCode.NeedsInput);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `awskeys: error: Profile alice needs a code from MFA device ${SERIAL}, and there is no terminal to ask on. (hint: pass --mfa-code CODE with the 6 digits the device shows, e.g. awskeys env --profile alice --mfa-code 123456; the session is then cached)\n`,
    );
    expect(proxy.seen).toEqual([]);
  });

  it('a code AWS refuses: from --mfa-code, exit 24 and nothing cached; typed, asked again with the reason', async () => {
    proxy.faults.push({ action: 'GetSessionToken', effect: 'deny', message: WRONG_CODE, times: 1 });
    const r = await runInProcess(['env', '--profile', 'alice', '--mfa-code', '111111'], { env });
    expect(r).toEqual({
      code: ExitCode.MfaRefused,
      stdout: '',
      stderr: `awskeys: error: AWS did not accept the MFA code for ${SERIAL} (profile alice): it was wrong, expired, or already used once. (hint: wait for the device to show a new code and run it again with that code in --mfa-code; if it keeps failing, check mfa_serial of profile alice)\n`,
    });
    expect(await readdir(sessionDir())).toEqual([]);

    proxy.faults.push({ action: 'GetSessionToken', effect: 'deny', message: WRONG_CODE, times: 1 });
    const tty = terminal('222222', '333333');
    const again = await runInProcess(['env', '--profile', 'alice'], { env, terminal: tty });
    expect([again.code, again.stderr]).toEqual([0, '']);
    expect(tty.asked).toEqual([
      `mfa.code: MFA code for ${SERIAL} [--mfa-code]`,
      `mfa.code: AWS did not accept that code (wrong, expired, or used already); wait for the next one. MFA code for ${SERIAL} [--mfa-code]`,
    ]);
    expect(sts().map((c) => c[3])).toEqual(['111111', '222222', '333333']);
  });

  it('gives up after three refused codes typed on the terminal: exit 24', async () => {
    proxy.faults.push({ action: 'GetSessionToken', effect: 'deny', message: WRONG_CODE });
    const r = await runInProcess(['env', '--profile', 'alice'], { env, terminal: terminal('111111', '222222', '333333') });
    expect(r.code).toBe(ExitCode.MfaRefused);
    expect(r.stderr).toMatch(/^awskeys: error: AWS did not accept the MFA code for .* \(hint: wait for the device to show a new code and run it again; if it keeps failing, check mfa_serial of profile alice\)\n$/);
    expect(proxy.seen).toHaveLength(3);
  });

  it('a malformed --mfa-code is a usage error before anything is read or sent', async () => {
    const r = await runInProcess(['env', '--profile', 'alice', '--mfa-code', '12345'], { env });
    expect(r).toEqual({ code: ExitCode.Usage, stdout: '', stderr: 'awskeys: error: --mfa-code must be the 6 digits the MFA device shows. (hint: e.g. --mfa-code 123456)\n' });
    expect(proxy.seen).toEqual([]);
  });

  it('replaces a session with 15 minutes or less left, and ignores an entry made with another key', async () => {
    const key = { profile: 'alice', accessKeyId: alice.accessKeyId, serialNumber: SERIAL, durationSeconds: SESSION_DURATION.alone };
    const soon = new Date(Date.now() + 14 * 60_000);
    await writeCachedSession(sessionDir(), key, { accessKeyId: 'ASIASTALE', secretAccessKey: 's', sessionToken: 't', expiration: soon });
    const r = await runInProcess(['env', '--profile', 'alice', '--mfa-code', '123456', '--format', 'json'], { env });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { AccessKeyId: string }).AccessKeyId).toBe(MOTO_SESSION_KEY);
    expect(proxy.seen).toHaveLength(1);

    // The same file name with another source key id inside (a hand-copied cache): a miss.
    const { path, doc } = await cachedSession(SESSION_DURATION.alone);
    await writeFile(path, JSON.stringify({ ...doc, SourceAccessKeyId: 'AKIAOTHER' }));
    const miss = await runInProcess(['env', '--profile', 'alice'], { env });
    expect(miss.code).toBe(ExitCode.NeedsInput);
  });

  it('a session cache file left 0644 is 0600 once the new session is written into it, and stderr says so once', async () => {
    const key = { profile: 'alice', accessKeyId: alice.accessKeyId, serialNumber: SERIAL, durationSeconds: SESSION_DURATION.alone };
    const soon = new Date(Date.now() + 14 * 60_000);
    await writeCachedSession(sessionDir(), key, { accessKeyId: 'ASIASTALE', secretAccessKey: 's', sessionToken: 't', expiration: soon });
    const { path } = await cachedSession(SESSION_DURATION.alone);
    await chmod(path, 0o644);
    const r = await runInProcess(['env', '--profile', 'alice', '--mfa-code', '123456', '--format', 'json'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`awskeys: warning: ${path} was readable by other users (mode 0644); it is now 0600\n`);
    expect((await stat(path)).mode & 0o7777).toBe(0o600);
  });

  needs('botocore').it('botocore gets the cached session through credential_process = awskeys credential-process, with no code and no STS call', async () => {
    const first = await runInProcess(['credential-process', '--profile', 'alice', '--mfa-code', '123456'], { env });
    const doc = JSON.parse(first.stdout) as Record<string, string>;
    const script = 'import json, botocore.session\nc = botocore.session.Session(profile="alice-cp").get_credentials().get_frozen_credentials()\nprint(json.dumps([c.access_key, c.secret_key, c.token]))';
    const { stdout } = await promisify(execFile)('python3', ['-c', script], { env: { PATH: process.env.PATH, ...env } });
    expect(JSON.parse(stdout)).toEqual([doc.AccessKeyId, doc.SecretAccessKey, doc.SessionToken]);
    expect(proxy.seen).toHaveLength(1);
  });
});

describe('assume-role profiles with mfa_serial', () => {
  it('source with the same mfa_serial: a 1 h MFA session feeds AssumeRole (no second code), and alice alone then reuses that session', async () => {
    const r = await runInProcess(['env', '--profile', 'deploy', '--format', 'json'], { env, terminal: terminal('123456') });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(sts()).toEqual([
      ['GetSessionToken', alice.accessKeyId, SERIAL, '123456', '3600'],
      ['AssumeRole', MOTO_SESSION_KEY, undefined, undefined, undefined],
    ]);
    expect((JSON.parse(r.stdout) as { AccessKeyId: string }).AccessKeyId).toMatch(/^ASIA/);
    const { doc } = await cachedSession(SESSION_DURATION.feedingRole);
    expect(doc.DurationSeconds).toBe(3600);

    // Both are cached: the role in the AWS CLI's cache, the session in awskeys' own.
    const again = await runBuilt(['env', '--profile', 'deploy', '--format', 'json'], { env });
    expect(again).toEqual(r);
    const aliceAlone = await runBuilt(['env', '--profile', 'alice', '--format', 'json'], { env });
    expect(aliceAlone.code).toBe(0);
    expect((JSON.parse(aliceAlone.stdout) as { SessionToken: string }).SessionToken).toBe(doc.Credentials.SessionToken);
    expect(proxy.seen).toHaveLength(2);
  });

  it('a role with another device: the session proves alice\'s, AssumeRole carries the second code', async () => {
    const tty = terminal('111111', '222222');
    const r = await runInProcess(['env', '--profile', 'other-device'], { env, terminal: tty });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(tty.asked).toEqual([`mfa.code: MFA code for ${SERIAL} [--mfa-code]`, `mfa.code: MFA code for ${OTHER_SERIAL} [--mfa-code]`]);
    expect(sts()).toEqual([
      ['GetSessionToken', alice.accessKeyId, SERIAL, '111111', '3600'],
      ['AssumeRole', MOTO_SESSION_KEY, OTHER_SERIAL, '222222', undefined],
    ]);
  });

  it('a role longer than 1 h from an MFA user: AssumeRole with the long-term keys and the code, no session', async () => {
    const r = await runInProcess(['env', '--profile', 'deploy-long', '--mfa-code', '123456'], { env });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(sts()).toEqual([['AssumeRole', alice.accessKeyId, SERIAL, '123456', '7200']]);
    expect(await readdir(sessionDir())).toEqual([]); // no session; the prompt's lock is gone
  });

  it('source without mfa_serial: AssumeRole with the code (as botocore), cached under botocore\'s key; a second call asks nothing', async () => {
    const r = await runInProcess(['credential-process', '--profile', 'role-mfa', '--mfa-code', '654321'], { env });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(sts()).toEqual([['AssumeRole', base.accessKeyId, SERIAL, '654321', undefined]]);
    const again = await runBuilt(['credential-process', '--profile', 'role-mfa'], { env });
    expect(again).toEqual(r);
    expect(proxy.seen).toHaveLength(1);
  });

  it('a refused code on AssumeRole: exit 24, not the trust-policy hint', async () => {
    proxy.faults.push({ action: 'AssumeRole', effect: 'deny', message: WRONG_CODE });
    const r = await runInProcess(['env', '--profile', 'role-mfa', '--mfa-code', '654321'], { env });
    expect(r.code).toBe(ExitCode.MfaRefused);
    expect(r.stderr).toBe(
      `awskeys: error: AWS did not accept the MFA code for ${SERIAL} (profile role-mfa): it was wrong, expired, or already used once. (hint: wait for the device to show a new code and run it again with that code in --mfa-code; if it keeps failing, check mfa_serial of profile role-mfa)\n`,
    );
  });
});

describe('two runs that need a code from the same MFA device at once', () => {
  /** Resolves once `text()` contains `part` (another run's stderr, growing while it runs). */
  async function until(text: () => string, part: string): Promise<void> {
    for (let waited = 0; !text().includes(part); waited += 20) {
      if (waited > 20_000) throw new Error(`never saw ${JSON.stringify(part)} in ${JSON.stringify(text())}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** A terminal whose one MFA question is answered only after `before()` (the other run is waiting by then). */
  function gatedTerminal(code: string | Error, before: () => Promise<void>): Prompter & { asked: string[] } {
    const t = terminal();
    return {
      ...t,
      input: async (q) => {
        t.asked.push(q.name);
        await before();
        if (code instanceof Error) throw code;
        return code;
      },
    };
  }

  const waitingLine = `Another awskeys (process ${process.pid}) is asking for a code from MFA device ${SERIAL}: waiting for it, to use what it gets (Ctrl-C stops).\n`;

  it('the built credential-process without a terminal waits for the prompt of an env run, then serves its cached session: one GetSessionToken', async () => {
    let other: ReturnType<typeof spawnCollecting> | undefined;
    const asker = gatedTerminal('123456', async () => {
      other = spawnCollecting(process.execPath, [binPath, 'credential-process', '--profile', 'alice'], {
        cwd: repoRoot,
        env: { PATH: process.env.PATH, ...env, CI: 'true' },
      });
      await until(() => other?.out.stderr ?? '', 'waiting for it');
    });
    const first = await runInProcess(['env', '--profile', 'alice', '--format', 'json'], { env, terminal: asker });
    const second = await other?.exited;

    expect(sts()).toEqual([['GetSessionToken', alice.accessKeyId, SERIAL, '123456', '43200']]);
    expect([first.code, first.stderr, asker.asked]).toEqual([0, '', ['mfa.code']]);
    expect([second?.code, second?.stderr]).toEqual([0, waitingLine]);
    const exported = JSON.parse(first.stdout) as Record<string, string>;
    const served = JSON.parse(second?.stdout ?? '') as Record<string, unknown>;
    expect(served).toEqual({
      Version: 1,
      AccessKeyId: exported.AccessKeyId,
      SecretAccessKey: exported.SecretAccessKey,
      SessionToken: exported.SessionToken,
      Expiration: expect.any(String) as unknown,
      AccountId: ACCOUNT,
    });
  });

  it("a role's own mfa_serial: the second env run asks nothing and gets the first one's AssumeRole credentials: one AssumeRole", async () => {
    let secondErr = '';
    let second: Promise<Awaited<ReturnType<typeof runInProcess>>> | undefined;
    const never = terminal();
    const asker = gatedTerminal('654321', async () => {
      second = runInProcess(['env', '--profile', 'role-mfa', '--format', 'json'], { env, terminal: never, onStderr: (t) => (secondErr += t) });
      await until(() => secondErr, 'waiting for it');
    });
    const first = await runInProcess(['env', '--profile', 'role-mfa', '--format', 'json'], { env, terminal: asker });
    const other = await second;

    expect(sts()).toEqual([['AssumeRole', base.accessKeyId, SERIAL, '654321', undefined]]);
    expect([first.code, first.stderr, other?.code, other?.stderr, never.asked]).toEqual([0, '', 0, waitingLine, []]);
    expect(other?.stdout).toBe(first.stdout);
  });

  it('Ctrl-C while waiting: exit 130, nothing written; the prompt it waited for goes on', async () => {
    const controller = new AbortController();
    let secondErr = '';
    let second: Promise<Awaited<ReturnType<typeof runInProcess>>> | undefined;
    const asker = gatedTerminal('123456', async () => {
      second = runInProcess(['env', '--profile', 'alice'], { env, terminal: terminal(), signal: controller.signal, onStderr: (t) => (secondErr += t) });
      await until(() => secondErr, 'waiting for it');
      controller.abort();
      await second;
    });
    const first = await runInProcess(['env', '--profile', 'alice'], { env, terminal: asker });
    expect(await second).toEqual({
      code: ExitCode.Interrupted,
      stdout: '',
      stderr: `${waitingLine}awskeys: error: Interrupted while waiting for the lock ${mfaPromptLockPath(sessionDir(), SERIAL)}.lock; nothing was written.\n`,
    });
    expect(first.code).toBe(0);
    expect(sts()).toHaveLength(1);
    expect((await readdir(sessionDir())).filter((n) => n.endsWith('.lock'))).toEqual([]);
  });

  it('a prompt that ends without a session (Ctrl-C there): the waiting run then asks for its own code', async () => {
    let secondErr = '';
    let second: Promise<Awaited<ReturnType<typeof runInProcess>>> | undefined;
    const own = terminal('222222');
    const asker = gatedTerminal(new InterruptedError(), async () => {
      second = runInProcess(['env', '--profile', 'alice', '--format', 'json'], { env, terminal: own, onStderr: (t) => (secondErr += t) });
      await until(() => secondErr, 'waiting for it');
    });
    const first = await runInProcess(['env', '--profile', 'alice'], { env, terminal: asker });
    const other = await second;

    expect(first.code).toBe(ExitCode.Interrupted);
    expect([other?.code, other?.stderr, own.asked.length]).toEqual([0, waitingLine, 1]);
    expect(sts()).toEqual([['GetSessionToken', alice.accessKeyId, SERIAL, '222222', '43200']]);
  });
});

import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminIam, createKey, createUser, motoUrl, uniqueName } from './iam-fixtures.js';
import { ensureBuilt } from './support/built.js';
import { binPath, repoRoot, runBuilt, runInProcess, tempHome } from './support/cli.js';
import { spawnCollecting } from './support/spawn.js';
import { needs } from './support/optional-tools.js';

/**
 * `awskeys exec` with real processes: the built binary runs a real child (node, sh, python's
 * botocore), and real signals are sent to awskeys while the child runs.
 */

let home: string;
let env: Record<string, string>;

beforeAll(ensureBuilt, 120_000);

beforeEach(async () => {
  ({ home, env } = await tempHome({
    config: '[profile static]\nregion = us-west-2\n[profile no-region]\n',
    credentials: [
      '[static]',
      'aws_access_key_id = AKIASTATIC',
      'aws_secret_access_key = static+secret/x=',
      'aws_session_token = static-token',
      '[no-region]',
      'aws_access_key_id = AKIANOREGION',
      'aws_secret_access_key = nr-secret',
      '',
    ].join('\n'),
  }));
  env = { ...env, PATH: process.env.PATH ?? '/usr/bin:/bin', AWS_EC2_METADATA_DISABLED: 'true' };
});

// The child prints its whole environment as JSON.
const PRINT_ENV = [process.execPath, '-e', 'process.stdout.write(JSON.stringify(process.env))'];

describe('awskeys exec: the environment the command gets', () => {
  it('is the parent one, less every other credential variable, plus the keys, region and profile marker', async () => {
    const parent = {
      ...env,
      AWS_PROFILE: 'elsewhere',
      AWS_DEFAULT_PROFILE: 'elsewhere',
      AWS_SECURITY_TOKEN: 'stale',
      AWS_CREDENTIAL_EXPIRATION: '2020-01-01T00:00:00Z',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/old',
      KEEP_ME: 'yes',
    };
    const result = await runBuilt(['exec', '--profile', 'static', '--', ...PRINT_ENV], { env: parent });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      ...env,
      KEEP_ME: 'yes',
      AWS_ACCESS_KEY_ID: 'AKIASTATIC',
      AWS_SECRET_ACCESS_KEY: 'static+secret/x=',
      AWS_SESSION_TOKEN: 'static-token',
      AWS_REGION: 'us-west-2',
      AWS_DEFAULT_REGION: 'us-west-2',
      AWSKEYS_PROFILE: 'static',
    });
  });

  it('takes the profile from AWS_PROFILE like env, and drops a stale session token when the keys have none', async () => {
    const result = await runBuilt(['exec', ...PRINT_ENV], { env: { ...env, AWS_PROFILE: 'no-region', AWS_SESSION_TOKEN: 'stale', AWS_REGION: 'eu-north-1' } });
    const child = JSON.parse(result.stdout) as Record<string, string>;
    expect(Object.fromEntries(Object.entries(child).filter(([k]) => k.startsWith('AWS')))).toEqual({
      AWS_CONFIG_FILE: env.AWS_CONFIG_FILE,
      AWS_SHARED_CREDENTIALS_FILE: env.AWS_SHARED_CREDENTIALS_FILE,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: 'AKIANOREGION',
      AWS_SECRET_ACCESS_KEY: 'nr-secret',
      AWS_REGION: 'eu-north-1',
      AWSKEYS_PROFILE: 'no-region',
    });
  });

  it('options after the command belong to the command (no -- needed)', async () => {
    const result = await runBuilt(['exec', '-p', 'static', 'sh', '-c', 'printf "%s|" "$@"', 'sh', '--profile', 'x', '--', '-p'], { env });
    expect(result).toEqual({ code: 0, stdout: '--profile|x|--|-p|', stderr: '' });
  });

  needs('botocore').it('an assume-role profile: botocore in the child calls STS as the assumed role', async () => {
    const base = await createKey(await createUser('exec-base'));
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }] };
    const role = await adminIam().send(new CreateRoleCommand({ RoleName: uniqueName('exec-role'), AssumeRolePolicyDocument: JSON.stringify(trust) }));
    await writeFile(env.AWS_CONFIG_FILE ?? '', `[profile deploy]\nrole_arn = ${role.Role?.Arn ?? ''}\nsource_profile = base\nregion = eu-west-1\n`);
    await writeFile(env.AWS_SHARED_CREDENTIALS_FILE ?? '', `[base]\naws_access_key_id = ${base.accessKeyId}\naws_secret_access_key = ${base.secretAccessKey}\n`);
    const script = [
      'import json, botocore.session',
      's = botocore.session.Session()',
      "print(json.dumps([s.get_credentials().method, s.create_client('sts').get_caller_identity()['Arn']]))",
    ].join('\n');
    const result = await runBuilt(['exec', '-p', 'deploy', '--', 'python3', '-c', script], { env: { ...env, AWS_ENDPOINT_URL_STS: motoUrl() } });
    expect(result.stderr).toBe('');
    const [method, arn] = JSON.parse(result.stdout) as [string, string];
    expect(method).toBe('env');
    expect(arn).toMatch(/^arn:aws:sts::123456789012:assumed-role\/exec-role-[0-9a-f]+\/awskeys-\d+$/);
  });
});

describe('awskeys exec: exit status', () => {
  it.each([0, 1, 3, 42, 255])("is the command's exit code (%i), with nothing of awskeys' own on stderr", async (code) => {
    expect(await runBuilt(['exec', '-p', 'static', '--', 'sh', '-c', `exit ${code}`], { env })).toEqual({ code, stdout: '', stderr: '' });
  });

  it.each([
    ['SIGKILL', 137],
    ['SIGTERM', 143],
    ['SIGSEGV', 139],
  ])('is 128+n when signal n ends the command (%s)', async (signal, code) => {
    expect(await runBuilt(['exec', '-p', 'static', '--', 'sh', '-c', `kill -${signal.slice(3)} $$`], { env })).toEqual({ code, stdout: '', stderr: '' });
  });

  it('127 and one line when the command does not exist', async () => {
    expect(await runBuilt(['exec', '-p', 'static', '--', 'no-such-command-xyz', 'a'], { env })).toEqual({
      code: 127,
      stdout: '',
      stderr: 'awskeys: error: Command not found: no-such-command-xyz. (hint: check the spelling and PATH, or give the path to the program)\n',
    });
  });

  it('126 and one line when it is not executable', async () => {
    const file = join(home, 'script.sh');
    await writeFile(file, '#!/bin/sh\necho hi\n');
    await chmod(file, 0o644);
    expect(await runBuilt(['exec', '-p', 'static', '--', file], { env })).toEqual({
      code: 126,
      stdout: '',
      stderr: `awskeys: error: Cannot run ${file}: it is not an executable program (or permission is denied). (hint: make it executable (chmod +x), or run it through its interpreter, e.g. -- sh ${file})\n`,
    });
  });

  it('a profile that cannot be resolved stops before anything runs, with env\'s error and code', async () => {
    const marker = join(home, 'ran');
    const result = await runBuilt(['exec', '-p', 'missing', '--', 'touch', marker], { env });
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/^awskeys: error: No profile named missing in .*\n$/);
    expect(result.stdout).toBe('');
  });

  it('a command is required', async () => {
    const result = await runInProcess(['exec', '-p', 'static'], { env });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: "awskeys: error: Missing required argument 'command'. (hint: see awskeys exec --help)\n",
    });
  });
});

describe('awskeys exec inside awskeys exec', () => {
  it('stops with exit 22 naming the active profile', async () => {
    const result = await runBuilt(['exec', '-p', 'static', '--', 'true'], { env: { ...env, AWSKEYS_PROFILE: 'outer' } });
    expect(result).toEqual({
      code: 22,
      stdout: '',
      stderr:
        'awskeys: error: Already inside awskeys exec for profile outer (AWSKEYS_PROFILE is set). (hint: exit that shell first, or pass --nested if running inside it is meant)\n',
    });
  });

  it('runs with --nested, and the marker names the inner profile', async () => {
    const inner = `${process.execPath} ${binPath} exec --nested -p no-region -- sh -c 'echo "$AWSKEYS_PROFILE $AWS_ACCESS_KEY_ID"'`;
    const result = await runBuilt(['exec', '-p', 'static', '--', 'sh', '-c', `echo "$AWSKEYS_PROFILE $AWS_ACCESS_KEY_ID"; ${inner}`], { env });
    expect(result).toEqual({ code: 0, stdout: 'static AKIASTATIC\nno-region AKIANOREGION\n', stderr: '' });
  });
});

// A child that reports every signal it receives, and exits 5 on SIGTERM.
const SIGNAL_REPORTER = [
  "for (const s of ['SIGINT','SIGHUP','SIGQUIT','SIGUSR1','SIGUSR2','SIGWINCH']) process.on(s, () => console.log('got ' + s));",
  "process.on('SIGTERM', () => { console.log('got SIGTERM'); process.exit(5); });",
  "console.log('ready'); setInterval(() => {}, 1000);",
].join('\n');

describe('awskeys exec: signals', () => {
  it('passes INT, HUP, QUIT, USR1, USR2, WINCH and TERM on to the command, each once, and ends with its status', async () => {
    // Run without a terminal (as under a supervisor or `timeout`): nothing else delivers them.
    const run = spawnCollecting(process.execPath, [binPath, 'exec', '-p', 'static', '--', process.execPath, '-e', SIGNAL_REPORTER], {
      env,
      cwd: repoRoot,
    });
    const lines = () => run.out.stdout.split('\n').filter(Boolean);
    await until(() => lines().includes('ready'));
    const order = ['SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH', 'SIGTERM'] as const;
    for (const signal of order) {
      run.child.kill(signal);
      await until(() => lines().includes(`got ${signal}`));
    }
    const result = await run.exited;
    expect(result).toEqual({ code: 5, stdout: ['ready', ...order.map((s) => `got ${s}`), ''].join('\n'), stderr: '' });
  });

  it('a TERM the command does not handle ends it, and awskeys with 143', async () => {
    const run = spawnCollecting(process.execPath, [binPath, 'exec', '-p', 'static', '--', 'sh', '-c', 'echo ready; exec sleep 30'], { env });
    await until(() => run.out.stdout.includes('ready'));
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 143, stdout: 'ready\n', stderr: '' });
  });

  it('a shell child that traps TERM reports it and exits with its own code', async () => {
    const script = 'trap "echo trapped TERM; exit 9" TERM; echo ready; while :; do sleep 0.05; done';
    const run = spawnCollecting(process.execPath, [binPath, 'exec', '-p', 'static', '--', 'sh', '-c', script], { env });
    await until(() => run.out.stdout.includes('ready'));
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 9, stdout: 'ready\ntrapped TERM\n', stderr: '' });
  });
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

import { describe, expect, it } from 'vitest';
import { runInProcess } from '../../test/support/cli.js';
import { VERSION } from './main.js';

describe('awskeys (the command table)', () => {
  it('prints its version on stdout and exits 0', async () => {
    const r = await runInProcess(['--version'], { env: {} });
    expect(r).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it.each([
    [[], 'awskeys needs a command. (hint: one of iam, status, sso, env, credential-process, exec, console, login, logout, vault, completion; see awskeys --help)'],
    [
      ['iam'],
      'awskeys iam needs a command. (hint: one of create-key, list-keys, activate-key, deactivate-key, delete-key, rotate, audit, import; see awskeys iam --help)',
    ],
    [['sso'], 'awskeys sso needs a command. (hint: one of login, populate, logout; see awskeys sso --help)'],
    [['vault'], 'awskeys vault needs a command. (hint: one of list, remove, move; see awskeys vault --help)'],
  ])('without a command, %j is one usage error line naming the commands (exit 2), not the whole help', async (argv, line) => {
    expect(await runInProcess(argv, { env: {} })).toEqual({ code: 2, stdout: '', stderr: `awskeys: error: ${line}\n` });
  });

  it.each([
    [['--help'], 'awskeys'],
    [['-h'], 'awskeys'],
    [['help'], 'awskeys'],
    [['iam', '--help'], 'awskeys iam'],
    [['help', 'sso'], 'awskeys sso'],
  ])('prints usage on stdout and exits 0 for %j, when asked for', async (argv, command) => {
    const r = await runInProcess(argv, { env: {} });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.startsWith(`Usage: ${command} [options] [command]\n`)).toBe(true);
  });

  // Commander's own usage errors come out in the format of every other error (issue 8, item 7).
  it.each([
    [['frobnicate'], "Unknown command 'frobnicate'. (hint: see awskeys --help)"],
    [['help', 'frobnicate'], "Unknown command 'frobnicate'. (hint: see awskeys --help)"],
    [['iam', 'help', 'frob'], "Unknown command 'frob'. (hint: see awskeys iam --help)"],
    [['iam', 'lst-keys'], "Unknown command 'lst-keys'. (hint: did you mean list-keys? see awskeys iam --help)"],
    [['iam', 'list-keys', '--bogus'], "Unknown option '--bogus'. (hint: see awskeys iam list-keys --help)"],
    [['iam', 'list-keys', '--prfile', 'x'], "Unknown option '--prfile'. (hint: did you mean --profile? see awskeys iam list-keys --help)"],
    [['iam', 'list-keys', '--user'], "Option '--user <name>' argument missing. (hint: see awskeys iam list-keys --help)"],
    [['iam', 'list-keys', 'alice'], "Too many arguments for 'list-keys'. Expected 0 arguments but got 1. (hint: see awskeys iam list-keys --help)"],
    [['iam', 'delete-key', '--yes'], "Required option '--access-key-id <id>' not specified. (hint: see awskeys iam delete-key --help)"],
    [
      ['env', '--format', 'xml'],
      "Option '-f, --format <format>' argument 'xml' is invalid. Allowed choices are sh, fish, powershell, cmd, dotenv, json. (hint: see awskeys env --help)",
    ],
  ])('reports the usage error of %j as one line, exit 2', async (argv, line) => {
    expect(await runInProcess(argv, { env: {} })).toEqual({ code: 2, stdout: '', stderr: `awskeys: error: ${line}\n` });
  });

  it('shows an unknown option pasted with escape sequences as visible text, on one line', async () => {
    const r = await runInProcess(['iam', 'list-keys', '--\x1b[2Jx\ny'], { env: {} });
    expect(r).toEqual({ code: 2, stdout: '', stderr: "awskeys: error: Unknown option '--\\x1b[2Jx\\ny'. (hint: see awskeys iam list-keys --help)\n" });
  });

  // An unset shell variable (`--user "$U"`) must not act on the caller's own user or the default profile.
  it.each([
    [['iam', 'list-keys', '--user', ''], '--user', 'iam list-keys'],
    [['iam', 'create-key', '--user=', '--format', 'json'], '--user', 'iam create-key'],
    [['iam', 'rotate', '--profile', ''], '--profile', 'iam rotate'],
    [['env', '--profile', ''], '--profile', 'env'],
    [['credential-process', '-p', ''], '--profile', 'credential-process'],
    [['exec', '--profile', '', '--', 'true'], '--profile', 'exec'],
    [['console', '--profile='], '--profile', 'console'],
    [['sso', 'login', '--profile', ''], '--profile', 'sso login'],
    [['iam', 'create-key', '--user', 'alice', '--write-profile', ''], '--write-profile', 'iam create-key'],
  ])('rejects the empty value in %j as a usage error (exit 2) before doing anything', async (argv, flag, command) => {
    expect(await runInProcess(argv, { env: {} })).toEqual({
      code: 2,
      stdout: '',
      stderr: `awskeys: error: ${flag} was given an empty value. (hint: give ${flag} a value, or leave it out; see awskeys ${command} --help)\n`,
    });
  });
});

describe('toCliError', () => {
  it('maps an SDK request aborted by Ctrl-C to exit 130', async () => {
    const { toCliError } = await import('../aws-sdk/aws-errors.js');
    const err = Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    expect(toCliError(err, 'ListAccessKeys')).toMatchObject({ exitCode: 130, message: 'ListAccessKeys: interrupted.' });
  });

  it('maps a refused connection to the network exit code 8 with the address', async () => {
    const { toCliError } = await import('../aws-sdk/aws-errors.js');
    const err = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 9 });
    expect(toCliError(err, 'GetUser')).toMatchObject({
      exitCode: 8,
      message: 'GetUser: cannot reach AWS (127.0.0.1:9): ECONNREFUSED.',
    });
  });
});

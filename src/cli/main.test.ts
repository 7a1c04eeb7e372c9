import { describe, expect, it } from 'vitest';
import { runInProcess } from '../../test/support/cli.js';
import { VERSION } from './main.js';

describe('awskeys (the command table)', () => {
  it('prints its version on stdout and exits 0', async () => {
    const r = await runInProcess(['--version'], { env: {} });
    expect(r).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it.each([[[]], [['iam']], [['sso']]])(
    'prints usage on stderr and exits 2 when %j lacks a command, the same text --help prints on stdout',
    async (argv) => {
      const asked = await runInProcess([...argv, '--help'], { env: {} });
      const r = await runInProcess(argv, { env: {} });
      expect(r).toEqual({ code: 2, stdout: '', stderr: asked.stdout });
      expect(r.stderr).toMatch(new RegExp(`^Usage: ${['awskeys', ...argv].join(' ')} \\[options\\] \\[command\\]\n`));
    },
  );

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

  it('rejects an unknown command with usage exit code 2 and a message on stderr only', async () => {
    const r = await runInProcess(['frobnicate'], { env: {} });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^awskeys: /);
  });
});

describe('toCliError', () => {
  it('maps an SDK request aborted by Ctrl-C to exit 130', async () => {
    const { toCliError } = await import('../aws-errors.js');
    const err = Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    expect(toCliError(err, 'ListAccessKeys')).toMatchObject({ exitCode: 130, message: 'ListAccessKeys: interrupted.' });
  });

  it('maps a refused connection to the network exit code 8 with the address', async () => {
    const { toCliError } = await import('../aws-errors.js');
    const err = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 9 });
    expect(toCliError(err, 'GetUser')).toMatchObject({
      exitCode: 8,
      message: 'GetUser: cannot reach AWS (127.0.0.1:9): ECONNREFUSED.',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { runInProcess } from '../../test/support/cli.js';
import { VERSION } from './main.js';

describe('awskeys (the command table)', () => {
  it('prints its version on stdout and exits 0', async () => {
    const r = await runInProcess(['--version'], { env: {} });
    expect(r).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
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

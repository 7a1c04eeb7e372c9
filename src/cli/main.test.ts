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

import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/built.js';
import { binPath, repoRoot, tempHome } from './support/cli.js';

/**
 * `awskeys env | true`, `awskeys env | head -c 0`: the reader is gone before awskeys writes. That is
 * a quiet end with exit 141 (128 + SIGPIPE, what a shell reports for `yes | true`), never an
 * "Unhandled 'error' event ... write EPIPE" stack. Run on the built binary, whose two routes
 * (the lean dist/entry.cjs and the full bundle) write to stdout differently.
 */

interface Closed {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Spawns the built awskeys with stdout (and, if asked, stderr) a pipe whose reader is already closed. */
function runWithClosedStdout(argv: string[], env: Record<string, string>, closeStderr = false): Promise<Closed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...argv], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Closing our end of the pipe before node has even started in the child: its first write fails.
    child.stdout.destroy();
    if (closeStderr) child.stderr.destroy();
    let stderr = '';
    if (!closeStderr) child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

async function carolHome(moreCredentials = ''): Promise<Record<string, string>> {
  const { env } = await tempHome({
    credentials: `[carol]\naws_access_key_id = AKIACAROL\naws_secret_access_key = carol-secret\n${moreCredentials}`,
    config: '[profile carol]\nregion = eu-west-1\n',
  });
  return env;
}

describe('the built awskeys with a closed stdout', () => {
  beforeAll(ensureBuilt, 120_000);

  it.each([
    ['env on the lean route', ['env', '-p', 'carol']],
    ['credential-process on the lean route', ['credential-process', '-p', 'carol']],
    // `--profile=carol` is a spelling only commander parses: the full bundle runs it.
    ['env on the full route', ['env', '--profile=carol']],
    ['--help on the lean route', ['--help']],
    ['--help on the full route', ['env', '-p', 'carol', '--help']],
  ])('ends quietly with exit 141: %s', async (_, argv) => {
    expect(await runWithClosedStdout(argv, await carolHome())).toEqual({ code: 141, signal: null, stderr: '' });
  });

  it.each([
    ['the lean route', ['env', '-p', 'carol']],
    ['the full route', ['env', '--profile=carol']],
  ])('ends quietly with exit 141 when stderr is closed as well: %s', async (_, argv) => {
    expect(await runWithClosedStdout(argv, await carolHome(), true)).toMatchObject({ code: 141, signal: null });
  });

  it('keeps the exit code and the message of a command that fails before writing to stdout', async () => {
    expect(await runWithClosedStdout(['env', '-p', 'nobody'], await carolHome())).toMatchObject({
      code: 5,
      signal: null,
      stderr: expect.stringMatching(/^awskeys: error: .*nobody.*\n/) as unknown,
    });
  });
});

describe('the built awskeys with stdout on a full disk (>/dev/full)', () => {
  beforeAll(ensureBuilt, 120_000);

  /** Spawns the built awskeys with stdout on /dev/full, where every write fails with ENOSPC. */
  async function runIntoFullDisk(argv: string[], env: Record<string, string>): Promise<Closed> {
    const full = await open('/dev/full', 'w');
    try {
      return await new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [binPath, ...argv], {
          cwd: repoRoot,
          env: { PATH: process.env.PATH, ...env },
          stdio: ['ignore', full.fd, 'pipe'],
        });
        let stderr = '';
        child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code, signal) => resolve({ code, signal, stderr }));
      });
    } finally {
      await full.close();
    }
  }

  it.each([
    ['env on the lean route', ['env', '-p', 'carol']],
    ['credential-process on the lean route', ['credential-process', '-p', 'carol']],
    ['env on the full route', ['env', '--profile=carol']],
    ['completion on the full route', ['completion', 'bash']],
    ['--help on the lean route', ['--help']],
    ['--help on the full route', ['env', '-p', 'carol', '--help']],
  ])('says so in one line and exits 15, never a stack trace: %s', async (_, argv) => {
    expect(await runIntoFullDisk(argv, await carolHome())).toEqual({
      code: 15,
      signal: null,
      stderr:
        'awskeys: error: could not write the results to stdout: no space left on the device. (hint: free some space, or send stdout somewhere else)\n',
    });
  });

  it('a command that fails after its result (audit, exit 13) ends with the lost result, not its own error', async () => {
    const result = await runIntoFullDisk(['iam', 'audit', '--offline', '--json'], await carolHome('[half]\naws_access_key_id = AKIAHALF\n'));
    const lines = result.stderr.trimEnd().split('\n');
    expect(result.code).toBe(15);
    // The report's own warnings (on stderr) still come; "N things need attention" does not.
    expect(lines).toContain('awskeys: warning: profile half: only half a key pair: aws_secret_access_key is missing or empty');
    expect(lines.filter((line) => line.startsWith('awskeys: error: '))).toEqual([
      'awskeys: error: could not write the results to stdout: no space left on the device. (hint: free some space, or send stdout somewhere else)',
    ]);
  });
});

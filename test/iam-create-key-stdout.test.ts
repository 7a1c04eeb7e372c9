import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/built.js';
import { binPath, repoRoot, tempHome } from './support/cli.js';
import { spawnCollecting } from './support/spawn.js';
import { createUser, keysOf, motoEnv } from './iam-fixtures.js';

/**
 * `awskeys iam create-key --format json` whose only destination is stdout: when stdout cannot take
 * the secret (a reader that is gone, a full disk), the new key must not stay Active with its
 * secret nowhere. The built binary runs under bash with real pipes and /dev/full.
 */

beforeAll(ensureBuilt, 120_000);

/** Runs `awskeys ARGS <redirection>` in bash; the exit code is awskeys' own (PIPESTATUS[0]). */
async function inShell(args: string[], redirection: string) {
  const { env } = await tempHome();
  const script = `"$0" "$@" ${redirection}; exit "\${PIPESTATUS[0]}"`;
  const { exited } = spawnCollecting('bash', ['-c', script, process.execPath, binPath, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, ...env, ...motoEnv() },
  });
  return exited;
}

const HINT = '(hint: keep stdout open until awskeys ends (a file, or a reader that reads everything), or use --write-profile or --csv-file)';

describe('iam create-key with stdout as the only destination', () => {
  it.each([
    ['a reader that already exited (| true)', '| true', 'the reader closed the pipe'],
    ['a reader that closed its input early', '| { exec 0<&-; sleep 2; }', 'the reader closed the pipe'],
    ['a full disk (>/dev/full)', '>/dev/full', 'no space left on the device'],
  ])('%s: the new key is deleted again, one error line, exit 15', async (_, redirection, problem) => {
    const user = await createUser('pipe');

    const r = await inShell(['iam', 'create-key', '--user', user, '--format', 'json'], redirection);

    expect(await keysOf(user)).toEqual({});
    const id = /The new key (\w+) was deleted again/.exec(r.stderr)?.[1] ?? '?';
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 15,
      stderr: `awskeys: error: Could not write the new key to stdout (${problem}). The new key ${id} was deleted again; nothing changed. ${HINT}\n`,
    });
  });

  it('a reader that reads everything gets the key, which stays Active (exit 0)', async () => {
    const user = await createUser('pipeok');

    const r = await inShell(['iam', 'create-key', '--user', user, '--format', 'json'], '| cat');

    const [id] = Object.keys(await keysOf(user));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ Version: 1, AccessKeyId: id });
    expect(r.stderr).toBe(`Created access key ${id ?? '?'} for IAM user "${user}".\n`);
  });
});

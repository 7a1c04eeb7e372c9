import { beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/errors/cli-error.js';
import { ensureBuilt } from './support/built.js';
import { runBuilt, runInProcess, tempHome } from './support/cli.js';

/**
 * A malformed credentials file stops every command with exit 3 and one line naming the file and
 * line; that line never shows what the file holds there, since it may be the secret.
 */

const SECRET = 'SECRETVALUE123wJalrXUtnFEMI';

async function homeWith(credentials: string): Promise<{ env: Record<string, string>; path: string }> {
  const { env, credentials: path } = await tempHome({ credentials });
  return { env, path };
}

describe('awskeys env over a credentials file with a malformed line', () => {
  beforeAll(ensureBuilt, 120_000);

  const text = `[x]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key: ${SECRET}\n`;
  const message = (path: string): string =>
    `awskeys: error: ${path} line 3: expected 'key = value', a [section] header or a comment, found ':' instead of '='. ` +
    `(hint: write 'key = value': the AWS SDK for JavaScript skips a 'key: value' line)\n`;

  it.each([
    ['the built binary (lean route)', ['env', '-p', 'x']],
    ['the built binary (full route)', ['env', '--profile=x']],
    ['credential-process', ['credential-process', '-p', 'x']],
  ])('fails with exit 3 and a message without the value: %s', async (_, argv) => {
    const { env, path } = await homeWith(text);
    const result = await runBuilt(argv, { env });
    expect(result).toEqual({ code: ExitCode.File, stdout: '', stderr: message(path) });
    expect(result.stderr).not.toContain(SECRET);
  });

  it('says the same through the command table in process', async () => {
    const { env, path } = await homeWith(text);
    expect(await runInProcess(['env', '-p', 'x'], { env })).toEqual({ code: ExitCode.File, stdout: '', stderr: message(path) });
  });
});

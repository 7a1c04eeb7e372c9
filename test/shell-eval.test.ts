import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AwsCredentials } from '../src/output/credentials.js';
import { renderCredentials, renderUnset } from '../src/output/formats.js';
import { ensureBuilt } from './support/built.js';
import { needs, type OptionalTool } from './support/optional-tools.js';
import { binPath, tempHome } from './support/cli.js';

/**
 * The quoting is proven by the shells themselves: each rendered script is evaluated the way the
 * docs tell users to (eval "$(...)", | source, ...) in the real shell, then `env -0` reports what
 * was exported, byte for byte.
 */

const hostile = {
  accessKeyId: `AKIA it's "quoted" -n --`,
  secretAccessKey: 'dollar $HOME ${HOME} $(id) `id` back\\slash \\\\ \\n * ? [a] ! % ^ & | ; < > #',
  sessionToken: 'line1\nline2\n\ttabbed ünïcödé ✓ 日本 \u{1F600} ‘curly’ trailing newline\n',
  expiration: new Date('2031-05-06T07:08:09Z'),
} satisfies AwsCredentials;

const expected = {
  AWS_ACCESS_KEY_ID: hostile.accessKeyId,
  AWS_SECRET_ACCESS_KEY: hostile.secretAccessKey,
  AWS_SESSION_TOKEN: hostile.sessionToken,
  AWS_CREDENTIAL_EXPIRATION: '2031-05-06T07:08:09Z',
  AWS_REGION: "eu-west-1 'odd' region",
  AWS_DEFAULT_REGION: "eu-west-1 'odd' region",
};

// Left over from an earlier eval: output for long-lived keys must clear them.
const stale = { AWS_SESSION_TOKEN: 'stale-token', AWS_CREDENTIAL_EXPIRATION: '2000-01-01T00:00:00Z' };

interface Shell {
  name: string;
  /** What it needs besides bash (always there): a missing shell skips its tests, with the reason. */
  tools: OptionalTool[];
  /**
   * argv that evaluates the script at path $1 the documented way, runs `env -0`, and exits with the
   * status the evaluation left: users chain `eval "$(awskeys env)" && aws ...`.
   */
  argv: (scriptPath: string) => string[];
}

const shells: Shell[] = [
  { name: 'bash', tools: [], argv: (p) => ['bash', '--norc', '--noprofile', '-c', 'eval "$(cat "$1")"; s=$?; env -0; exit $s', 'bash', p] },
  { name: 'zsh', tools: ['zsh'], argv: (p) => ['zsh', '-f', '-c', 'eval "$(cat "$1")"; s=$?; env -0; exit $s', 'zsh', p] },
  { name: 'fish', tools: ['fish'], argv: (p) => ['fish', '--no-config', '-c', 'cat $argv[1] | source; set s $status; env -0; exit $s', p] },
];

/** The AWS_ variables after evaluating `script`; fails unless the evaluation left status 0 and no stderr. */
async function evalIn(shell: Shell, script: string, env: Record<string, string> = {}): Promise<Record<string, string>> {
  const { home: dir } = await tempHome();
  const path = join(dir, 'script');
  await writeFile(path, script);
  const [cmd, ...args] = shell.argv(path);
  const result = spawnSync(cmd ?? '', args, { env: { PATH: process.env.PATH, HOME: dir, ...env }, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const vars: Record<string, string> = {};
  for (const entry of result.stdout.split('\0')) {
    const eq = entry.indexOf('=');
    if (entry.startsWith('AWS_') && eq > 0) vars[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return vars;
}

for (const shell of shells) needs(...shell.tools).describe(`output evaluated in real ${shell.name}`, () => {
  const format = shell.name === 'fish' ? 'fish' : 'sh';

  it('exports hostile values byte for byte', async () => {
    const script = renderCredentials(hostile, format, { region: expected.AWS_REGION });
    expect(await evalIn(shell, script)).toEqual(expected);
  });

  it('clears a stale session token and expiration when the new keys have none', async () => {
    const script = renderCredentials({ accessKeyId: 'AKIANEW', secretAccessKey: 'new secret' }, format);
    expect(await evalIn(shell, script, { ...stale, AWS_REGION: 'kept' })).toEqual({
      AWS_ACCESS_KEY_ID: 'AKIANEW',
      AWS_SECRET_ACCESS_KEY: 'new secret',
      AWS_REGION: 'kept',
    });
  });

  it('leaves status 0 when it clears variables that were never set (long-lived keys, --no-region)', async () => {
    const script = renderCredentials({ accessKeyId: 'AKIANEW', secretAccessKey: 'new secret' }, format);
    expect(await evalIn(shell, script)).toEqual({ AWS_ACCESS_KEY_ID: 'AKIANEW', AWS_SECRET_ACCESS_KEY: 'new secret' });
  });

  it('--unset leaves status 0 when none of the variables are set', async () => {
    expect(await evalIn(shell, renderUnset(format), { AWS_PROFILE: 'untouched' })).toEqual({ AWS_PROFILE: 'untouched' });
    expect(await evalIn(shell, renderUnset(format, { region: false }))).toEqual({});
  });

  it('--unset clears every variable env sets, and leaves the region with --no-region', async () => {
    const before = { ...expected, AWS_PROFILE: 'untouched' };
    expect(await evalIn(shell, renderUnset(format), before)).toEqual({ AWS_PROFILE: 'untouched' });
    expect(await evalIn(shell, renderUnset(format, { region: false }), before)).toEqual({
      AWS_PROFILE: 'untouched',
      AWS_REGION: expected.AWS_REGION,
      AWS_DEFAULT_REGION: expected.AWS_DEFAULT_REGION,
    });
  });
});

describe('output evaluated in real PowerShell', () => {
  needs('pwsh').it('sets hostile values byte for byte', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'awskeys-pwsh-'));
    const path = join(dir, 'script.ps1');
    await writeFile(path, renderCredentials(hostile, 'powershell', { region: expected.AWS_REGION }));
    const print = Object.keys(expected)
      .map((n) => `[Console]::Out.Write([Environment]::GetEnvironmentVariable('${n}') + [char]0)`)
      .join('; ');
    const result = spawnSync('pwsh', ['-NoProfile', '-NonInteractive', '-Command', `Get-Content -Raw '${path}' | Invoke-Expression; ${print}`], {
      encoding: 'utf8',
    });
    expect(result.stdout.split('\0').slice(0, 6)).toEqual(Object.values(expected));
  });
});

describe('dotenv output read by real dotenv parsers', () => {
  // The dotenv format refuses ", \ and $; everything else must come back exactly.
  const values: AwsCredentials = {
    accessKeyId: "AKIA it's `quoted` # not a comment",
    secretAccessKey: '  padded ünïcödé ✓ * ! % ^ & | ; < >  ',
    sessionToken: 'line1\nline2\n',
    expiration: new Date('2031-05-06T07:08:09Z'),
  };
  const file = renderCredentials(values, 'dotenv', { region: 'eu-west-1' });
  const want = {
    AWS_ACCESS_KEY_ID: values.accessKeyId,
    AWS_SECRET_ACCESS_KEY: values.secretAccessKey,
    AWS_SESSION_TOKEN: values.sessionToken,
    AWS_CREDENTIAL_EXPIRATION: '2031-05-06T07:08:09Z',
    AWS_REGION: 'eu-west-1',
    AWS_DEFAULT_REGION: 'eu-west-1',
  };

  it("reads back exactly with Node's own parser (util.parseEnv, as used by node --env-file)", () => {
    expect({ ...parseEnv(file) }).toEqual(want);
  });

  needs('python-dotenv').it('reads back exactly with python-dotenv', () => {
    const result = spawnSync(
      'python3',
      ['-c', 'import io, json, sys; from dotenv import dotenv_values; print(json.dumps(dotenv_values(stream=io.StringIO(sys.stdin.read()))))'],
      { input: file, encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual(want);
  });
});

for (const shell of shells) needs(...shell.tools).describe(`the built awskeys env evaluated in real ${shell.name}`, () => {
  beforeAll(ensureBuilt, 120_000);
  const region = { AWS_REGION: 'eu-north-1', AWS_DEFAULT_REGION: 'eu-north-1' };
  // The second case ends on erasing a variable that is not set: fish's `set -e` alone returns 4 there.
  it.each([
    ['over a stale session token and expiration', stale, [], region],
    ['with --no-region and no AWS variables set before', {}, ['--no-region'], {}],
  ])('exports a profile whose values need quoting, exactly, and leaves status 0 (%s)', async (_, before, flags, regionVars) => {
    // An INI value cannot hold a line break; everything else a shell could misread is here.
    const secret = `it's "q" $HOME \${HOME} $(id) \`id\` back\\slash * ? ! % ünï ✓`;
    const { home: dir } = await tempHome({
      credentials: `[odd]\naws_access_key_id = AKIA ODD\naws_secret_access_key = ${secret}\n`,
      config: `[profile odd]\nregion = eu-north-1\n`,
    });
    const format = shell.name === 'fish' ? 'fish' : 'sh';
    const command = [process.execPath, binPath, 'env', '--profile', 'odd', '--format', format, ...flags];
    const script = shell.name === 'fish' ? `${command.join(' ')} | source` : `eval "$(${command.join(' ')})"`;
    const path = join(dir, 'script');
    await writeFile(path, script);
    const [cmd, ...args] = shell.argv(path).map((a) => a.replace('cat $argv[1] | source', 'source $argv[1]'));
    const result = spawnSync(cmd ?? '', args, { env: { PATH: process.env.PATH, HOME: dir, ...before }, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const vars = Object.fromEntries(
      result.stdout
        .split('\0')
        .filter((e) => e.startsWith('AWS_'))
        .map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
    );
    expect(vars).toEqual({
      AWS_ACCESS_KEY_ID: 'AKIA ODD',
      AWS_SECRET_ACCESS_KEY: secret,
      ...regionVars,
    });
  });
});

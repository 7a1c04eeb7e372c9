import { execFile } from 'node:child_process';
import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/built.js';
import { parseFastComplete } from '../src/cli/commands/complete-fast.js';
import { binPath, runBuilt, runInProcess, tempHome } from './support/cli.js';
import { needs } from './support/optional-tools.js';
import { startTmux, type TmuxSession } from './support/tmux.js';

/**
 * TAB completion. The protocol (`awskeys complete -- WORDS`) in process, then each shell's own
 * completion machinery running the printed script against the built binary, found on PATH as
 * `awskeys` like an installed one, with a HOME whose AWS files hold profiles and sso-sessions.
 */

const CONFIG = [
  '[default]',
  'region = eu-west-1',
  '[profile dev]',
  'sso_session = corp',
  '[profile prod]',
  'region = us-east-1',
  '[sso-session corp]',
  'sso_region = us-east-1',
  '[sso-session partner]',
  'sso_region = eu-west-1',
  '[services local]',
  '',
].join('\n');
const CREDENTIALS = '[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = s\n[keys-only]\naws_access_key_id = AKIAKEYS\naws_secret_access_key = s\n';

let home: string;
let env: Record<string, string>;
let pathDir: string;

beforeAll(async () => {
  await ensureBuilt();
  pathDir = await mkdtemp(join(tmpdir(), 'awskeys-path-'));
  await symlink(binPath, join(pathDir, 'awskeys'));
}, 120_000);

beforeEach(async () => {
  ({ home, env } = await tempHome({ config: CONFIG, credentials: CREDENTIALS }));
});

/** The candidates (values only) and the directive of `awskeys complete -- ...words`. */
async function complete(...words: string[]) {
  const result = await runInProcess(['complete', '--', ...words], { env });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const lines = result.stdout.trimEnd().split('\n');
  return { values: lines.slice(0, -1).map((line) => line.split('\t')[0]), directive: lines.at(-1) };
}

/** Every command line the protocol tests below complete: the table's first column. */
const PROTOCOL_CASES: [string[], string[]][] = [
    [['env', '--profile', ''], ['default', 'dev', 'prod', 'keys-only']],
    [['env', '--profile', 'd'], ['default', 'dev']],
    [['exec', '-p', 'k'], ['keys-only']],
    [['iam', 'create-key', '--write-profile', ''], ['default', 'dev', 'prod', 'keys-only']],
    [['sso', 'logout', '--session', ''], ['corp', 'partner']],
    [['sso', 'login', '--sso-session', 'p'], ['partner']],
    [['env', '--format', ''], ['sh', 'fish', 'powershell', 'cmd', 'dotenv', 'json']],
    [['sso', 'login', '--write', 'c'], ['config', 'credentials']],
    [['completion', ''], ['zsh', 'bash', 'fish', 'powershell']],
    [['s'], ['status', 'sso']],
    [['sso', ''], ['login', 'populate', 'logout', 'help']],
    [['exec', '--n'], ['--no-session', '--nested']],
];

describe('awskeys complete (the protocol every script calls)', () => {
  it.each(PROTOCOL_CASES)('%j -> %j', async (words, values) => {
    expect(await complete(...words)).toEqual({ values, directive: ':4' });
  });

  it('the hidden protocol command itself is not offered', async () => {
    expect((await complete('')).values).toEqual(['iam', 'status', 'sso', 'env', 'credential-process', 'exec', 'console', 'login', 'logout', 'vault', 'completion', 'help']);
  });

  it.each([
    [['exec', '']],
    [['exec', '-p', 'dev', '']],
    [['exec', '--', '']],
    [['exec', '-p', 'dev', 'aws', 's3', '']],
    [['exec', '--profile', 'dev', '--server', 'terr']],
    [['iam', 'import', '--csv', '']],
    [['iam', 'create-key', '--csv-file', 'ke']],
  ])("%j: the shell's own completion (file names), nothing from awskeys", async (words) => {
    expect(await complete(...words)).toEqual({ values: [], directive: ':0' });
  });

  it('no AWS files, or malformed ones: no names, and no error', async () => {
    await writeFile(join(home, '.aws', 'config'), '[profile broken\nkey value without equals\n');
    await writeFile(join(home, '.aws', 'credentials'), '\u0000\u0001 not ini');
    expect(await complete('env', '--profile', '')).toEqual({ values: [], directive: ':4' });
    const missing = await runInProcess(['complete', '--', 'env', '--profile', ''], { env: { ...env, HOME: '/nonexistent', AWS_CONFIG_FILE: '/nonexistent/c' } });
    expect(missing).toEqual({ code: 0, stdout: ':4\n', stderr: '' });
  });

  it('honours AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE', async () => {
    const other = join(home, 'other-config');
    await writeFile(other, '[profile elsewhere]\n');
    const result = await runInProcess(['complete', '--', 'env', '--profile', ''], { env: { ...env, AWS_CONFIG_FILE: other } });
    expect(result.stdout).toBe('elsewhere\t\ndev\t\nkeys-only\t\n:4\n');
  });

  it.each([
    ['zsh', '#compdef awskeys'],
    ['fish', 'complete -c awskeys'],
    ['powershell', 'Register-ArgumentCompleter -CommandName \'awskeys\''],
  ])('completion %s prints a script that asks awskeys complete', async (shell, marker) => {
    const result = await runInProcess(['completion', shell], { env });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(marker);
    expect(result.stdout).toMatch(/awskeys complete '?--'? /);
  });

  it('completion with an unknown shell is a usage error', async () => {
    const result = await runInProcess(['completion', 'tcsh'], { env });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "awskeys: error: Command-argument value 'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish, powershell. (hint: see awskeys completion --help)\n",
    });
  });
});

/**
 * The built binary answers a TAB press after a name option on the lean route (complete-fast.ts,
 * without commander and the library) and everything else through the library: byte for byte what
 * the commander route in process prints, for every protocol case above, a missing config and a
 * prefix nothing starts with.
 */
describe('awskeys complete: the lean route and the commander route', () => {
  const lean = PROTOCOL_CASES.map(([words]) => words).filter((words) => parseFastComplete(['complete', '--', ...words]));

  it('the name cases are the lean ones', () => {
    expect(lean).toEqual([
      ['env', '--profile', ''],
      ['env', '--profile', 'd'],
      ['exec', '-p', 'k'],
      ['iam', 'create-key', '--write-profile', ''],
      ['sso', 'logout', '--session', ''],
      ['sso', 'login', '--sso-session', 'p'],
    ]);
  });

  it.each([...PROTOCOL_CASES.map(([words]) => [words]), [['env', '--profile', 'zz']], [['status', '--profile', '']], [['env', '--profile', 'a b']]])(
    'print the same and exit the same for %j',
    async (words) => {
      const argv = ['complete', '--', ...words];
      expect(await runBuilt(argv, { env })).toEqual(await runInProcess(argv, { env }));
    },
  );

  it('print the same with no AWS files, and with malformed ones', async () => {
    const argv = ['complete', '--', 'env', '--profile', ''];
    const missing = { ...env, HOME: '/nonexistent', AWS_CONFIG_FILE: '/nonexistent/c', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/k' };
    expect(await runBuilt(argv, { env: missing })).toEqual(await runInProcess(argv, { env: missing }));
    await writeFile(join(home, '.aws', 'config'), '[profile broken\nkey value without equals\n');
    expect(await runBuilt(argv, { env })).toEqual(await runInProcess(argv, { env }));
  });
});

const run = promisify(execFile);
const shellEnv = () => ({ ...env, PATH: `${pathDir}:${process.env.PATH ?? '/usr/bin:/bin'}`, TERM: 'dumb' });

describe('bash: the printed script in bash itself (no bash-completion package)', () => {
  // Sets COMP_WORDS/COMP_CWORD as readline does, calls the function `complete -p` names, prints COMPREPLY.
  const harness = (lines: string[][]) =>
    [
      'source <(awskeys completion bash)',
      'source <(awskeys completion bash)', // twice, as a re-read ~/.bashrc does: no errors
      'complete -p awskeys',
      'fn=$(complete -p awskeys | sed -E "s/.* -F ([^ ]+) .*/\\1/")',
      't() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=(); "$fn" 2>/dev/null; echo "${COMPREPLY[*]}"; }',
      ...lines.map((words) => `t ${words.map((w) => `'${w}'`).join(' ')}`),
    ].join('\n');

  it('registers one function and completes commands, flags, values and profile names', async () => {
    const { stdout, stderr } = await run('bash', ['--norc', '--noprofile', '-c', harness([
      ['awskeys', ''],
      ['awskeys', 'env', '--profile', ''],
      ['awskeys', 'env', '--profile', 'p'],
      ['awskeys', 'sso', 'logout', '--session', ''],
      ['awskeys', 'env', '--format', 'p'],
      ['awskeys', 'iam', 'rot'],
      ['awskeys', 'exec', '-p', 'dev', 'aws', ''],
    ])], { env: shellEnv() });
    expect(stderr).toBe('');
    expect(stdout.split('\n')).toEqual([
      'complete -o default -F __awskeys_complete awskeys',
      'iam status sso env credential-process exec console login logout vault completion help',
      'default dev prod keys-only',
      'prod',
      'corp partner',
      'powershell',
      'rotate',
      '',
      '',
    ]);
  });
});

needs('fish').describe('fish: its own completion machinery (complete --do-complete)', () => {
  it('completes profile names, sso-sessions and subcommands', async () => {
    const script = [
      'awskeys completion fish | source',
      'complete --do-complete "awskeys env --profile "',
      'echo ---',
      'complete --do-complete "awskeys sso logout --session "',
      'echo ---',
      'complete --do-complete "awskeys sso lo"',
    ].join('\n');
    const { stdout, stderr } = await run('fish', ['--no-config', '-c', script], { env: shellEnv() });
    expect(stderr).toBe('');
    expect(stdout.split('\n').map((line) => line.split('\t')[0])).toEqual([
      'default', 'dev', 'keys-only', 'prod', '---', 'corp', 'partner', '---', 'login', 'logout', '',
    ]);
  });
});

let session: TmuxSession | undefined;
afterEach(async () => {
  await session?.kill();
  session = undefined;
});

describe('TAB on a real terminal (tmux)', () => {
  const shells = [
    { shell: 'bash', tools: ['tmux'], start: 'exec bash --norc --noprofile -i', setup: 'source <(awskeys completion bash)' },
    { shell: 'zsh', tools: ['tmux', 'zsh'], start: 'exec zsh -f -i', setup: 'autoload -U compinit && compinit -u && source <(awskeys completion zsh)' },
  ] as const;
  for (const { shell, tools, start, setup } of shells) {
    needs(...tools).it(`${shell}: TAB after --profile lists the profiles; a unique prefix is completed in place`, async () => {
      session = await startTmux({ name: 'awskeys-tab', command: start, env: { ...shellEnv(), TERM: 'xterm-256color', PS1: '$ ', PROMPT: '$ ' }, cwd: home });
      await session.waitFor('$');
      await session.type(`${setup}; echo SET''UP-DONE`);
      await session.sendKeys('Enter');
      await session.waitFor(/^SETUP-DONE$/m, 60_000); // compinit's first run takes seconds
      await session.type('awskeys env --profile k');
      await session.sendKeys('Tab');
      await session.waitFor('awskeys env --profile keys-only');
      await session.sendKeys('C-u');
      await session.type('awskeys env --profile ');
      await session.sendKeys('Tab', 'Tab');
      const screen = await session.waitFor((s) => ['default', 'dev', 'prod', 'keys-only'].every((p) => s.includes(p)));
      expect(screen).not.toContain('command not found');
    }, 90_000);
  }
});

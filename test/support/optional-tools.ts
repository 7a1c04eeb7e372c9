import { spawnSync } from 'node:child_process';
import { describe as vitestDescribe, it as vitestIt, type TestFunction } from 'vitest';

/**
 * The programs some tests need besides node and moto_server: other shells, a terminal, and the
 * Python side of the AWS tooling used as an oracle. On a machine without one, the tests that need
 * it are skipped with the reason in their title (`[skipped: zsh is not installed here ...]`), so
 * `npm test` passes on a newcomer's machine and the report says what did not run. With
 * AWSKEYS_REQUIRE_ALL=1 (CI) each of those becomes a failing test that names the missing tool,
 * except the tools listed in AWSKEYS_REQUIRE_ALL_EXCEPT (comma-separated; CI lists pwsh, which
 * cannot be installed there: docs/decisions.md D27).
 */
export const OPTIONAL_TOOLS = {
  zsh: { probe: ['zsh', '--version'], install: 'apt-get install zsh' },
  fish: { probe: ['fish', '--version'], install: 'apt-get install fish' },
  pwsh: { probe: ['pwsh', '-NoProfile', '-NonInteractive', '-Command', 'exit 0'], install: "PowerShell 7 from Microsoft's packages; none in Debian or npm, see docs/decisions.md D27" },
  tmux: { probe: ['tmux', '-V'], install: 'apt-get install tmux' },
  aws: { probe: ['aws', '--version'], install: 'pip install awscli' },
  python3: { probe: ['python3', '-c', ''], install: 'apt-get install python3' },
  botocore: { probe: ['python3', '-c', 'import botocore'], install: 'pip install botocore' },
  boto3: { probe: ['python3', '-c', 'import boto3'], install: 'pip install boto3' },
  // botocore's LoginProvider needs EC from awscrt >= 0.28.4; test/support/signin-botocore.ts
  // supplies those four calls from `cryptography` instead (Debian's awscrt 0.16.8 has no EC).
  cryptography: { probe: ['python3', '-c', 'import cryptography.hazmat.primitives.asymmetric.ec'], install: 'pip install cryptography' },
  'python-dotenv': { probe: ['python3', '-c', 'import dotenv'], install: 'pip install python-dotenv' },
  // A Secret Service for the vault's keychain tests (test/support/secret-service.ts).
  'dbus-daemon': { probe: ['sh', '-c', 'command -v dbus-daemon && command -v dbus-send'], install: 'apt-get install dbus-daemon dbus-bin' },
  'gnome-keyring': { probe: ['gnome-keyring-daemon', '--version'], install: 'apt-get install gnome-keyring' },
  'secret-tool': { probe: ['sh', '-c', 'command -v secret-tool'], install: 'apt-get install libsecret-tools' },
} as const satisfies Record<string, { probe: readonly [string, ...string[]]; install: string }>;

export type OptionalTool = keyof typeof OPTIONAL_TOOLS;

// Each probe starts a program (python3 with an import takes ~0.2 s): ask once per test file.
const answers = new Map<OptionalTool, string | undefined>();

/**
 * Why `tool` cannot be used here (a sentence with the install command), or undefined when it can.
 * `env` (PATH above all) is this process's unless given; only that answer is remembered.
 */
export function toolMissing(tool: OptionalTool, env?: NodeJS.ProcessEnv): string | undefined {
  if (env) return probe(tool, env);
  if (!answers.has(tool)) answers.set(tool, probe(tool, process.env));
  return answers.get(tool);
}

function probe(tool: OptionalTool, env: NodeJS.ProcessEnv): string | undefined {
  const { probe: [command, ...args], install } = OPTIONAL_TOOLS[tool];
  if (command === 'python3' && tool !== 'python3') {
    const noPython = toolMissing('python3', env === process.env ? undefined : env);
    if (noPython) return `${tool} needs python3: ${noPython}`;
  }
  const r = spawnSync(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 30_000 });
  if (r.error && 'code' in r.error && r.error.code === 'ENOENT') return `${tool} is not installed here (no ${command} on PATH; ${install})`;
  if (r.error) return `${tool} could not be run (${r.error.message}; ${install})`;
  if (r.status === 0) return undefined;
  const last = r.stderr.trim().split('\n').at(-1) ?? '';
  const what = command === 'python3' ? `python3 cannot import it` : `${args.length ? `${command} ${args.join(' ')}` : command} exited ${String(r.status ?? r.signal)}`;
  return `${tool} is not usable here (${what}${last ? `: ${last}` : ''}; ${install})`;
}

/** The tools AWSKEYS_REQUIRE_ALL_EXCEPT lets stay missing; an unknown name is an error, not a silent skip. */
export function exemptTools(env: NodeJS.ProcessEnv = process.env): OptionalTool[] {
  const names = (env.AWSKEYS_REQUIRE_ALL_EXCEPT ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of names) {
    if (!(name in OPTIONAL_TOOLS)) throw new Error(`AWSKEYS_REQUIRE_ALL_EXCEPT names ${name}, which is not one of ${Object.keys(OPTIONAL_TOOLS).join(', ')}`);
  }
  return names as OptionalTool[];
}

type Body = TestFunction;

export interface ToolIt {
  (name: string, fn: Body, timeout?: number): void;
  /** it.each over rows of arguments (each row an array, spread into fn); `%s` etc. in the name as in vitest. */
  each<T extends unknown[] | [unknown]>(cases: readonly T[]): (name: string, fn: (...args: T) => unknown, timeout?: number) => void;
}

export interface Needs {
  /** The reasons the tools are missing, joined; undefined when all are there. */
  readonly missing: string | undefined;
  describe(name: string, fn: () => void): void;
  it: ToolIt;
}

/**
 * describe / it for tests that need `tools`: vitest's own when every tool is there; otherwise
 * skipped with `[skipped: <why>]` in the title, or, under AWSKEYS_REQUIRE_ALL=1 (and the tool not
 * exempt), one failing test titled `[missing: <why>]` in place of each test or suite. vitest runs a
 * skipped suite's body to list its tests: call the tool inside tests and hooks, never while collecting.
 */
export function needs(...tools: OptionalTool[]): Needs {
  const reasons = tools.map((t) => [t, toolMissing(t)] as const).filter((r): r is readonly [OptionalTool, string] => r[1] !== undefined);
  const missing = reasons.length ? reasons.map(([, why]) => why).join('; ') : undefined;
  if (missing === undefined) {
    const it: ToolIt = Object.assign((name: string, fn: Body, timeout?: number) => vitestIt(name, fn, timeout), {
      each: <T extends unknown[] | [unknown]>(cases: readonly T[]) => (name: string, fn: (...args: T) => unknown, timeout?: number) =>
        vitestIt.each(cases as T[])(name, (...args: T) => fn(...args) as Promise<void>, timeout),
    });
    return { missing, describe: (name, fn) => vitestDescribe(name, fn), it };
  }
  const exempt = exemptTools();
  const required = process.env.AWSKEYS_REQUIRE_ALL === '1' && reasons.some(([tool]) => !exempt.includes(tool));
  if (required) {
    const fail = () => {
      throw new Error(`AWSKEYS_REQUIRE_ALL=1 and a tool this test needs is missing: ${missing}`);
    };
    const title = (name: string) => `${name} [missing: ${missing}]`;
    const it: ToolIt = Object.assign((name: string) => vitestIt(title(name), fail), {
      each: <T extends unknown[] | [unknown]>(cases: readonly T[]) => (name: string) => vitestIt.each(cases as T[])(title(name), fail),
    });
    return { missing, describe: (name) => vitestDescribe(title(name), () => vitestIt(`needs ${tools.join(', ')}`, fail)), it };
  }
  const title = (name: string) => `${name} [skipped: ${missing}]`;
  const it: ToolIt = Object.assign((name: string, fn: Body, timeout?: number) => vitestIt.skip(title(name), fn, timeout), {
    each: <T extends unknown[] | [unknown]>(cases: readonly T[]) => (name: string, fn: (...args: T) => unknown, timeout?: number) =>
      vitestIt.skip.each(cases as T[])(title(name), (...args: T) => fn(...args) as Promise<void>, timeout),
  });
  return { missing, describe: (name, fn) => vitestDescribe.skip(title(name), fn), it };
}

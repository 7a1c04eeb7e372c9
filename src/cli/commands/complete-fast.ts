import type { Deps } from '../../app/deps.js';
import { readAwsNames, type AwsNames } from '../../completion/aws-names.js';

/**
 * `awskeys complete -- <command> <name option> <prefix>`, the TAB press after `--profile` or
 * `--sso-session`, answered without commander and the completion library (src/cli/entry.ts): the
 * names of the two AWS files that start with the prefix, one `name<TAB>` line each, then `:4`
 * (ShellCompDirectiveNoFileComp), byte for byte what completion-command.ts prints through
 * @bomb.sh/tab for the same words. Any other command line (flags before the option, `--opt=`,
 * a prefix starting with `-`, an option or command not in the table) goes to that route.
 */
export interface FastComplete {
  names: keyof AwsNames;
  prefix: string;
}

/**
 * The commands whose options take a profile or sso-session name, with each spelling the library
 * matches (long name, short alias). complete-fast.test.ts derives the same table from the command
 * table through the library: a command or option added there fails it until it is added here.
 */
export const NAME_OPTIONS: Readonly<Record<string, Readonly<Record<string, keyof AwsNames>>>> = {
  'iam create-key': { '--profile': 'profiles', '--write-profile': 'profiles' },
  'iam list-keys': { '--profile': 'profiles' },
  'iam activate-key': { '--profile': 'profiles' },
  'iam deactivate-key': { '--profile': 'profiles' },
  'iam delete-key': { '--profile': 'profiles' },
  'iam rotate': { '--profile': 'profiles' },
  'iam audit': { '--profile': 'profiles' },
  'iam import': { '--profile': 'profiles' },
  status: { '--profile': 'profiles' },
  'sso login': { '--sso-session': 'ssoSessions', '--profile': 'profiles', '-p': 'profiles' },
  'sso populate': { '--sso-session': 'ssoSessions', '--profile': 'profiles' },
  'sso logout': { '--profile': 'profiles', '--session': 'ssoSessions' },
  env: { '--profile': 'profiles', '-p': 'profiles' },
  'credential-process': { '--profile': 'profiles', '-p': 'profiles' },
  exec: { '--profile': 'profiles', '-p': 'profiles' },
  console: { '--profile': 'profiles', '-p': 'profiles' },
  login: { '--profile': 'profiles', '-p': 'profiles' },
  logout: { '--profile': 'profiles', '-p': 'profiles' },
  'vault remove': { '--profile': 'profiles' },
  'vault move': { '--profile': 'profiles' },
};

/** The invocation, when `argv` (after `awskeys`) is such a TAB press; else undefined. */
export function parseFastComplete(argv: readonly string[]): FastComplete | undefined {
  if (argv[0] !== 'complete' || argv[1] !== '--' || argv.length < 5) return undefined;
  const words = argv.slice(2);
  const prefix = words.at(-1) ?? '';
  const option = words.at(-2) ?? '';
  const command = words.slice(0, -2);
  if (prefix.startsWith('-') || prefix.includes('=') || command.some((w) => w.startsWith('-'))) return undefined;
  const key = command.join(' ');
  const options = Object.hasOwn(NAME_OPTIONS, key) ? NAME_OPTIONS[key] : undefined;
  const names = options && Object.hasOwn(options, option) ? options[option] : undefined;
  return names ? { names, prefix } : undefined;
}

/** Prints the answer; reading never fails (a missing or malformed file has no names). */
export function runFastComplete(invocation: FastComplete, deps: Pick<Deps, 'env' | 'homeDir' | 'stdout'>): void {
  const names = readAwsNames(deps.env, deps.homeDir)[invocation.names].filter((name) => name.startsWith(invocation.prefix));
  deps.stdout.write(`${[...new Set(names)].map((name) => `${name}\t\n`).join('')}:4\n`);
}

import tab from '@bomb.sh/tab/commander';
import type { Command } from 'commander';
import { format } from 'node:util';
import { readAwsNames, type AwsNames } from '../../completion/aws-names.js';
import type { Deps } from '../../app/deps.js';
import type { CompletionShell } from './completion-shells.js';

type CompletionDeps = Pick<Deps, 'env' | 'homeDir' | 'stdout'>;

/** Options whose value is a profile name, or an sso-session name, wherever they appear. */
const PROFILE_OPTIONS = new Set(['profile', 'write-profile']);
const SSO_SESSION_OPTIONS = new Set(['session', 'sso-session', 'session-name']);
/** Options whose value is a file: the shell completes paths. */
const FILE_OPTIONS = new Set(['--csv', '--csv-file']);

/**
 * The completion protocol's answer that lets the shell complete as it does by default (file
 * names): Cobra's directive 0 with no candidates.
 */
const SHELL_DEFAULT = ':0\n';

/** `awskeys completion SHELL`: the script, for the shell to source. */
export function completionScriptCommand(shell: CompletionShell, table: Command, deps: CompletionDeps): void {
  const root = tab(table, { completionCommandName: 'completion' });
  const script = printedBy(() => root.setup('awskeys', 'awskeys', shell));
  deps.stdout.write(shell === 'bash' ? withoutBashCompletionPackage(script) : script);
}

/**
 * `awskeys complete -- WORDS...`: one candidate per line (`value<TAB>description`), then the
 * directive line. `words` are the command line after `awskeys`, the last one being the word
 * under the cursor ('' after a space).
 */
export function completeCommand(words: readonly string[], table: Command, deps: CompletionDeps): void {
  if (completesCommandOfExec(words) || FILE_OPTIONS.has(words.at(-2) ?? '')) {
    deps.stdout.write(SHELL_DEFAULT);
    return;
  }
  const root = tab(table, { completionCommandName: 'completion' });
  let names: AwsNames | undefined;
  const aws = (): AwsNames => (names ??= readAwsNames(deps.env, deps.homeDir));
  for (const command of [root, ...root.commands.values()]) {
    for (const [name, option] of command.options) {
      if (PROFILE_OPTIONS.has(name)) option.handler = (complete) => aws().profiles.forEach((p) => complete(p, ''));
      if (SSO_SESSION_OPTIONS.has(name)) option.handler = (complete) => aws().ssoSessions.forEach((s) => complete(s, ''));
    }
  }
  deps.stdout.write(printedBy(() => root.parse([...words])));
}

/**
 * After `exec`'s own options come the command it runs and that command's arguments: awskeys has
 * nothing to offer there, so the shell completes as usual (file names). exec's options stop at
 * `--` or at the first word that is neither an option nor an option's value, which may be the
 * word under the cursor itself.
 */
function completesCommandOfExec(words: readonly string[]): boolean {
  if (words[0] !== 'exec') return false;
  let expectsValue = false;
  for (const [i, word] of words.slice(1).entries()) {
    const underCursor = i === words.length - 2;
    if (expectsValue) {
      expectsValue = false;
      continue;
    }
    if (word === '--' && !underCursor) return true;
    if (!word.startsWith('-')) return true;
    expectsValue = EXEC_VALUE_OPTIONS.has(word);
  }
  return false;
}

/** exec's options that take a value (the others are flags). */
const EXEC_VALUE_OPTIONS = new Set(['-p', '--profile', '--mfa-code']);

/**
 * The library prints with console.log; the command writes to deps.stdout like every other (so
 * tests capture it, and a closed pipe is handled the same). Both calls are synchronous, so
 * nothing else can print in between.
 */
function printedBy(print: () => void): string {
  /* eslint-disable no-console -- the one place that takes over the library's console.log */
  const original = console.log;
  let text = '';
  console.log = (...args: unknown[]) => {
    text += `${format(...args)}\n`;
  };
  try {
    print();
  } finally {
    console.log = original;
  }
  /* eslint-enable no-console */
  return text;
}

const WORDS_BY_REF = '_get_comp_words_by_ref -n "=:" cur prev words cword';
const REGISTRATION = 'complete -F __awskeys_complete awskeys';

/**
 * The library's bash script needs the bash-completion package (`_get_comp_words_by_ref`), which
 * many systems (macOS, minimal images) lack: without it every TAB printed an error. Without the
 * package, COMP_WORDS serves instead (a `--flag=value` word is then split at `=`). `-o default`
 * lets bash complete file names when awskeys answers with directive 0 (exec's command line,
 * --csv-file); the script itself switches that off for every other answer. And its directive
 * constants were global `readonly` variables, shared by every CLI whose script comes from the
 * library: sourcing a second such script (or this one again, from a re-read ~/.bashrc) printed
 * "readonly variable" errors; here they are awskeys' own, and plain.
 */
export function withoutBashCompletionPackage(script: string): string {
  if (!script.includes(WORDS_BY_REF) || !script.includes(REGISTRATION)) {
    throw new Error('the bash completion script of @bomb.sh/tab changed; update withoutBashCompletionPackage');
  }
  return script
    .replace(
      WORDS_BY_REF,
      [
        'if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then',
        `        ${WORDS_BY_REF}`,
        '    else',
        '        words=("${COMP_WORDS[@]:0:COMP_CWORD+1}")',
        '        cword=$COMP_CWORD',
        '        cur=${COMP_WORDS[COMP_CWORD]}',
        '        prev=${COMP_WORDS[COMP_CWORD-1]}',
        '    fi',
      ].join('\n'),
    )
    .replace(REGISTRATION, 'complete -o default -F __awskeys_complete awskeys')
    .replaceAll('readonly ShellCompDirective', 'ShellCompDirective')
    .replaceAll('ShellCompDirective', '__awskeys_ShellCompDirective');
}

import type { Command, CommanderError } from 'commander';
import { UsageError } from '../errors/cli-error.js';

/**
 * Commander's own usage errors (unknown option or command, missing option argument or required
 * option, too many arguments, a bad choice, a missing subcommand) as the one-line UsageError every
 * other error is: `awskeys: error: Unknown option '--bogus'. (hint: see awskeys iam list-keys --help)`,
 * exit 2. `command` is the command that rejected the line. Asked-for help and the version
 * (exit code 0) are not errors and pass through unchanged.
 */
export function commanderUsageError(err: CommanderError, command: Command): UsageError | CommanderError {
  if (err.exitCode === 0) return err;
  const path = commandPath(command);
  const help = `see ${path} --help`;
  // `awskeys iam` alone: commander would print the whole help on stderr.
  if (err.code === 'commander.help') {
    // `awskeys help frobnicate`: help for a command that does not exist.
    const [first, asked] = command.args;
    if (first === 'help' && asked !== undefined) return new UsageError(`Unknown command '${asked}'.`, { hint: help });
    const names = command
      .createHelp()
      .visibleCommands(command)
      .map((c) => c.name())
      .filter((name) => name !== 'help');
    return new UsageError(`${path} needs a command.`, { hint: `one of ${names.join(', ')}; ${help}` });
  }
  // "error: unknown option '--prfile'\n(Did you mean --profile?)"; the option itself may hold a newline.
  const text = err.message.replace(/^error: /, '');
  const match = /\n\((Did you mean [^\n]*\?)\)$/.exec(text);
  const suggestion = match?.[1];
  const first = match ? text.slice(0, match.index) : text;
  const message = `${first.charAt(0).toUpperCase()}${first.slice(1)}`.replace(/([^.])$/, '$1.');
  return new UsageError(message, { hint: suggestion ? `${lowerFirst(suggestion)} ${help}` : help, cause: err });
}

/**
 * Options are flags with a value, and an empty value (`--user ''`, `--profile ""`, often a shell
 * variable that was never set) never means anything: left to the command it would act on the
 * caller's own user or the default profile instead. Called before every action.
 */
export function rejectEmptyOptionValues(command: Command): void {
  for (const option of command.options) {
    const key = option.attributeName();
    if (command.getOptionValue(key) !== '' || command.getOptionValueSource(key) !== 'cli') continue;
    const flag = option.long ?? option.short ?? key;
    throw new UsageError(`${flag} was given an empty value.`, {
      hint: `give ${flag} a value, or leave it out; see ${commandPath(command)} --help`,
    });
  }
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function lowerFirst(text: string): string {
  return `${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}

/**
 * The words that ask commander for help in awskeys' command table: the help option's flags and the
 * implicit help command. src/cli/entry.ts loads the help model (dist/help.cjs) only for a command
 * line holding one of them; help-model.ts fails the build if the table takes another word for help.
 */
export const HELP_WORDS: readonly string[] = ['--help', '-h', 'help'];

/** Whether `argv` may ask for help (only a cheap look: help-model.ts decides). */
export function mentionsHelp(argv: readonly string[]): boolean {
  return argv.some((word) => HELP_WORDS.includes(word));
}

import { Argument, type Command } from 'commander';
import type { Deps } from '../../app/deps.js';
import { COMPLETION_SHELLS, type CompletionShell } from './completion-shells.js';

/**
 * `awskeys completion SHELL` prints the script a shell sources; the hidden `awskeys complete --
 * WORDS...` is what that script calls on every TAB. Both lazily load @bomb.sh/tab, which reads the
 * command table from a fresh copy of the program (`tableForCompletion`, built without these two
 * commands, which the library adds itself).
 */
export function registerCompletionCommands(program: Command, getDeps: () => Deps, tableForCompletion: () => Command): void {
  program
    .command('completion')
    .description('Print the TAB-completion script for a shell (commands, flags, profile and sso-session names).')
    .addArgument(new Argument('<shell>', 'the shell to complete in').choices(COMPLETION_SHELLS))
    .addHelpText(
      'after',
      [
        '',
        'Install:',
        '  bash         echo \'source <(awskeys completion bash)\' >> ~/.bashrc',
        '  zsh          echo \'source <(awskeys completion zsh)\' >> ~/.zshrc',
        '  fish         awskeys completion fish > ~/.config/fish/completions/awskeys.fish',
        '  powershell   awskeys completion powershell | Out-String | Invoke-Expression   (in $PROFILE)',
      ].join('\n'),
    )
    .action(async (shell: string) => {
      const { completionScriptCommand } = await import('./completion-command.js');
      completionScriptCommand(shell as CompletionShell, tableForCompletion(), getDeps());
    });

  program
    .command('complete', { hidden: true })
    .description('Print completions for a command line (called by the completion scripts).')
    .argument('[words...]')
    .allowUnknownOption()
    .helpOption(false)
    .action(async (words: string[] | undefined) => {
      const { completeCommand } = await import('./completion-command.js');
      completeCommand(words ?? [], tableForCompletion(), getDeps());
    });
}

import { InterruptedError } from '../errors.js';
import type { Choice, Prompter } from './prompter.js';
export { filterChoices } from './filter-choices.js';

/**
 * The real terminal prompter. @inquirer/prompts is imported lazily so commands that never ask
 * (env, credential-process) do not pay for loading it. Prompts render on stderr (or the terminal
 * device, see terminal-prompter.ts): stdout carries only results.
 */
export function inquirerPrompter(output: NodeJS.WritableStream, signal?: AbortSignal, input?: NodeJS.ReadableStream): Prompter {
  const context = { output, clearPromptOnDone: false, ...(signal ? { signal } : {}), ...(input ? { input } : {}) };
  const load = () => import('@inquirer/prompts');
  return {
    interactive: true,
    confirm: (q) =>
      guard(async () => (await load()).confirm({ message: q.message, default: q.default ?? false }, context)),
    input: (q) =>
      guard(async () =>
        (await load()).input(
          {
            message: q.message,
            ...(q.default !== undefined ? { default: q.default } : {}),
            ...(q.validate ? { validate: (v: string) => q.validate?.(v) ?? true } : {}),
          },
          context,
        ),
      ),
    select: <T>(q: { message: string; choices: readonly Choice<T>[]; default?: T }) =>
      guard(async () =>
        (await load()).select<T>(
          {
            message: q.message,
            choices: q.choices.map(toInquirerChoice),
            pageSize: 12,
            ...(q.default !== undefined ? { default: q.default } : {}),
          },
          context,
        ),
      ),
    search: <T>(q: { message: string; choices: readonly Choice<T>[] }) =>
      guard(async () => {
        const { searchPrompt } = await import('./search-prompt.js');
        // createPrompt's value type is fixed at unknown; the choices' values are what comes back.
        return (await searchPrompt({ message: q.message, choices: q.choices, pageSize: 12 }, context));
      }),
  };
}

function toInquirerChoice<T>(c: Choice<T>) {
  return {
    name: c.label,
    value: c.value,
    ...(c.description !== undefined ? { description: c.description } : {}),
    ...(c.disabled !== undefined ? { disabled: c.disabled } : {}),
  };
}

async function guard<T>(ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (err) {
    // Ctrl-C at a prompt (ExitPromptError) or an aborted signal: stop cleanly, write nothing.
    const name = (err as { name?: string }).name;
    if (name === 'ExitPromptError' || name === 'AbortPromptError') throw new InterruptedError();
    throw err;
  }
}

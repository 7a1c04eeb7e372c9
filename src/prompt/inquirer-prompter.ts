import { InterruptedError } from '../errors.js';
import type { Choice, Prompter } from './prompter.js';

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
      guard(async () =>
        (await load()).search<T>(
          {
            message: q.message,
            pageSize: 12,
            source: (term) => Promise.resolve(filterChoices(q.choices, term ?? '').map(toInquirerChoice)),
          },
          context,
        ),
      ),
  };
}

/**
 * Case-insensitive filter: every space-separated word must appear in the label or description.
 * Linear in the number of choices, so a few thousand accounts filter per keystroke without lag.
 */
export function filterChoices<T>(choices: readonly Choice<T>[], term: string): Choice<T>[] {
  const words = term.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...choices];
  return choices.filter((c) => {
    const hay = `${c.label} ${c.description ?? ''}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
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

import type { ReadStream } from 'node:tty';
import { InterruptedError } from '../errors/cli-error.js';
import type { Choice, Prompter } from './prompter.js';
export { filterChoices } from './filter-choices.js';

/**
 * The real terminal prompter. @inquirer/prompts is imported lazily so commands that never ask
 * (env, credential-process) do not pay for loading it. Prompts render on stderr (or the terminal
 * device, see terminal-prompter.ts): stdout carries only results.
 */
export function inquirerPrompter(output: NodeJS.WritableStream, signal?: AbortSignal, input?: NodeJS.ReadableStream): Prompter {
  const terminal = input ?? process.stdin;
  survivesHangUp(terminal);
  const context = { output, clearPromptOnDone: false, signal: untilHangUp(terminal, signal), ...(input ? { input } : {}) };
  const load = () => import('@inquirer/prompts');
  return {
    interactive: true,
    confirm: (q) =>
      guard(async () => (await load()).confirm({ message: q.message, default: q.default ?? false }, context)),
    input: (q) =>
      guard(async () =>
        q.hidden
          ? (await load()).password(
              { message: q.message, ...(q.validate ? { validate: (v: string) => q.validate?.(v) ?? true } : {}) },
              context,
            )
          : (await load()).input(
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

/**
 * `signal`, or the end of the terminal's input: a terminal that hangs up ends it, and a question
 * nobody can answer any more must stop (as on Ctrl-C, writing nothing) rather than leave awskeys
 * waiting on nothing. Node would then simply exit 0, since an unanswered prompt keeps nothing alive.
 */
function untilHangUp(input: NodeJS.ReadableStream, signal: AbortSignal | undefined): AbortSignal {
  const ended = new AbortController();
  input.once('end', () => ended.abort());
  return signal ? AbortSignal.any([signal, ended.signal]) : ended.signal;
}

const TOLERANT = Symbol('awskeys.survivesHangUp');

/**
 * A terminal that hangs up (a closed window, a dropped SSH session) ends its input and fails every
 * later mode change with EIO. Closing the prompt, readline turns raw mode off, and node hands that
 * failure to an 'error' event of readline's interface, which nobody can listen to (it lives inside
 * @inquirer/core): awskeys would crash (SIGABRT) instead of stopping cleanly on the SIGHUP that
 * comes with the hang-up. There is no terminal left to restore, so that failure is dropped.
 */
function survivesHangUp(input: NodeJS.ReadableStream): void {
  const terminal = input as Partial<Pick<ReadStream, 'setRawMode' | 'isTTY'>> & { [TOLERANT]?: true };
  const { setRawMode } = terminal;
  if (!terminal.isTTY || typeof setRawMode !== 'function' || terminal[TOLERANT]) return;
  terminal[TOLERANT] = true;
  terminal.setRawMode = function (this: ReadStream, mode: boolean) {
    try {
      return setRawMode.call(this, mode);
    } catch (err) {
      if ((err as { syscall?: unknown } | null)?.syscall !== 'setRawMode') throw err;
      return this;
    }
  };
}

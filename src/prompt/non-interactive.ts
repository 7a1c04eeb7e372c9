import { NeedsInputError } from '../errors/cli-error.js';
import type { Prompter, QuestionBase } from './prompter.js';

/** Used when there is no terminal: never waits for input, fails naming the flag instead. */
export const nonInteractivePrompter: Prompter = {
  interactive: false,
  confirm: (q) => Promise.reject(refuse(q)),
  input: (q) => Promise.reject(refuse(q)),
  select: (q) => Promise.reject(refuse(q)),
  search: (q) => Promise.reject(refuse(q)),
};

function refuse(q: QuestionBase): NeedsInputError {
  const what = q.message.replace(/[?:]\s*$/, '');
  return new NeedsInputError(`No terminal to ask "${what}".`, {
    hint: q.flag ? `pass ${q.flag}` : 'run it in a terminal, or pass the flags that answer it (see --help)',
  });
}

import type { Prompter, QuestionBase } from '../../src/prompt/prompter.js';

/**
 * A prompter for tests: answers come from a map keyed by question name. An unexpected question
 * throws, so a test fails loudly when a command asks something it should not.
 */
export function fakePrompter(answers: Record<string, unknown>): Prompter & { asked: string[]; questions: QuestionBase[] } {
  const asked: string[] = [];
  /** Every question as asked (a select's choices and default included), for tests of what is offered. */
  const questions: QuestionBase[] = [];
  const answer = <T>(q: QuestionBase): Promise<T> => {
    asked.push(q.name);
    questions.push(q);
    if (!(q.name in answers)) return Promise.reject(new Error(`unexpected question ${q.name}: ${q.message}`));
    return Promise.resolve(answers[q.name] as T);
  };
  return {
    interactive: true,
    asked,
    questions,
    confirm: (q) => answer<boolean>(q),
    input: (q) => answer<string>(q),
    select: <T>(q: QuestionBase) => answer<T>(q),
    search: <T>(q: QuestionBase) => answer<T>(q),
  };
}

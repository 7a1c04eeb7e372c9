import type { Prompter, QuestionBase } from '../../src/prompt/prompter.js';

/**
 * A prompter for tests: answers come from a map keyed by question name. An unexpected question
 * throws, so a test fails loudly when a command asks something it should not.
 */
export function fakePrompter(answers: Record<string, unknown>): Prompter & { asked: string[] } {
  const asked: string[] = [];
  const answer = <T>(q: QuestionBase): Promise<T> => {
    asked.push(q.name);
    if (!(q.name in answers)) return Promise.reject(new Error(`unexpected question ${q.name}: ${q.message}`));
    return Promise.resolve(answers[q.name] as T);
  };
  return {
    interactive: true,
    asked,
    confirm: (q) => answer<boolean>(q),
    input: (q) => answer<string>(q),
    select: <T>(q: QuestionBase) => answer<T>(q),
    search: <T>(q: QuestionBase) => answer<T>(q),
  };
}

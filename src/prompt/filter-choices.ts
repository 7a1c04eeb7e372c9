import type { Choice } from './prompter.js';

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

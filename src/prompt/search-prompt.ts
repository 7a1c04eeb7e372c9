import {
  createPrompt,
  isDownKey,
  isEnterKey,
  isUpKey,
  makeTheme,
  useMemo,
  usePagination,
  usePrefix,
  useRef,
  useState,
  useKeypress,
} from '@inquirer/core';
import type { Choice } from './prompter.js';
import { filterChoices } from './filter-choices.js';

interface SearchConfig<T> {
  message: string;
  choices: readonly Choice<T>[];
  pageSize: number;
}

/**
 * Type-to-filter over a fixed list, filtered synchronously on every key. @inquirer/search filters
 * through an asynchronous source, so when a filter and Enter arrive in one burst (a paste, a laggy
 * SSH link, tmux send-keys) Enter picks from the list of an earlier filter: the account saved
 * was not the one shown. Here Enter always acts on the results of the text typed so far, the
 * text on the screen, whatever has been rendered.
 */
export const searchPrompt = createPrompt(<T>(config: SearchConfig<T>, done: (value: T) => void) => {
  const theme = makeTheme({});
  const [status, setStatus] = useState<'idle' | 'done'>('idle');
  const [term, setTerm] = useState('');
  const [active, setActive] = useState(0);
  const [answer, setAnswer] = useState('');
  // The text typed so far and the row chosen for it, current even between renders.
  const typed = useRef({ term: '', active: 0 });
  const prefix = usePrefix({ status, theme });
  const results = useMemo(() => filterChoices(config.choices, term), [term]);

  useKeypress((key, rl) => {
    if (isEnterKey(key)) {
      const now = filterChoices(config.choices, typed.current.term);
      const chosen = now[Math.min(typed.current.active, now.length - 1)];
      if (!chosen) {
        // Nothing matches: put the text back (readline cleared the line) and keep asking.
        rl.write(typed.current.term);
        return;
      }
      setAnswer(chosen.label);
      setStatus('done');
      done(chosen.value);
      return;
    }
    if (isUpKey(key) || isDownKey(key)) {
      rl.clearLine(0);
      rl.write(typed.current.term);
      const count = filterChoices(config.choices, typed.current.term).length;
      const next = Math.max(0, Math.min(count - 1, typed.current.active + (isUpKey(key) ? -1 : 1)));
      typed.current.active = next;
      setActive(next);
      return;
    }
    if (rl.line !== typed.current.term) {
      typed.current = { term: rl.line, active: 0 };
      setTerm(rl.line);
      setActive(0);
    }
  });

  const page = usePagination({
    items: results,
    active: Math.min(active, Math.max(0, results.length - 1)),
    renderItem: ({ item, isActive }) => (isActive ? theme.style.highlight(`❯ ${item.label}`) : `  ${item.label}`),
    pageSize: config.pageSize,
    loop: false,
  });

  if (status === 'done') return `${prefix} ${theme.style.message(config.message, status)} ${theme.style.answer(answer)}`;
  const header = [prefix, theme.style.message(config.message, status), term].filter(Boolean).join(' ').trimEnd();
  const list = results.length === 0 && term !== '' ? theme.style.error('No results found') : page;
  const help = theme.style.help('type to filter • ↑↓ navigate • ⏎ select');
  return [header, [list, ' ', help].join('\n').trimEnd()];
});

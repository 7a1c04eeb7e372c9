/**
 * Every question awskeys asks goes through this interface. Each question has a stable `name` so a
 * test can answer it from a map, and so the non-interactive prompter can say which flag replaces it.
 */
export interface Choice<T> {
  /** What the user sees (and, for search, what typing filters on). */
  label: string;
  value: T;
  /** Extra text shown for the highlighted choice. */
  description?: string | undefined;
  disabled?: boolean | string | undefined;
}

export interface QuestionBase {
  /** Stable identifier, e.g. "create-key.destination". */
  name: string;
  message: string;
  /** The flag that answers this question without a terminal, e.g. "--account-id". */
  flag?: string | undefined;
}

export interface ConfirmQuestion extends QuestionBase {
  default?: boolean;
}

export interface InputQuestion extends QuestionBase {
  default?: string;
  /** Returns an error message, or undefined when the value is acceptable. */
  validate?: (value: string) => string | undefined;
  /** A secret (a passphrase): what is typed is not shown. */
  hidden?: boolean;
}

export interface SelectQuestion<T> extends QuestionBase {
  choices: readonly Choice<T>[];
  default?: T;
}

export interface Prompter {
  /** True when questions can be asked (stdin and stderr are terminals). */
  readonly interactive: boolean;
  confirm(q: ConfirmQuestion): Promise<boolean>;
  input(q: InputQuestion): Promise<string>;
  select<T>(q: SelectQuestion<T>): Promise<T>;
  /** Type-to-filter search over many choices (thousands of accounts). */
  search<T>(q: SelectQuestion<T>): Promise<T>;
}

import { UsageError } from '../../errors/cli-error.js';

/**
 * Profile names for `sso populate`: a template with placeholders, and a normalization that turns
 * any account name (brackets, comment characters, line breaks, unicode) into a name every reader
 * of the AWS files and every shell takes as it is. See docs/sso.md, "Profile names".
 */

/** The default, documented and stable: changing it would rename every user's profiles. */
export const DEFAULT_TEMPLATE = '{account_name}-{role_name}';

export const PLACEHOLDERS = ['account_name', 'account_id', 'role_name', 'session'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** What one assignment contributes to its profile's name. */
export interface NameFields {
  accountName: string;
  accountId: string;
  roleName: string;
  session: string;
}

export type TemplatePart = { literal: string } | { placeholder: Placeholder };

export interface NameTemplate {
  source: string;
  parts: TemplatePart[];
}

/**
 * Characters a generated name keeps: letters, digits and `. _ - @ + , / :`. None of them needs
 * quoting in a section header, a shell word, or botocore's shlex split, and none starts a comment.
 */
const UNSAFE = /[^A-Za-z0-9._@+,/:-]+/g;

/**
 * Parses and checks a template before any call to AWS: UsageError (exit 2) for an empty template,
 * an unknown placeholder, a brace that is not part of one, literal text that is not a safe name,
 * or a template with nothing that tells two assignments apart.
 */
export function parseTemplate(source: string): NameTemplate {
  const usage = (problem: string) =>
    new UsageError(`Invalid --template ${JSON.stringify(source)}: ${problem}.`, {
      hint: `use the placeholders ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')} and letters, digits, . _ - @ + , / : (default: ${DEFAULT_TEMPLATE})`,
    });
  if (source === '') throw usage('it is empty');
  const parts: TemplatePart[] = [];
  const pattern = /\{([^{}]*)\}|[^{}]+|[{}]/g;
  for (const match of source.matchAll(pattern)) {
    const [text, inner] = match;
    if (inner !== undefined) {
      if (!(PLACEHOLDERS as readonly string[]).includes(inner)) throw usage(`unknown placeholder {${inner}}`);
      parts.push({ placeholder: inner as Placeholder });
    } else if (text === '{' || text === '}') {
      throw usage(`a "${text}" that is not part of a placeholder`);
    } else {
      const bad = text.match(UNSAFE);
      if (bad) throw usage(`${JSON.stringify(bad[0])} cannot be part of a profile name`);
      parts.push({ literal: text });
    }
  }
  const varies = parts.some((p) => 'placeholder' in p && p.placeholder !== 'session');
  if (!varies) throw usage('it needs {account_name}, {account_id} or {role_name}, or every profile gets the same name');
  if (!/[A-Za-z0-9]/.test(renderName({ source, parts }, { accountName: 'a', accountId: '1', roleName: 'r', session: 's' }))) {
    throw usage('it yields names without a letter or digit');
  }
  return { source, parts };
}

/**
 * One assignment's profile name: each field normalized (an account name that normalizes to
 * nothing becomes the account id), the parts joined, then runs of `-` collapsed and `-` or `.`
 * trimmed from both ends, so a name never looks like a flag.
 */
export function renderName(template: NameTemplate, fields: NameFields): string {
  const text = template.parts
    .map((part) => ('literal' in part ? part.literal : fieldValue(part.placeholder, fields)))
    .join('');
  return tidy(text);
}

/** Any text as a name part: unicode folded to ASCII where it has a base letter, the rest `-`. */
export function normalizeNamePart(text: string): string {
  return tidy(
    text
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .replace(UNSAFE, '-'),
  );
}

function fieldValue(placeholder: Placeholder, fields: NameFields): string {
  switch (placeholder) {
    case 'account_name':
      return normalizeNamePart(fields.accountName) || fields.accountId;
    case 'account_id':
      return fields.accountId;
    case 'role_name':
      return normalizeNamePart(fields.roleName);
    case 'session':
      return normalizeNamePart(fields.session);
  }
}

function tidy(text: string): string {
  return text.replace(/-{2,}/g, '-').replace(/^[-.]+|[-.]+$/g, '');
}

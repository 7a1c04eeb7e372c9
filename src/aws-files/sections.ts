import { UsageError } from '../errors/cli-error.js';

/**
 * Section names in the two AWS files. See shared/docs/protocol-reference.md §4.2: the config file
 * prefixes profiles with `profile ` (except `default`), the credentials file uses bare names.
 */
export type AwsFileKind = 'config' | 'credentials';

/** What a config-file section header means to botocore (shlex-split, exactly two words). */
export type SectionRef =
  | { type: 'profile' | 'sso-session' | 'services'; name: string }
  | { type: 'other'; name: string };

/**
 * credentials file: the bare name. config: 'default' for default, else `profile NAME`; NAME
 * quoted as 'NAME' when it contains whitespace (as the AWS CLI writes it).
 */
export function profileSectionName(kind: AwsFileKind, profile: string): string {
  if (kind === 'credentials' || profile === 'default') return profile;
  return `profile ${quoteName(profile)}`;
}

export function ssoSessionSectionName(name: string): string {
  return `sso-session ${quoteName(name)}`;
}

export function servicesSectionName(name: string): string {
  return `services ${quoteName(name)}`;
}

/**
 * Throws UsageError (exit 2) for names that would break the file or that no SDK could read back:
 * empty, [ or ], newline/CR, '=', leading '#' or ';', leading/trailing whitespace, and '#' or ';'
 * after whitespace (the JS SDK strips that as an inline comment, cutting the header in two).
 */
export function assertValidSectionName(name: string, what = 'profile name'): void {
  const problem = sectionNameProblem(name);
  if (problem !== undefined) {
    throw new UsageError(`Invalid ${what} ${JSON.stringify(name)}: ${problem}.`, {
      hint: `choose a ${what} of letters, digits and - _ . @ (for example: dev, acme.prod)`,
    });
  }
}

function sectionNameProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (name === 'DEFAULT') {
    return "DEFAULT is configparser's defaults section: botocore reads no profile from it and adds its keys to every profile";
  }
  if (/[\r\n]/.test(name)) return 'it contains a line break';
  if (/[[\]]/.test(name)) return 'it contains [ or ]';
  if (name.includes('=')) return "it contains '='";
  if (/^[#;]/.test(name)) return "it starts with '#' or ';' (a comment)";
  if (name.trim() !== name) return 'it starts or ends with whitespace';
  if (/\s[#;]/.test(name)) return "it has '#' or ';' after a space (read as a comment)";
  return undefined;
}

/**
 * Reads a config-file section name the way botocore's build_profile_map does: a name that STARTS
 * WITH `profile` (then `sso-session`, `services`) is shlex-split and names something only when it
 * splits into exactly two words, the second being the name (so `[profile  'a b' ]` is profile
 * `a b`, and even `[profiles x]` is profile `x`). Anything else is 'other' (`[default]` included).
 */
export function parseSectionRef(section: string): SectionRef {
  const type = (['profile', 'sso-session', 'services'] as const).find((t) => section.startsWith(t));
  if (type !== undefined) {
    const words = splitWords(section);
    if (words?.length === 2 && words[1] !== undefined) return { type, name: words[1] };
  }
  return { type: 'other', name: section };
}

// botocore splits headers with shlex, so a name with whitespace or quote characters must be quoted
// to survive (the AWS CLI quotes only whitespace; quotes and backslashes would otherwise make
// botocore drop the profile). Python's shlex.quote rules.
function quoteName(name: string): string {
  if (!/[\s'"\\]/.test(name)) return name;
  return `'${name.replaceAll("'", `'"'"'`)}'`;
}

/** POSIX shlex.split: undefined on an unterminated quote or trailing backslash. */
function splitWords(text: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    // shlex's whitespace: space, tab, CR, LF.
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) return undefined;
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let value = '';
      let j = i + 1;
      for (; j < text.length && text.charAt(j) !== '"'; j++) {
        if (text.charAt(j) === '\\' && '\\"$`\n'.includes(text.charAt(j + 1)) && j + 1 < text.length) j++;
        value += text.charAt(j);
      }
      if (j >= text.length) return undefined;
      word = (word ?? '') + value;
      i = j;
    } else if (c === '\\') {
      if (i + 1 >= text.length) return undefined;
      word = (word ?? '') + text.charAt(i + 1);
      i++;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

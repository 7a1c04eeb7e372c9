import { CredentialsError, UsageError } from '../errors/cli-error.js';
import type { AwsCredentials, OutputFormat } from './credentials.js';
import { shSingleQuote } from '../text/shell-word.js';
import { formatTimestamp } from '../util/timestamp.js';

/**
 * Credentials as text for each shell and for credential_process. Pure functions: the exact bytes
 * are the contract, and a value a format cannot carry faithfully is refused rather than mangled
 * (a wrong secret that "looks exported" is worse than an error). See docs/env.md.
 */

export interface RenderOptions {
  /** AWS_REGION and AWS_DEFAULT_REGION; undefined leaves them out (--no-region, or none known). */
  region?: string | undefined;
}

export interface UnsetOptions {
  /** Also clear AWS_REGION and AWS_DEFAULT_REGION (default true; false with --no-region). */
  region?: boolean | undefined;
}

/** The variables `env` manages, in the order they are printed. */
export const CREDENTIAL_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
] as const;
export const REGION_VARIABLES = ['AWS_REGION', 'AWS_DEFAULT_REGION'] as const;

type VariableName = (typeof CREDENTIAL_VARIABLES)[number] | (typeof REGION_VARIABLES)[number];

/** A variable to set, or (value undefined) to clear. */
interface Assignment {
  name: VariableName;
  value: string | undefined;
}

interface ShellSyntax {
  set(name: string, value: string): string;
  unset(name: string): string;
}

export function renderCredentials(creds: AwsCredentials, format: OutputFormat, options: RenderOptions = {}): string {
  if (format === 'json') return renderProcessJson(creds);
  const assignments: Assignment[] = [
    { name: 'AWS_ACCESS_KEY_ID', value: creds.accessKeyId },
    { name: 'AWS_SECRET_ACCESS_KEY', value: creds.secretAccessKey },
    // Cleared when absent: a session token left over from an earlier eval, paired with new
    // long-lived keys, makes every request fail its signature check; a stale expiration makes
    // the SDKs treat fresh keys as expired.
    { name: 'AWS_SESSION_TOKEN', value: creds.sessionToken === '' ? undefined : creds.sessionToken },
    { name: 'AWS_CREDENTIAL_EXPIRATION', value: creds.expiration ? formatTimestamp(creds.expiration) : undefined },
  ];
  if (options.region) {
    assignments.push({ name: 'AWS_REGION', value: options.region }, { name: 'AWS_DEFAULT_REGION', value: options.region });
  }
  if (format === 'dotenv') {
    // A dotenv file cannot unset anything: absent values are simply not written.
    return lines(assignments.flatMap((a) => (a.value === undefined ? [] : [dotenvLine(a.name, a.value)])));
  }
  const syntax = SHELLS[format];
  return lines(assignments.map((a) => (a.value === undefined ? syntax.unset(a.name) : syntax.set(a.name, a.value))));
}

export function renderUnset(format: OutputFormat, options: UnsetOptions = {}): string {
  if (format === 'json' || format === 'dotenv') {
    throw new UsageError(`--unset has no ${format} form: a ${format === 'json' ? 'JSON document' : 'dotenv file'} cannot clear variables.`, {
      hint: 'use --format sh, fish, powershell or cmd with --unset',
    });
  }
  const names: VariableName[] = [...CREDENTIAL_VARIABLES, ...(options.region === false ? [] : REGION_VARIABLES)];
  return lines(names.map((name) => SHELLS[format].unset(name)));
}

/**
 * The credential_process document (protocol-reference §5.1), laid out like
 * `aws configure export-credentials --format process`: Version is the number 1.
 */
function renderProcessJson(creds: AwsCredentials): string {
  const doc: Record<string, string | number> = {
    Version: 1,
    AccessKeyId: creds.accessKeyId,
    SecretAccessKey: creds.secretAccessKey,
  };
  if (creds.sessionToken) doc.SessionToken = creds.sessionToken;
  if (creds.expiration) doc.Expiration = formatTimestamp(creds.expiration);
  // Optional in the contract; botocore and the JS SDK both use it for account-based endpoints.
  if (creds.accountId) doc.AccountId = creds.accountId;
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const SHELLS: Record<Exclude<OutputFormat, 'json' | 'dotenv'>, ShellSyntax> = {
  // POSIX single quotes keep every byte literal (newlines included); a ' is closed, escaped, reopened.
  sh: {
    set: (name, value) => `export ${name}=${shSingleQuote(checked(value, name, 'sh'))}`,
    unset: (name) => `unset ${name}`,
  },
  // fish single quotes: only \\ and \' are escapes. `-g` so a source inside a function still sets globals.
  // `set -e` of an unset variable returns 4, which would be `source`'s status: `; or true` keeps it 0.
  fish: {
    set: (name, value) => `set -gx ${name} '${checked(value, name, 'fish').replace(/[\\']/g, '\\$&')}'`,
    unset: (name) => `set -e -g ${name}; or true`,
  },
  // PowerShell single quotes: no expansion; a quote is doubled. PowerShell also treats the
  // typographic single quotes U+2018..U+201B as quote characters, so those are doubled too.
  powershell: {
    set: (name, value) => `$Env:${name} = '${checked(value, name, 'powershell').replace(/['\u2018-\u201b]/g, '$&$&')}'`,
    // Remove-Item of a missing variable is a (silenced) error that still sets $? to false.
    unset: (name) => `if (Test-Path Env:${name}) { Remove-Item -Path Env:${name} }`,
  },
  // cmd: inside set "NAME=value" the quotes protect & | < > ^, but nothing protects % and !
  // (expanded even in quotes), a " (ends the quoting) or a line break (ends the command).
  cmd: {
    set: (name, value) => `set "${name}=${refuse(checked(value, name, 'cmd'), name, 'cmd', CMD_UNSAFE)}"`,
    // Clearing an undefined variable may set ERRORLEVEL; only clear what is defined.
    unset: (name) => `if defined ${name} set "${name}="`,
  },
};

const CMD_UNSAFE = /[\r\n"%!]/;
// What the dotenv parsers disagree on (python-dotenv, the dotenv npm package, Node's --env-file,
// docker compose): \ escapes, \" inside double quotes, $ interpolation, and carriage returns.
const DOTENV_UNSAFE = /[\r"\\$]/;

/** NAME="value", newlines written as \n: every dotenv parser listed above reads that back exactly. */
function dotenvLine(name: string, value: string): string {
  return `${name}="${refuse(checked(value, name, 'dotenv'), name, 'dotenv', DOTENV_UNSAFE).replace(/\n/g, '\\n')}"`;
}


/** No environment variable anywhere can hold a NUL character. */
function checked(value: string, name: string, format: OutputFormat): string {
  if (value.includes('\0')) {
    throw new CredentialsError(`The value for ${name} contains a NUL character, which no environment variable can hold.`, {
      hint: `check where the credentials come from; --format ${format} cannot carry it`,
    });
  }
  return value;
}

function refuse(value: string, name: string, format: OutputFormat, unsafe: RegExp): string {
  const bad = unsafe.exec(value);
  if (bad) {
    throw new CredentialsError(
      `The value for ${name} contains ${describe(bad[0])}, which --format ${format} cannot carry faithfully.`,
      { hint: `use --format ${format === 'cmd' ? 'powershell' : 'sh'} or --format json instead` },
    );
  }
  return value;
}

function describe(char: string): string {
  if (char === '\n') return 'a line break';
  if (char === '\r') return 'a carriage return';
  return `the character ${char}`;
}

function lines(items: readonly string[]): string {
  return items.map((line) => `${line}\n`).join('');
}

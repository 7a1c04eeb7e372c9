import { OUTPUT_FORMATS, type OutputFormat } from '../../output/credentials.js';
import type { CredentialProcessOptions, EnvOptions } from './env-command.js';

export type FastInvocation =
  | { command: 'env'; options: EnvOptions }
  | { command: 'credential-process'; options: CredentialProcessOptions };

/**
 * The hot path's own reading of `env` / `credential-process` argv, so that a shell start-up or an
 * SDK's credential_process call does not load commander: loading it costs about a quarter of
 * `node -e 0`'s start-up time, which is the whole budget of `awskeys env` on a static profile
 * (docs/env.md, "Speed"; scripts/bench.mjs measures it). It accepts only the plain,
 * well-formed spellings of the flags registered in env.cli.ts and returns undefined for anything
 * else (help, unknown or repeated flags, odd values), which then goes through commander and gets
 * its usual messages: the two paths never disagree about what a command line means.
 */
export function parseFastArgv(argv: readonly string[]): FastInvocation | undefined {
  const [command, ...rest] = argv;
  if (command !== 'env' && command !== 'credential-process') return undefined;
  const values = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = canonical(eq > 0 ? arg.slice(0, eq) : arg, command);
    if (flag === undefined || values.has(flag)) return undefined;
    if (flag === 'no-region' || flag === 'unset') {
      if (eq > 0) return undefined;
      values.set(flag, true);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : rest[++i];
    if (value === undefined || value === '' || value.startsWith('-')) return undefined;
    values.set(flag, value);
  }
  const profile = values.get('profile') as string | undefined;
  const mfaCode = values.get('mfa-code') as string | undefined;
  if (command === 'credential-process') return { command, options: { profile, ...(mfaCode !== undefined ? { mfaCode } : {}) } };
  const format = (values.get('format') as string | undefined) ?? 'sh';
  if (!isFormat(format)) return undefined;
  return {
    command,
    options: { profile, format, region: !values.has('no-region'), unset: values.has('unset'), ...(mfaCode !== undefined ? { mfaCode } : {}) },
  };
}

function canonical(flag: string, command: 'env' | 'credential-process'): string | undefined {
  if (flag === '--profile' || flag === '-p') return 'profile';
  if (flag === '--mfa-code') return 'mfa-code';
  if (command === 'credential-process') return undefined;
  if (flag === '--format' || flag === '-f') return 'format';
  if (flag === '--no-region') return 'no-region';
  if (flag === '--unset') return 'unset';
  return undefined;
}

function isFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}

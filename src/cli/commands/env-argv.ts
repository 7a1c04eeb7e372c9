import { OUTPUT_FORMATS, type OutputFormat } from '../../output/credentials.js';
import type { CredentialProcessOptions, EnvOptions } from './env-command.js';
import { parseSessionDuration } from '../../resolve/vault-cached-session.js';

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
    if (flag === 'no-region' || flag === 'unset' || flag === 'no-session') {
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
  const vault = vaultFlags(values);
  if (vault === undefined) return undefined;
  const shared = { ...(mfaCode !== undefined ? { mfaCode } : {}), ...vault };
  if (command === 'credential-process') return { command, options: { profile, ...shared } };
  const format = (values.get('format') as string | undefined) ?? 'sh';
  if (!isFormat(format)) return undefined;
  return {
    command,
    options: { profile, format, region: !values.has('no-region'), unset: values.has('unset'), ...shared },
  };
}

/** --no-session and --duration (parsed as commander's action parses it); undefined for a bad length, which commander then reports. */
function vaultFlags(values: Map<string, string | true>): { session?: false; sessionSeconds?: number } | undefined {
  const duration = values.get('duration') as string | undefined;
  let sessionSeconds: number | undefined;
  try {
    sessionSeconds = duration === undefined ? undefined : parseSessionDuration(duration);
  } catch {
    return undefined;
  }
  return { ...(values.has('no-session') ? { session: false as const } : {}), ...(sessionSeconds !== undefined ? { sessionSeconds } : {}) };
}

function canonical(flag: string, command: 'env' | 'credential-process'): string | undefined {
  if (flag === '--profile' || flag === '-p') return 'profile';
  if (flag === '--mfa-code') return 'mfa-code';
  if (flag === '--no-session') return 'no-session';
  if (flag === '--duration') return 'duration';
  if (command === 'credential-process') return undefined;
  if (flag === '--format' || flag === '-f') return 'format';
  if (flag === '--no-region') return 'no-region';
  if (flag === '--unset') return 'unset';
  return undefined;
}

function isFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}

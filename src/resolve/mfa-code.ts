import { CliError, MfaRefusedError, NeedsInputError } from '../errors/cli-error.js';
import type { Prompter } from '../prompt/prompter.js';
import { shellWord } from '../text/shell-word.js';

/** What a TOTP or hardware MFA device shows; STS's TokenCode is exactly this. */
export const MFA_CODE_PATTERN = /^\d{6}$/;

/** Where the MFA codes of one resolution come from. */
export interface MfaCodes {
  /** --mfa-code: used for the first device that needs a code (a code is good for one call). */
  flag: string | undefined;
  flagUsed: boolean;
  /** The controlling terminal, asked when there is no (unused) flag. */
  terminal: Prompter;
  /** The command that got here, for hints (`awskeys env --profile P`). */
  command: string;
}

/** How many codes a person may type for one device before awskeys gives up. */
export const MFA_ATTEMPTS = 3;

/**
 * Runs `call` (an STS call carrying SerialNumber and TokenCode) with a code for `serial`: the
 * --mfa-code value if unused, else one typed on the terminal, else exit 7 naming the flag. A code
 * AWS refuses is asked again (up to three times) when it was typed, and ends with exit 24 when it
 * came from the flag. Codes are never printed or logged.
 */
export async function withMfaCode<T>(serial: string, profile: string, codes: MfaCodes, call: (code: string) => Promise<T>): Promise<T> {
  let retryNote = '';
  for (let attempt = 1; ; attempt++) {
    const fromFlag = !codes.flagUsed && codes.flag !== undefined;
    const code = fromFlag ? useFlag(codes) : await askCode(serial, profile, codes, retryNote);
    try {
      return await call(code);
    } catch (err) {
      if (!isMfaRefusal(err)) throw err;
      if (fromFlag || attempt >= MFA_ATTEMPTS) {
        throw new MfaRefusedError(`AWS did not accept the MFA code for ${serial} (profile ${profile}): it was wrong, expired, or already used once.`, {
          hint: `wait for the device to show a new code and run it again${fromFlag ? ' with that code in --mfa-code' : ''}; if it keeps failing, check mfa_serial of profile ${shellWord(profile)}`,
          cause: err,
        });
      }
      retryNote = 'AWS did not accept that code (wrong, expired, or used already); wait for the next one. ';
    }
  }
}

function useFlag(codes: MfaCodes): string {
  codes.flagUsed = true;
  return codes.flag ?? '';
}

async function askCode(serial: string, profile: string, codes: MfaCodes, note: string): Promise<string> {
  if (!codes.terminal.interactive) {
    const used = codes.flagUsed ? ' (--mfa-code was used for another device already)' : '';
    throw new NeedsInputError(`Profile ${profile} needs a code from MFA device ${serial}, and there is no terminal to ask on${used}.`, {
      hint: `pass --mfa-code CODE with the 6 digits the device shows, e.g. ${codes.command} --profile ${shellWord(profile)} --mfa-code 123456; the session is then cached`,
    });
  }
  const answer = await codes.terminal.input({
    name: 'mfa.code',
    message: `${note}MFA code for ${serial}`,
    flag: '--mfa-code',
    validate: (value) => (MFA_CODE_PATTERN.test(normalizeMfaCode(value)) ? undefined : 'Type the 6 digits the MFA device shows.'),
  });
  return normalizeMfaCode(answer);
}

/** A pasted code often carries spaces ("123 456") or a line end. */
export function normalizeMfaCode(value: string): string {
  return value.replace(/\s+/g, '');
}

/** STS answers a wrong, expired or reused code (and an unknown device) with AccessDenied naming MultiFactorAuthentication. */
export function isMfaRefusal(err: unknown): boolean {
  if (err instanceof CliError) return isMfaRefusal(err.cause);
  const e = err as { name?: unknown; message?: unknown } | null;
  return (e?.name === 'AccessDenied' || e?.name === 'AccessDeniedException') && /MultiFactorAuthentication/i.test(String(e.message));
}

import type { Output } from '../app/deps.js';
import type { Clock } from '../app/clock.js';

export interface DeviceCodePrompt {
  userCode: string;
  /** The short page where the code is typed (AWS's page no longer shows the code itself). */
  verificationUri: string;
  /** The same page with the code filled in. */
  verificationUriComplete: string;
}

export interface WaitingFor {
  /** "approval in the browser", "the sign-in in the browser". */
  what: string;
  /** When the wait ends on its own (code expiry, timeout). */
  until: Date;
}

/** What the user sees while a login flow runs; everything goes to stderr. */
export interface LoginProgress {
  showCode(prompt: DeviceCodePrompt): void;
  /** After the URL (and the browser line): the spinner on a terminal, one line otherwise. */
  startWaiting(waiting: WaitingFor): void;
  note(line: string): void;
  /** Called after every poll: redraws the spinner and countdown (terminal only). */
  waiting(): void;
  slowedDown(intervalSeconds: number): void;
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const REDRAW_MS = 120;

/**
 * On a terminal, a spinner with the remaining time on one self-rewriting line, cut to the
 * terminal's width so it never wraps (a wrapped line is not erased by \r and ESC[2K, and a
 * narrow terminal would fill with copies); redrawn on a real timer, which is only cosmetic and
 * unref'd. Without a terminal: no spinner, one plain line, so logs stay short.
 */
export function loginProgress(stderr: Output & { readonly columns?: number | undefined }, clock: Clock): LoginProgress {
  let waitingFor: WaitingFor | undefined;
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  let drawn = false;

  const draw = (): void => {
    if (!waitingFor) return;
    const left = Math.max(0, Math.round((waitingFor.until.getTime() - clock.now().getTime()) / 1000));
    const spinner = FRAMES[frame % FRAMES.length] ?? '*';
    frame += 1;
    const line = `${spinner} Waiting for ${waitingFor.what} (${countdown(left)} left)`;
    const width = stderr.columns !== undefined && stderr.columns > 1 ? stderr.columns - 1 : 79;
    stderr.write(`\r\x1b[2K${[...line].slice(0, width).join('')}`);
    drawn = true;
  };
  const clear = (): void => {
    if (drawn) stderr.write('\r\x1b[2K');
    drawn = false;
  };

  return {
    showCode(prompt) {
      stderr.write(
        `To sign in, open ${prompt.verificationUri} on any device and enter the code:\n` +
          `  ${prompt.userCode}\n` +
          `Or open this URL, which fills the code in (check that it shows ${prompt.userCode}):\n` +
          `  ${prompt.verificationUriComplete}\n`,
      );
    },
    startWaiting(next) {
      waitingFor = next;
      if (stderr.isTTY) {
        draw();
        timer = setInterval(draw, REDRAW_MS);
        timer.unref();
      } else {
        const minutes = Math.max(1, Math.round((next.until.getTime() - clock.now().getTime()) / 60_000));
        stderr.write(`Waiting for ${next.what} (up to ${minutes} min)...\n`);
      }
    },
    note(line) {
      clear();
      stderr.write(`${line}\n`);
      if (stderr.isTTY && timer) draw();
    },
    waiting() {
      if (stderr.isTTY && timer) draw();
    },
    slowedDown(intervalSeconds) {
      this.note(`IAM Identity Center asked to poll more slowly: now every ${intervalSeconds} s.`);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      waitingFor = undefined;
      clear();
    },
  };
}

function countdown(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

import type { Output } from '../deps.js';
import type { Clock } from '../clock.js';

export interface DeviceCodePrompt {
  userCode: string;
  verificationUriComplete: string;
  expiresAt: Date;
}

/** What the user sees while the device flow runs; everything goes to stderr. */
export interface LoginProgress {
  showCode(prompt: DeviceCodePrompt): void;
  /** After the code (and the browser line): the spinner on a terminal, one line otherwise. */
  startWaiting(): void;
  note(line: string): void;
  /** Called after every poll: redraws the spinner and countdown (terminal only). */
  waiting(): void;
  slowedDown(intervalSeconds: number): void;
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const REDRAW_MS = 120;

/**
 * On a terminal, a spinner with the code's remaining time on one self-rewriting line (redrawn on a
 * real timer, which is only cosmetic and unref'd); otherwise plain lines, once, so logs stay short.
 */
export function loginProgress(stderr: Output, clock: Clock): LoginProgress {
  let expiresAt: Date | undefined;
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  let drawn = false;

  const draw = (): void => {
    if (!expiresAt) return;
    const left = Math.max(0, Math.round((expiresAt.getTime() - clock.now().getTime()) / 1000));
    const spinner = FRAMES[frame % FRAMES.length] ?? '*';
    frame += 1;
    stderr.write(`\r\x1b[2K${spinner} Waiting for approval in the browser; the code expires in ${countdown(left)}`);
    drawn = true;
  };
  const clear = (): void => {
    if (drawn) stderr.write('\r\x1b[2K');
    drawn = false;
  };

  return {
    showCode(prompt) {
      expiresAt = prompt.expiresAt;
      stderr.write(
        `To sign in, open this URL and check that it shows the code ${prompt.userCode}:\n` +
          `  ${prompt.verificationUriComplete}\n`,
      );
    },
    startWaiting() {
      if (!expiresAt) return;
      if (stderr.isTTY) {
        draw();
        timer = setInterval(draw, REDRAW_MS);
        timer.unref();
      } else {
        const minutes = Math.max(1, Math.round((expiresAt.getTime() - clock.now().getTime()) / 60_000));
        stderr.write(`Waiting for approval (the code expires in ${minutes} min)...\n`);
      }
    },
    note(line) {
      clear();
      stderr.write(`${line}\n`);
      if (stderr.isTTY && timer) draw();
    },
    waiting() {
      if (stderr.isTTY) draw();
    },
    slowedDown(intervalSeconds) {
      this.note(`IAM Identity Center asked to poll more slowly: now every ${intervalSeconds} s.`);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      clear();
    },
  };
}

function countdown(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

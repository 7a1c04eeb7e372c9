import { infoLines, type Reporter } from '../app/reporter.js';
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
 * Messages through the reporter; while waiting, on a terminal, a spinner with the remaining time
 * as the reporter's status line (cut to the terminal's width, cleared before any message), redrawn
 * after each poll and on a real timer, which is only cosmetic and unref'd. Without a terminal: no
 * spinner, one plain line, so logs stay short.
 */
export function loginProgress(report: Pick<Reporter, 'info' | 'status' | 'clearStatus' | 'showsStatus'>, clock: Clock): LoginProgress {
  let waitingFor: WaitingFor | undefined;
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const say = infoLines(report);

  const draw = (): void => {
    if (!waitingFor) return;
    const left = Math.max(0, Math.round((waitingFor.until.getTime() - clock.now().getTime()) / 1000));
    const spinner = FRAMES[frame % FRAMES.length] ?? '*';
    frame += 1;
    report.status(`${spinner} Waiting for ${waitingFor.what} (${countdown(left)} left)`);
  };

  return {
    showCode(prompt) {
      say(
        `To sign in, open ${prompt.verificationUri} on any device and enter the code:\n` +
          `  ${prompt.userCode}\n` +
          `Or open this URL, which fills the code in (check that it shows ${prompt.userCode}):\n` +
          `  ${prompt.verificationUriComplete}`,
      );
    },
    startWaiting(next) {
      waitingFor = next;
      if (report.showsStatus) {
        draw();
        timer = setInterval(draw, REDRAW_MS);
        timer.unref();
      } else {
        const minutes = Math.max(1, Math.round((next.until.getTime() - clock.now().getTime()) / 60_000));
        report.info(`Waiting for ${next.what} (up to ${minutes} min)...`);
      }
    },
    note(line) {
      say(line);
      if (timer) draw();
    },
    waiting() {
      if (timer) draw();
    },
    slowedDown(intervalSeconds) {
      this.note(`IAM Identity Center asked to poll more slowly: now every ${intervalSeconds} s.`);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      waitingFor = undefined;
      report.clearStatus();
    },
  };
}

function countdown(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

import type { Clock } from '../../app/clock.js';
import type { Reporter } from '../../app/reporter.js';
import type { ListingProgress } from './list-assignments.js';
import type { PacerStats } from './portal-pacer.js';

const REDRAW_MS = 200;

/**
 * The reporter's status line while the portal is listed: accounts done / total, requests per
 * second, and the time left. Only on a terminal: in a log, a line per update would be noise.
 */
export function populateProgress(report: Pick<Reporter, 'status' | 'clearStatus'>, clock: Clock, stats: PacerStats) {
  const startMs = clock.now().getTime();
  let lastDrawMs = -Infinity;
  return {
    update(progress: ListingProgress): void {
      const now = clock.now().getTime();
      const finished = progress.accountsTotal !== undefined && progress.accountsDone === progress.accountsTotal;
      if (now - lastDrawMs < REDRAW_MS && !finished) return;
      lastDrawMs = now;
      report.status(progressLine(progress, stats.attempts, now - startMs));
    },
    /** Clears the line, so what follows starts on a clean one. */
    stop(): void {
      report.clearStatus();
    },
  };
}

/** "Listing roles: 120/500 accounts, 19.6 requests/s, about 19 s left" */
export function progressLine(progress: ListingProgress, requests: number, elapsedMs: number): string {
  const seconds = Math.max(elapsedMs / 1000, 0.001);
  const rate = `${(requests / seconds).toFixed(1)} requests/s`;
  if (progress.accountsTotal === undefined) return `Listing accounts: ${progress.accountsListed} so far, ${rate}`;
  const { accountsDone: done, accountsTotal: total } = progress;
  const perSecond = done / seconds;
  const left = done > 0 && perSecond > 0 ? `, about ${Math.ceil((total - done) / perSecond)} s left` : '';
  return `Listing roles: ${done}/${total} accounts, ${rate}${left}`;
}

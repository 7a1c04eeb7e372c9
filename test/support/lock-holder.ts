/**
 * A process that holds a file lock, for src/aws-files/lock.test.ts (bundled with esbuild first,
 * because tsx startup is slow): takes the lock on <path> with the given heartbeat, prints "held",
 * holds it until a line arrives on stdin, then prints "released" and exits.
 * Usage: node lock-holder.mjs <path> <heartbeat ms>
 */
import { withFileLock } from '../../src/aws-files/lock.js';
import { systemClock } from '../../src/app/clock.js';

const [path, heartbeat] = process.argv.slice(2);
if (!path || !heartbeat) throw new Error('usage: lock-holder <path> <heartbeat ms>');

await withFileLock(
  path,
  async () => {
    process.stdout.write('held\n');
    await new Promise((resolve) => process.stdin.once('data', resolve));
    process.stdin.pause();
  },
  { clock: systemClock, heartbeatMs: Number(heartbeat) },
);
process.stdout.write('released\n');

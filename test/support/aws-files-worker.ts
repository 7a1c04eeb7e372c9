/**
 * One writer process for test/aws-files-concurrency.test.ts (bundled with esbuild first, because
 * tsx startup is slow): prints "ready", waits for a line on stdin so all writers start together,
 * then writes its own profile into the credentials file through updateAwsFile.
 * Usage: node worker.mjs <credentials path> <profile name>
 */
import { editSection } from '../../src/aws-files/ini-edit.js';
import { systemClock } from '../../src/app/clock.js';
import { updateAwsFile } from '../../src/aws-files/update-file.js';

const [path, profile] = process.argv.slice(2);
if (!path || !profile) throw new Error('usage: worker <credentials path> <profile name>');

process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.pause();
await updateAwsFile(path, (text) =>
  editSection(text, profile, { aws_access_key_id: `AKIA-${profile}`, aws_secret_access_key: `secret-${profile}` }),
  // A process of its own, like the real CLI: real time for the lock wait.
  { clock: systemClock },
);
// A second, dependent edit: it must see the first one's result, not a stale copy.
await updateAwsFile(path, (text) => editSection(text, profile, { region: 'eu-west-1', aws_session_token: null }), {
  clock: systemClock,
});
process.stdout.write('done\n');

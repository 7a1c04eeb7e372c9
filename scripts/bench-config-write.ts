// Worker for scripts/bench.mjs, "3,000-profile config write": bundled by esbuild and run in its own
// process. Writes a config that already holds 3,000 profiles, then times one updateAwsSections call
// adding 3,000 more (lock, read, one-pass edit, atomic write), as `sso populate` does. Prints ms.
import { writeFileSync } from 'node:fs';
import { systemClock } from '../src/app/clock.js';
import { updateAwsSections } from '../src/aws-files/update-file.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: bench-config-write <config path>');
const existing = Array.from({ length: 3000 }, (_, i) => `[profile old${i}]\nregion = us-east-1 # kept\n`).join('\n');
writeFileSync(path, existing, { mode: 0o600 });
const edits = Array.from({ length: 3000 }, (_, i) => ({
  section: `profile acct${i}.Admin`,
  update: { sso_session: 'corp', sso_account_id: String(100000000000 + i), sso_role_name: 'Admin', region: 'eu-west-1' },
}));
const start = performance.now();
await updateAwsSections(path, edits, { clock: systemClock });
process.stdout.write(String(performance.now() - start));

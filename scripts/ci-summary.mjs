// Prints vitest's JSON results, one line per run ("node22: N passed, N failed, N skipped", each
// skip reason with its count below it), then the plain closing line CI reads, over all runs:
// "tests: N passed, N failed, N skipped". Usage: ci-summary.mjs LABEL FILE [LABEL FILE ...].
// Exits 1 when a run failed a test, ran none, or left no results (it stopped before the tests).
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

const args = process.argv.slice(2);
if (args.length === 0 || args.length % 2 !== 0) {
  console.error('usage: node scripts/ci-summary.mjs LABEL FILE [LABEL FILE ...]');
  process.exit(2);
}

const total = { passed: 0, failed: 0, skipped: 0 };
let ok = true;
for (let i = 0; i < args.length; i += 2) {
  const [label, file] = [args[i], args[i + 1]];
  if (!existsSync(file)) {
    console.log(`${label}: no results (${file} is missing: the run stopped before its tests ended)`);
    ok = false;
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const run = { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
  console.log(`${label}: ${run.passed} passed, ${run.failed} failed, ${run.skipped} skipped`);
  for (const [reason, files] of skipReasons(r)) {
    console.log(`  skipped, ${reason}: ${[...files].map(([f, n]) => `${f} (${n})`).join(', ')}`);
  }
  for (const key of Object.keys(total)) total[key] += run[key];
  if (run.failed !== 0 || run.passed === 0) ok = false;
}
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exitCode = ok ? 0 : 1;

/** Skipped tests grouped by the reason in their title (`[skipped: why]`, test/support/optional-tools.ts), with counts per file. */
function skipReasons(r) {
  const byReason = new Map();
  for (const f of r.testResults) {
    for (const t of f.assertionResults) {
      if (t.status !== 'pending' && t.status !== 'skipped' && t.status !== 'todo') continue;
      const title = [...t.ancestorTitles, t.title].join(' > ');
      const reason = /\[skipped: ([^\]]*)\]/.exec(title)?.[1] ?? 'no reason given';
      const files = byReason.get(reason) ?? new Map();
      const name = relative(process.cwd(), f.name);
      files.set(name, (files.get(name) ?? 0) + 1);
      byReason.set(reason, files);
    }
  }
  return byReason;
}

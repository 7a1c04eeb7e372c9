// Prints vitest's JSON results as the plain closing line CI reads: "<label>: N passed, N failed, N skipped".
import { readFileSync } from 'node:fs';

const [file, label] = process.argv.slice(2);
const r = JSON.parse(readFileSync(file, 'utf8'));
console.log(`${label}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
process.exitCode = r.numFailedTests === 0 && r.numPassedTests > 0 ? 0 : 1;

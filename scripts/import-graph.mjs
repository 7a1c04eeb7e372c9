// Prints which folder under src/ imports which, from the TypeScript sources (tests left out unless
// --tests): a matrix of import statements (static, `export … from` and dynamic `import()`), rows
// importing columns, then the same as a list of edges. Files directly in src/ count as "(src)".
// Usage: node scripts/import-graph.mjs [--tests] [--edges] [SRC_DIR]  (SRC_DIR: another checkout's src/,
// e.g. one exported with `git archive <rev> src | tar -x -C /tmp/old`; default: this repo's)
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const dirArg = process.argv.slice(2).find((a) => !a.startsWith('--'));
const srcRoot = dirArg ? resolve(dirArg) : resolve(import.meta.dirname, '..', 'src');
const withTests = process.argv.includes('--tests');
const isTest = (file) => /\.test\.ts$/.test(file);

function* sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && (withTests || !isTest(entry.name))) yield path;
  }
}

/** The top folder under src/ a file lives in, or "(src)" for src/ itself. */
function folderOf(file) {
  const rel = relative(srcRoot, file);
  return rel.includes(sep) ? rel.split(sep)[0] : '(src)';
}

const counts = new Map(); // "from\0to" -> import statements
for (const file of sources(srcRoot)) {
  const from = folderOf(file);
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  for (const { fileName } of importedFiles) {
    if (!fileName.startsWith('.')) continue; // packages and node: built-ins
    const target = resolve(dirname(file), fileName);
    if (relative(srcRoot, target).startsWith('..')) continue; // outside src/ (a test's support files)
    const to = folderOf(target);
    if (to === from) continue;
    const key = `${from}\0${to}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
}

const folders = [...new Set([...counts.keys()].flatMap((k) => k.split('\0')))].sort();
const width = Math.max(...folders.map((f) => f.length));
const cell = (n) => String(n || '.').padStart(4);
console.log(`${'imports →'.padEnd(width)} ${folders.map((f) => f.slice(0, 4).padStart(4)).join(' ')}`);
for (const from of folders) {
  console.log(`${from.padEnd(width)} ${folders.map((to) => cell(counts.get(`${from}\0${to}`))).join(' ')}`);
}
if (process.argv.includes('--edges')) {
  console.log('');
  for (const [key, n] of [...counts].sort()) console.log(`${key.replace('\0', ' -> ')} (${n})`);
}

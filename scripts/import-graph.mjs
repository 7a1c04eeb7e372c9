// Prints which folder under src/ imports which, from the TypeScript sources (tests left out unless
// --tests): a matrix of import statements (static, `export … from` and dynamic `import()`), rows
// importing columns, then the same as a list of edges. Files directly in src/ count as "(src)".
// --cycles: the circles between files (type-only imports count: a circle of types is still two
// files that cannot be read apart), shortest first; exits 1 when there is one.
// Usage: node scripts/import-graph.mjs [--tests] [--edges] [--cycles] [SRC_DIR]  (SRC_DIR: another checkout's src/,
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
const fileEdges = new Map(); // file -> Set of files it imports (inside src/)
for (const file of sources(srcRoot)) {
  const from = folderOf(file);
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  for (const { fileName } of importedFiles) {
    if (!fileName.startsWith('.')) continue; // packages and node: built-ins
    const target = resolve(dirname(file), fileName);
    if (relative(srcRoot, target).startsWith('..')) continue; // outside src/ (a test's support files)
    const targetFile = target.replace(/\.js$/, '.ts');
    if (!fileEdges.has(file)) fileEdges.set(file, new Set());
    fileEdges.get(file).add(targetFile);
    const to = folderOf(target);
    if (to === from) continue;
    const key = `${from}\0${to}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
}

const folders = [...new Set([...counts.keys()].flatMap((k) => k.split('\0')))].sort();
const width = Math.max(...folders.map((f) => f.length));
/** Four letters per column; aws-files and aws-sdk both start with "aws-": use their tails there. */
const label = (f) => (f.startsWith('aws-') ? f.slice(4, 8) : f.slice(0, 4));
const cell = (n) => String(n || '.').padStart(4);
console.log(`${'imports →'.padEnd(width)} ${folders.map((f) => label(f).padStart(4)).join(' ')}`);
for (const from of folders) {
  console.log(`${from.padEnd(width)} ${folders.map((to) => cell(counts.get(`${from}\0${to}`))).join(' ')}`);
}
if (process.argv.includes('--edges')) {
  console.log('');
  for (const [key, n] of [...counts].sort()) console.log(`${key.replace('\0', ' -> ')} (${n})`);
}

if (process.argv.includes('--cycles')) {
  // Each file's shortest way back to itself (a breadth-first search per file), deduplicated by its set of files.
  const seen = new Set();
  const cycles = [];
  for (const start of fileEdges.keys()) {
    const prev = new Map([[start, null]]);
    const queue = [start];
    let found;
    while (queue.length > 0 && !found) {
      const file = queue.shift();
      for (const next of fileEdges.get(file) ?? []) {
        if (next === start) { found = file; break; }
        if (!prev.has(next)) { prev.set(next, file); queue.push(next); }
      }
    }
    if (!found) continue;
    const path = [];
    for (let f = found; f !== null; f = prev.get(f)) path.unshift(relative(srcRoot, f));
    const key = [...path].sort().join('\0');
    if (seen.has(key)) continue;
    seen.add(key);
    cycles.push(path);
  }
  cycles.sort((a, b) => a.length - b.length);
  console.log('');
  console.log(cycles.length === 0 ? 'no import circles between files' : `${cycles.length} import circle(s) between files:`);
  for (const c of cycles) console.log(`  ${[...c, c[0]].join(' -> ')}`);
  if (cycles.length > 0) process.exitCode = 1;
}

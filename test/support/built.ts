import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './cli.js';

/**
 * Makes sure dist/ holds a build of the current sources: `npm test` builds before the tests, so
 * this normally does nothing (and two test files never rebuild dist/ under each other's feet);
 * a targeted `vitest run` after an edit gets a fresh build.
 */
export async function ensureBuilt(): Promise<void> {
  const outputs = await Promise.all(['dist/entry.cjs', 'dist/full/full-entry.js'].map((p) => mtime(join(repoRoot, p))));
  const builtAt = Math.min(...outputs);
  const inputs = [join(repoRoot, 'scripts', 'build.mjs'), join(repoRoot, 'package-lock.json'), ...(await sources(join(repoRoot, 'src')))];
  const newest = Math.max(...(await Promise.all(inputs.map(mtime))));
  if (builtAt > 0 && builtAt >= newest) return;
  await promisify(execFile)('npm', ['run', 'build'], { cwd: repoRoot });
}

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

async function mtime(path: string): Promise<number> {
  return stat(path).then(
    (s) => s.mtimeMs,
    () => 0,
  );
}

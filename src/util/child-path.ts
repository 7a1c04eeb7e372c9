import { join } from 'node:path';

/**
 * path.join(dir, name) for a plain file name (no '/', not '.' or '..'), without node's
 * per-character loop where `dir` is already normalized: absolute, no empty, '.' or '..' part and
 * no trailing '/'. Every hit joins a few such paths (the AWS folder, a cache file named by a 40-hex
 * hash), and under a HOME of twenty-odd characters the loop ran hot enough for V8 to compile it
 * with Maglev on Node >= 22, a background compile of ~1.6 ms that touched 30-odd pages
 * (docs/env.md, "Speed"). Anything else goes to path.join.
 */
export function childPath(dir: string, name: string): string {
  return isNormalizedAbsolute(dir) ? `${dir === '/' ? '' : dir}/${name}` : join(dir, name);
}

function isNormalizedAbsolute(dir: string): boolean {
  if (!dir.startsWith('/')) return false;
  if (dir === '/') return true;
  return !dir.endsWith('/') && !dir.endsWith('/.') && !dir.endsWith('/..') && !dir.includes('//') && !dir.includes('/./') && !dir.includes('/../');
}

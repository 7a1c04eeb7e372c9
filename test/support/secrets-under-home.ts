import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Every file under `home` (recursively, dot folders included) that holds any of `secrets`, by
 * path: after a test of a vault profile this must be `[]` (issue 17: "no secret of a vault profile
 * is in any file under HOME"). Bytes, not text: a secret in a binary or half-written file counts.
 */
export async function filesHoldingSecrets(home: string, ...secrets: string[]): Promise<string[]> {
  const entries = await readdir(home, { recursive: true, withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const bytes = await readFile(file).catch(() => Buffer.alloc(0));
    if (secrets.some((s) => bytes.includes(s))) found.push(file);
  }
  return found.sort();
}

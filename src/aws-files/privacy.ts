import { stat } from 'node:fs/promises';

/**
 * A warning when group or others can read a file that holds secrets, for a file awskeys reads or
 * leaves unchanged (audit, an update with nothing to write): we say how to fix it. A file awskeys
 * writes a secret into is tightened instead (writeFileAtomic, docs/decisions.md D26).
 */
export async function privacyWarning(path: string): Promise<string | undefined> {
  if (process.platform === 'win32') return undefined;
  let mode: number;
  try {
    mode = (await stat(path)).mode & 0o777;
  } catch {
    // Missing or unreadable: there is nothing to warn about that a later read would not report.
    return undefined;
  }
  if ((mode & 0o044) === 0) return undefined;
  return `${path} is readable by other users (mode ${mode.toString(8).padStart(4, '0')}); run: chmod 600 ${path}`;
}

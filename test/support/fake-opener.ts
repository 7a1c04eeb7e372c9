import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A stand-in for the system's browser opener (xdg-open, found on PATH as the `open` package
 * looks for it in the built bundle): a real program that records what any local user could see
 * of it (its argv, /proc/self/cmdline, its parent's), what it was given to open (each argument
 * that is a file: its mode, its folder's mode, its text, read at once as a browser would), and
 * every process on the machine whose arguments mention a SigninToken.
 */
export interface OpenerRecord {
  argv: string[];
  cmdline: string[];
  parentCmdline: string[];
  files: { path: string; mode: number; dirMode: number; text: string }[];
  processesWithSigninToken: string[];
}

export interface FakeOpener {
  /** Put first on PATH. */
  dir: string;
  env: { PATH: string; FAKE_OPENER_RECORD: string };
  /** What the opener saw, once it ran (undefined before). */
  record(): Promise<OpenerRecord | undefined>;
}

const SCRIPT = String.raw`
const fs = require('node:fs');
const path = require('node:path');
const args = (p) => fs.readFileSync(p, 'latin1').split('\0').filter(Boolean);
const files = process.argv.slice(2).filter((a) => fs.existsSync(a)).map((a) => ({
  path: a,
  mode: fs.statSync(a).mode & 0o7777,
  dirMode: fs.statSync(path.dirname(a)).mode & 0o7777,
  text: fs.readFileSync(a, 'utf8'),
}));
const processesWithSigninToken = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).flatMap((pid) => {
  try { const line = args('/proc/' + pid + '/cmdline').join(' '); return line.includes('SigninToken') ? [line] : []; } catch { return []; }
});
const record = { argv: process.argv, cmdline: args('/proc/self/cmdline'), parentCmdline: args('/proc/' + process.ppid + '/cmdline'), files, processesWithSigninToken };
fs.writeFileSync(process.env.FAKE_OPENER_RECORD, JSON.stringify(record));
`;

export async function fakeOpener(root: string, name = 'xdg-open'): Promise<FakeOpener> {
  const dir = join(root, 'fake-opener-bin');
  await mkdir(dir, { recursive: true });
  const program = join(dir, name);
  await writeFile(program, `#!${process.execPath}\n${SCRIPT}`);
  await chmod(program, 0o755);
  const recordPath = join(root, 'fake-opener-record.json');
  return {
    dir,
    env: { PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`, FAKE_OPENER_RECORD: recordPath },
    record: () => readFile(recordPath, 'utf8').then((t) => JSON.parse(t) as OpenerRecord, () => undefined),
  };
}

import { readFileSync } from 'node:fs';
import { isatty } from 'node:tty';

/**
 * Whether this process is in its controlling terminal's foreground process group, i.e. whether a
 * Ctrl-C typed there reaches it (and every process of its group). Linux: /proc/self/stat has our
 * group (pgrp) and the terminal's foreground group (tpgid); no terminal (tty_nr 0), or awskeys
 * started with `&`: not in the foreground. Elsewhere: a terminal on stdin counts as foreground,
 * as when typed at a prompt (isatty, not process.stdin: creating that stream could start reading
 * what the child should get).
 */
export function inTerminalForeground(platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'linux') {
    try {
      const stat = readFileSync('/proc/self/stat', 'utf8');
      // The fields after the command name, which may itself hold spaces and parentheses:
      // state ppid pgrp session tty_nr tpgid ...
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return fields[4] !== '0' && fields[2] === fields[5];
    } catch {
      // fall through
    }
  }
  return isatty(0);
}

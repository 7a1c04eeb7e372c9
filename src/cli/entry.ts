import { writeSync } from 'node:fs';
import { CLOSED_PIPE_EXIT, isClosedPipe, reportOutputFailure, watchClosedPipe } from './closed-pipe.js';
import { parseFastComplete, runFastComplete } from './commands/complete-fast.js';
import { parseFastArgv } from './commands/env-argv.js';
import { handoverPrompter, isHandover, runFastPath } from './commands/env-fast-path.js';
import { mentionsHelp } from './help/help-words.js';
// In the lean bundle this is dist/help.cjs, required on the first call (scripts/build.mjs).
import { leanHelpText } from './help/lean-help.js';
import type { Output } from '../app/deps.js';
import { reportFailure } from './report-failure.js';
import { createDeps } from '../app/real-deps.js';

/**
 * The process entry. `env` and `credential-process` run at every shell start and behind every
 * SDK start, so they get a lean route; everything else, and any `env` that needs more than files
 * and caches (an SSO cache miss goes to the network anyway), hands over to full-entry.ts.
 *
 * Why (docs/env.md, "Speed", has the measurements): the budget for a static profile is a quarter
 * of `node -e 0`'s own start-up time, and on top of it an ES module main alone costs about 0.2 of
 * it, commander about 0.25, node's stdio stream objects 0.15 and node:crypto 0.1. So
 * scripts/build.mjs bundles this file and everything it imports statically into ONE CommonJS
 * file, dist/entry.cjs (bin/awskeys.js is CommonJS too), in which every dynamic import() is
 * replaced by a "handover": it rejects before anything has been written, and this entry then runs
 * the whole command again in dist/full/full-entry.js, the normal split ES-module bundle. No object
 * ever crosses between the two bundles, so `instanceof` on error classes stays sound.
 *
 * RULES FOR EVERY MODULE THIS FILE REACHES WITH A STATIC IMPORT (the lean path: env-fast-path,
 * env-command, resolve/*, the caches, aws-files readers, output/formats, real-deps, ...):
 * 1. No heavy static import: no @aws-sdk/*, @smithy/*, commander, @inquirer/*, open, and no node
 *    module that costs start-up time (node:crypto, node:child_process, node:http, node:net,
 *    process.stdout/stdin). Load them with a dynamic `import()` where they are needed: in the lean
 *    bundle that import is the handover to the full program.
 * 2. Nothing written before a dynamic import: a handover is only sound while stdout and stderr
 *    are untouched (checked above), so a module reports (deps.report, deps.stdout) only after
 *    the last `import()` its path can reach, or throws.
 * 3. No work at import time (no top-level await, no reads, no timers) and no process.env: take
 *    everything from Deps.
 * 4. Types are free: `import type` of anything is erased.
 * 5. A profile kind (resolve/kinds/*.ts, one line in profile-chain.ts) splits at its cache: what a
 *    hit runs (claims(), reading the cache, shaping the credentials) is imported statically and
 *    served from this bundle; what only a miss runs (the SDK call, a prompt, a lock, a native
 *    addon) is behind `await import('../x.js')` at the point of the miss, as kinds/assume-role.ts
 *    and kinds/mfa-session.ts do, so in this bundle the miss becomes the handover. A node module
 *    the hit needs (node:crypto) is imported statically: scripts/build.mjs makes it a require on
 *    first call (LAZY_BUILTINS), where an `import()` of it would hand over. Each such kind gets a
 *    row in scripts/bench.mjs (ROWS), and dist/entry.cjs stays under the build's size budget.
 * `complete -- <command> --profile <prefix>` (every TAB press after a name option) is answered here
 * too (commands/complete-fast.ts: a table of the commands' name options, which its test derives
 * from the command table); every other completion goes to the library in the full bundle.
 * `--help`, `<command...> --help|-h` and `help [command]` are printed from the help model the build
 * takes from the command table (src/cli/help/, D56), in dist/help.cjs, which is read only for a
 * command line holding a help word; anything it does not cover exactly goes to commander.
 * Checked by scripts/build.mjs (fails when dist/entry.cjs contains a heavy package) and
 * test/env-lean-bundle.test.ts (the exact files and builtins a static profile loads); the cost of
 * each piece is in docs/env.md, "Speed".
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const completion = parseFastComplete(argv);
  const fast = completion ? undefined : parseFastArgv(argv);
  const help = completion || fast || !mentionsHelp(argv) ? undefined : leanHelpText(argv);
  if (completion || fast || help !== undefined) {
    const stdout = fdOutput(
      1,
      () => process.stdout,
      () => {
        process.exitCode = CLOSED_PIPE_EXIT;
      },
      (err) => reportOutputFailure(err, (line) => writeSync(2, line)),
    );
    if (help !== undefined) {
      stdout.write(help);
      // A help run is not the hot path: its code cache would hold the wrong functions (bin/awskeys.js).
      if (typeof __awskeysNoCodeCache === 'function') __awskeysNoCodeCache();
      return;
    }
    const stderr = fdOutput(2, () => process.stderr, () => undefined, () => undefined);
    try {
      // env never asks, never opens a browser, and has nothing to interrupt: Ctrl-C simply ends it
      // (its cache writes are atomic renames). An MFA code is asked after the hand-over (the
      // question and the STS call it is for live in the full bundle); anything that consults the
      // terminal here hands over too.
      let signal: AbortSignal | undefined;
      const deps = createDeps({
        env: process.env,
        cwd: process.cwd(),
        stdout,
        stderr,
        // Made on first use: node loads its AbortController and EventTarget code for the first one
        // (0.3 ms, a hundredth of node's start-up), and no cache hit asks for it.
        get signal() {
          return (signal ??= new AbortController().signal);
        },
        terminal: handoverPrompter,
      });
      // A TAB press after --profile (complete-fast.ts): reads two files, never fails. Not the hot
      // path either: the code cache is written once, by the first run, and must hold env's functions.
      if (completion) {
        runFastComplete(completion, deps);
        if (typeof __awskeysNoCodeCache === 'function') __awskeysNoCodeCache();
      }
      const code = fast ? await runFastPath(fast, deps) : 0;
      if (!stdout.closed) process.exitCode = code;
      return;
    } catch (err) {
      // Running the command again is only sound if this attempt has shown nothing yet.
      if (!isHandover(err) || stdout.used || stderr.used) throw err;
    }
  }
  await (typeof __awskeysImportFull === 'function' ? __awskeysImportFull() : import('./full-entry.js'));
}

/**
 * bin/awskeys.js compiles this bundle itself (vm.Script, to keep V8's code cache, D38), and code
 * compiled that way cannot import(): it passes in an import of the full program made on this
 * file's behalf, as a parameter of the bundle's wrapper. Where the bundle is loaded by node's own
 * require (bin/awskeys.js could not read it), the name is not defined.
 */
declare const __awskeysImportFull: (() => Promise<unknown>) | undefined;

/**
 * bin/awskeys.js writes the code cache at the exit of the first lean run, to hold what the hot path
 * compiled; a run on another lean route (help) says so with this, and the next hot run writes it.
 */
declare const __awskeysNoCodeCache: (() => void) | undefined;

/**
 * Writes straight to the file descriptor: creating process.stdout loads node's net or tty layer.
 * The stream is built only if a write cannot complete that way (a full non-blocking pipe) or
 * someone asks whether it is a terminal. A closed pipe (EPIPE, sync or from the stream) calls
 * `onClosed` once and drops every later write (closed-pipe.ts).
 */
function fdOutput(
  fd: 1 | 2,
  createStream: () => NodeJS.WriteStream,
  onClosed: () => void,
  onFailed: (err: unknown) => void,
): Output & { readonly used: boolean; readonly closed: boolean } {
  let viaStream = false;
  let used = false;
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    onClosed();
  };
  const fail = (err: unknown): void => {
    if (closed) return;
    closed = true;
    onFailed(err);
  };
  let created: NodeJS.WriteStream | undefined;
  const stream = (): NodeJS.WriteStream => {
    if (!created) {
      created = createStream();
      watchClosedPipe(created, close, fail);
    }
    return created;
  };
  return {
    get used() {
      return used;
    },
    get closed() {
      return closed;
    },
    write(text) {
      used = true;
      if (closed) return;
      const bytes = Buffer.from(text, 'utf8');
      let written = 0;
      if (!viaStream) {
        try {
          while (written < bytes.length) written += writeSync(fd, bytes, written);
          return;
        } catch (err) {
          if (isClosedPipe(err)) {
            close();
            return;
          }
          // A full non-blocking pipe: the stream waits for it. Anything else (ENOSPC) lost the output.
          if ((err as { code?: unknown }).code !== 'EAGAIN') {
            fail(err);
            return;
          }
          viaStream = true;
        }
      }
      stream().write(bytes.subarray(written));
    },
    get isTTY() {
      return Boolean(stream().isTTY);
    },
  };
}

// Not top-level await: the lean bundle is CommonJS (see above). Whatever escapes main (the full
// bundle missing from a partial install, a handover after output) is reported like any failure,
// not as node's unhandled-rejection dump.
main().catch((err: unknown) => {
  process.exitCode = reportFailure(err, { stderr: fdOutput(2, () => process.stderr, () => undefined, () => undefined) });
});

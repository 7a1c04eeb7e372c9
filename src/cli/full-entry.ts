import { writeSync } from 'node:fs';
import { nonInteractivePrompter } from '../prompt/non-interactive.js';
import { inquirerPrompter } from '../prompt/inquirer-prompter.js';
import { terminalPrompter } from '../prompt/terminal-prompter.js';
import { CLOSED_PIPE_EXIT, reportOutputFailure, watchClosedPipe } from './closed-pipe.js';
import { interruptHandler } from './critical-section.js';
import { divertProcessSignals } from '../errors/process-signals.js';
import { STOP_SIGNALS, StopRequest } from '../errors/stop-signal.js';
import { isCi } from '../app/is-ci.js';
import { run } from './main.js';
import { createDeps } from '../app/real-deps.js';
import { writeAllSync } from './write-sync.js';

/**
 * The whole program: builds the real Deps and runs the command table. entry.ts (the process
 * entry) hands over to this module for everything its lean path does not finish itself.
 */
async function main(): Promise<void> {
  // The user's environment, as commands see it (and `exec` hands it on), before the line below.
  const env = { ...process.env };
  // The SDK warns on every start under Node 20 (past end of life). awskeys supports the Node it
  // declares in `engines`; the notice would only corrupt the terminal of eval "$(awskeys env)" users.
  // The SDK reads this switch from process.env itself; it is awskeys' own, not the user's.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  // Ctrl-C, SIGTERM and SIGHUP all stop a command cleanly (critical-section.ts decides how), for
  // the whole run: `exec` diverts them to its child on top of this while the child runs.
  const controller = new AbortController();
  divertProcessSignals(
    STOP_SIGNALS,
    interruptHandler({
      abort: (signal) => controller.abort(new StopRequest(signal)),
      warn: (line) => void process.stderr.write(`${line}\n`),
      exit: (code) => process.exit(code),
    }),
  );

  // `awskeys ... | head`: a closed pipe is a quiet end with exit 141, not an uncaught EPIPE; a
  // full disk is one error line and exit 15, not a stack trace.
  const stdoutPipe = watchClosedPipe(
    process.stdout,
    () => {
      process.exitCode = CLOSED_PIPE_EXIT;
    },
    (err) => reportOutputFailure(err, (line) => writeSync(2, line)),
  );
  const stderrPipe = watchClosedPipe(process.stderr, () => undefined, () => undefined);

  const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY) && !isCi(env);
  const deps = createDeps({
    env,
    cwd: process.cwd(),
    stdout: {
      write: (s) => {
        if (!stdoutPipe.closed) process.stdout.write(s);
      },
      // Past the stream: a secret's write must be confirmed before the command reports success.
      writeSync: (s) => writeAllSync(1, s),
      isTTY: Boolean(process.stdout.isTTY),
      get failed() {
        return stdoutPipe.closed;
      },
    },
    stderr: {
      write: (s) => {
        if (!stderrPipe.closed) process.stderr.write(s);
      },
      isTTY: Boolean(process.stderr.isTTY),
      get columns() {
        return process.stderr.columns;
      },
    },
    prompter: interactive ? inquirerPrompter(process.stderr, controller.signal) : nonInteractivePrompter,
    terminal: terminalPrompter(env, controller.signal),
    signal: controller.signal,
  });
  const code = await run(process.argv.slice(2), deps);
  if (!stdoutPipe.closed) process.exitCode = code;
}

await main();

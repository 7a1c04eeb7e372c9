import { describe, expect, it } from 'vitest';
import { capture } from '../../test/support/cli.js';
import { NotFoundError } from '../errors/cli-error.js';
import { reportFailure } from './report-failure.js';

function reported(err: unknown): { code: number; stderr: string } {
  const stderr = capture();
  const code = reportFailure(err, { stderr });
  return { code, stderr: stderr.text };
}

/** An error with a fixed stack, as node prints it: the message first, then the frames. */
function withStack(err: Error, frames: string[]): Error {
  err.stack = [`${err.name}: ${err.message}`, ...frames.map((f) => `    at ${f}`)].join('\n');
  return err;
}

describe('reportFailure', () => {
  it('prints a CliError as one line with its hint and returns its exit code', () => {
    const err = new NotFoundError('No IAM user alice.', { hint: 'run: awskeys iam list-keys' });
    expect(reported(err)).toEqual({ code: 5, stderr: 'awskeys: error: No IAM user alice. (hint: run: awskeys iam list-keys)\n' });
  });

  it('prints any other error as its safe message, at most five stack frames and a report line (exit 1)', () => {
    const frames = ['a (/app/a.js:1:1)', 'b (/app/b.js:2:2)', 'c (/app/c.js:3:3)', 'd (/app/d.js:4:4)', 'e (/app/e.js:5:5)', 'f (/app/f.js:6:6)'];
    expect(reported(withStack(new TypeError('x is not a function'), frames))).toEqual({
      code: 1,
      stderr:
        'awskeys: internal error: x is not a function\n' +
        frames.slice(0, 5).map((f) => `    at ${f}\n`).join('') +
        'awskeys: this is a bug; please report it with the lines above.\n',
    });
  });

  it('never prints a secret from the message, not even in the first line of the stack that repeats it', () => {
    const secret = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN';
    const err = withStack(new Error(`signing failed\nx-amz-security-token:${secret}\n\nPOST /`), ['sign (/app/sign.js:1:1)']);
    const { stderr } = reported(err);
    expect(stderr).toBe(
      'awskeys: internal error: signing failed x-amz-security-token:***\n' +
        '    at sign (/app/sign.js:1:1)\n' +
        'awskeys: this is a bug; please report it with the lines above.\n',
    );
    expect(stderr).not.toContain(secret);
  });

  it('does not quote the text a JSON SyntaxError failed on', () => {
    const err = withStack(new SyntaxError('Unexpected token \'}\', "{"accessToken":"aoa-secret"}}" is not valid JSON'), []);
    expect(reported(err).stderr).toBe(
      'awskeys: internal error: invalid JSON in a response\nawskeys: this is a bug; please report it with the lines above.\n',
    );
  });

  it('reports a missing part of the program as one line that says to reinstall (exit 1)', () => {
    const err = Object.assign(new Error("Cannot find module '/app/dist/full/full-entry.js' imported from /app/dist/entry.cjs"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    expect(reported(err)).toEqual({
      code: 1,
      stderr:
        "awskeys: internal error: Cannot find module '/app/dist/full/full-entry.js' imported from /app/dist/entry.cjs (reinstall: npm ci)\n",
    });
  });

  it('reports a thrown non-error by its text', () => {
    expect(reported('boom').stderr).toBe('awskeys: internal error: boom\nawskeys: this is a bug; please report it with the lines above.\n');
  });
});

describe('reportFailure keeps every message on one line', () => {
  it('shows newlines and escape sequences in a quoted name as visible escapes, in the message and the hint', () => {
    const name = 'evil\n\x1b[31mred';
    const err = new NotFoundError(`No profile named ${name}.`, { hint: `run: awskeys sso login --profile ${name}` });
    expect(reported(err)).toEqual({
      code: 5,
      stderr: 'awskeys: error: No profile named evil\\n\\x1b[31mred. (hint: run: awskeys sso login --profile evil\\n\\x1b[31mred)\n',
    });
  });

  it('cuts a pasted blob in the middle', () => {
    const err = new NotFoundError(`No IAM user ${'u'.repeat(100)}${'z'.repeat(100)}.`);
    expect(reported(err).stderr).toBe(`awskeys: error: No IAM user ${'u'.repeat(80)}…${'z'.repeat(38)}.\n`);
  });

  it('sanitizes an unexpected error too', () => {
    expect(reported(withStack(new Error('bad\x1b]0;title\x07'), [])).stderr).toBe(
      'awskeys: internal error: bad\\x1b]0;title\\x07\nawskeys: this is a bug; please report it with the lines above.\n',
    );
  });
});

describe('reportFailure on a file system failure nobody wrapped', () => {
  it('is one line with a concrete hint, exit 3, not an internal error', () => {
    const err = Object.assign(new Error("ENOSPC: no space left on device, write '/home/me/.aws/sso/cache/x.json'"), {
      code: 'ENOSPC',
      syscall: 'write',
      path: '/home/me/.aws/sso/cache/x.json',
    });
    expect(reported(err)).toEqual({
      code: 3,
      stderr:
        'awskeys: error: Cannot write /home/me/.aws/sso/cache/x.json: no space left on device. (hint: free space on the disk holding /home/me/.aws/sso/cache)\n',
    });
  });
});

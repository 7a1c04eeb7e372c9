import { describe, expect, it } from 'vitest';
import { infoLines, noteLine, streamReporter } from './reporter.js';

function streams(stderrIsTTY: boolean) {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    reporter: streamReporter({
      stdout: { isTTY: false, write: (s) => void (out.stdout += s) },
      stderr: { isTTY: stderrIsTTY, write: (s) => void (out.stderr += s) },
    }),
  };
}

describe('streamReporter', () => {
  it('puts messages and warnings on stderr, one line each, warnings as "awskeys: warning: ", and results alone on stdout', () => {
    const { out, reporter } = streams(false);

    reporter.info('Created access key AKIAEXAMPLE.');
    reporter.warn('/home/u/.aws/credentials is readable by other users (hint: chmod 600 it)');
    reporter.result('export AWS_PROFILE=dev\n');

    expect(out.stderr).toBe(
      'Created access key AKIAEXAMPLE.\nawskeys: warning: /home/u/.aws/credentials is readable by other users (hint: chmod 600 it)\n',
    );
    expect(out.stdout).toBe('export AWS_PROFILE=dev\n');
  });

  it('shows a quoted name with a newline or escape sequence as visible text, in messages, warnings and progress; never cuts a message', () => {
    const { out, reporter } = streams(false);
    const url = `https://example.awsapps.com/start/#/device?user_code=${'A'.repeat(150)}`;

    reporter.info(`Rotated profile evil\n\x1b[31mred. Open ${url}`);
    reporter.warn('profile evil\rawskeys: ok');
    reporter.progress('Checking evil\x1b[2J');

    expect(out.stderr).toBe(
      `Rotated profile evil\\n\\x1b[31mred. Open ${url}\n` + 'awskeys: warning: profile evil\\rawskeys: ok\n' + 'Checking evil\\x1b[2J\n',
    );
  });

  it('a note is an info line "awskeys: note: ", and clears a progress line first like any message', () => {
    const { out, reporter } = streams(true);

    reporter.progress('Looking up 3 keys...');
    reporter.info(noteLine('the caller may not call iam:ListAccessKeys'));

    expect(out.stderr).toBe('\r\x1b[2KLooking up 3 keys...\r\x1b[2Kawskeys: note: the caller may not call iam:ListAccessKeys\n');
  });

  it('without a terminal, progress is a plain line', () => {
    const { out, reporter } = streams(false);

    reporter.progress('Waiting for approval...');
    reporter.info('Approved.');

    expect(out.stderr).toBe('Waiting for approval...\nApproved.\n');
  });

  it('on a terminal, progress rewrites one line and the next message clears it first', () => {
    const { out, reporter } = streams(true);

    reporter.progress('Listing roles 1/3');
    reporter.progress('Listing roles 2/3');
    reporter.warn('role X skipped');
    reporter.info('Done.');

    expect(out.stderr).toBe('\r\x1b[2KListing roles 1/3\r\x1b[2KListing roles 2/3\r\x1b[2Kawskeys: warning: role X skipped\nDone.\n');
  });
});

describe('infoLines: status text from a service', () => {
  it('writes each line of a multi-line text as its own info line, quoted names kept on their line', () => {
    const lines: string[] = [];
    infoLines({ info: (line) => lines.push(line) })('Plan for profile dev:\n  rotate key of profile evil\x1b[31m\n');
    expect(lines).toEqual(['Plan for profile dev:', '  rotate key of profile evil\x1b[31m', '']);
  });

  it('through the stream reporter, an escape in a name is shown, never sent to the terminal', () => {
    const { out, reporter } = streams(false);
    infoLines(reporter)('Rotated profile a\x1b]0;title\x07b: AKIA1 -> AKIA2.');
    expect(out.stderr).toBe('Rotated profile a\\x1b]0;title\\x07b: AKIA1 -> AKIA2.\n');
  });
});

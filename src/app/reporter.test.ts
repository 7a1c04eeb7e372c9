import { describe, expect, it } from 'vitest';
import { fakePrompter } from '../../test/support/fake-prompter.js';
import type { SelectQuestion } from '../prompt/prompter.js';
import { infoLines, noteLine, statusClearingPrompter, streamReporter } from './reporter.js';

/** A reporter over captured streams; stderr a terminal (of `columns` when given) or not. */
function streams(stderrIsTTY: boolean, columns?: number) {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    reporter: streamReporter({
      stdout: { isTTY: false, write: (s) => void (out.stdout += s) },
      stderr: { isTTY: stderrIsTTY, columns, write: (s) => void (out.stderr += s) },
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

  it('shows a quoted name with a newline or escape sequence as visible text, in messages and warnings; never cuts a message', () => {
    const { out, reporter } = streams(false);
    const url = `https://example.awsapps.com/start/#/device?user_code=${'A'.repeat(150)}`;

    reporter.info(`Rotated profile evil\n\x1b[31mred. Open ${url}`);
    reporter.warn('profile evil\rawskeys: ok');

    expect(out.stderr).toBe(`Rotated profile evil\\n\\x1b[31mred. Open ${url}\n` + 'awskeys: warning: profile evil\\rawskeys: ok\n');
  });

  it('a note is an info line "awskeys: note: ", and clears the status line first like any message', () => {
    const { out, reporter } = streams(true);

    reporter.status('Looking up 3 keys...');
    reporter.info(noteLine('the caller may not call iam:ListAccessKeys'));

    expect(out.stderr).toBe('\r\x1b[2KLooking up 3 keys...\r\x1b[2Kawskeys: note: the caller may not call iam:ListAccessKeys\n');
  });
});

describe('the live status line', () => {
  it('on a terminal: drawn, redrawn in place, and cleared before a message, a warning or a result', () => {
    const { out, reporter } = streams(true);

    reporter.status('Listing your AWS accounts... 100');
    reporter.status('Listing your AWS accounts... 200');
    reporter.info('Chose account 1.');
    reporter.status('⠋ Waiting (9:59 left)');
    reporter.warn('slow');
    reporter.status('Listing roles: 1/2 accounts');
    reporter.result('{}\n');

    expect(out.stderr).toBe(
      '\r\x1b[2KListing your AWS accounts... 100\r\x1b[2KListing your AWS accounts... 200\r\x1b[2KChose account 1.\n' +
        '\r\x1b[2K⠋ Waiting (9:59 left)\r\x1b[2Kawskeys: warning: slow\n' +
        '\r\x1b[2KListing roles: 1/2 accounts\r\x1b[2K',
    );
    expect(out.stdout).toBe('{}\n');
    expect(reporter.showsStatus).toBe(true);
  });

  it('clearStatus erases a drawn line once, and nothing when none is drawn', () => {
    const { out, reporter } = streams(true);

    reporter.clearStatus();
    reporter.status('Counting 1');
    reporter.clearStatus();
    reporter.clearStatus();
    reporter.info('Done.');

    expect(out.stderr).toBe('\r\x1b[2KCounting 1\r\x1b[2KDone.\n');
  });

  it('without a terminal: nothing at all, and the other lines are as without any status', () => {
    const { out, reporter } = streams(false);

    reporter.status('Listing your AWS accounts... 100');
    reporter.info('Chose account 1.');
    reporter.status('Listing roles: 1/2 accounts');
    reporter.clearStatus();
    reporter.warn('slow');

    expect(out.stderr).toBe('Chose account 1.\nawskeys: warning: slow\n');
    expect(reporter.showsStatus).toBe(false);
  });

  it.each([
    [30, '⠋ Waiting for approval in the'],
    [undefined, `⠋ Waiting for approval in the browser (9:59 left) ${'x'.repeat(29)}`],
  ])('cut to one column less than the terminal (%s columns; 80 when it does not say), so it never wraps', (columns, shown) => {
    const { out, reporter } = streams(true, columns);

    reporter.status(`⠋ Waiting for approval in the browser (9:59 left) ${'x'.repeat(100)}`);

    expect(out.stderr).toBe(`\r\x1b[2K${shown}`);
    expect([...shown]).toHaveLength((columns ?? 80) - 1);
  });

  it('shows escapes in a quoted name as text, never sends them to the terminal', () => {
    const { out, reporter } = streams(true);
    reporter.status('Listing evil\x1b[2J\n');
    expect(out.stderr).toBe('\r\x1b[2KListing evil\\x1b[2J\\n');
  });

  it('is cleared before each question of a prompter wrapped by statusClearingPrompter', async () => {
    const { out, reporter } = streams(true);
    const asked = fakePrompter({ 'mfa.code': '123456', 'sso.account': '1' });
    const prompter = statusClearingPrompter(
      {
        ...asked,
        input: (q) => (out.stderr += `[asks ${q.name}]`, asked.input(q)),
        search: <T>(q: SelectQuestion<T>) => (out.stderr += `[asks ${q.name}]`, asked.search(q)),
      },
      reporter,
    );

    reporter.status('Waiting for the other prompt');
    expect(await prompter.input({ name: 'mfa.code', message: 'MFA code' })).toBe('123456');
    reporter.status('Listing your AWS accounts... 3');
    expect(await prompter.search({ name: 'sso.account', message: 'Account', choices: [] })).toBe('1');

    expect(out.stderr).toBe('\r\x1b[2KWaiting for the other prompt\r\x1b[2K[asks mfa.code]\r\x1b[2KListing your AWS accounts... 3\r\x1b[2K[asks sso.account]');
    expect(prompter.interactive).toBe(true);
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

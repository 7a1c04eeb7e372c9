import { describe, expect, it } from 'vitest';
import { runBuilt } from './support/cli.js';
import { tempHome } from './support/temp-home.js';

/**
 * A name from the command line (or a file) is echoed in errors as visible text on the one error
 * line: a newline cannot forge a second `awskeys:` line and an escape sequence cannot recolour or
 * clear the terminal (issue 8, item 7). The real program, on both routes.
 */
describe('a profile name with a newline and an escape sequence', () => {
  const evil = 'evil\n\x1b[31mred';
  const shown = 'evil\\n\\x1b[31mred';

  it('env (the lean route): one line, the name shown escaped', async () => {
    const h = await tempHome({ config: '[profile dev]\nregion = us-east-1\n' });
    expect(await runBuilt(['env', '--profile', evil], { env: h.env })).toEqual({
      code: 5,
      stdout: '',
      stderr: `awskeys: error: No profile named ${shown} in ${h.config} or ${h.credentials}. (hint: check the name with: aws configure list-profiles, or create it: awskeys sso login --profile '${shown}')\n`,
    });
  });

  it('iam list-keys (the full program): one line, the name shown escaped', async () => {
    const h = await tempHome({ config: '[profile dev]\nregion = us-east-1\n' });
    expect(await runBuilt(['iam', 'list-keys', '--profile', evil], { env: h.env })).toEqual({
      code: 5,
      stdout: '',
      stderr: `awskeys: error: No profile named ${shown} in ${h.config} or ${h.credentials}. (hint: check the name with: aws configure list-profiles, or create it: aws configure --profile '${shown}')\n`,
    });
  });

  it('an unknown option carrying an escape sequence: one usage line', async () => {
    const h = await tempHome();
    const r = await runBuilt(['iam', 'list-keys', '--\x1b]0;owned\x07'], { env: h.env });
    expect(r).toEqual({ code: 2, stdout: '', stderr: "awskeys: error: Unknown option '--\\x1b]0;owned\\x07'. (hint: see awskeys iam list-keys --help)\n" });
  });
});

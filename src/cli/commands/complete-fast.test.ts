import tab from '@bomb.sh/tab/commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../main.js';
import { NAME_OPTIONS, parseFastComplete } from './complete-fast.js';

/** complete-fast.ts answers a TAB press after a name option without the library; its table must be the library's. */
describe('the lean completion table', () => {
  it('lists exactly the commands and spellings whose option the completion command fills with names', () => {
    const root = tab(buildProgram(() => ({}) as never, { completion: false }), { completionCommandName: 'completion' });
    const fromLibrary: Record<string, Record<string, string>> = {};
    for (const command of [root, ...root.commands.values()]) {
      for (const [name, option] of command.options) {
        // completion-command.ts PROFILE_OPTIONS and SSO_SESSION_OPTIONS
        const names = ['profile', 'write-profile'].includes(name) ? 'profiles' : ['session', 'sso-session', 'session-name'].includes(name) ? 'ssoSessions' : undefined;
        if (!names) continue;
        const spellings = (fromLibrary[command.value] ??= {});
        spellings[`--${name}`] = names;
        if (option.alias) spellings[`-${option.alias}`] = names;
      }
    }
    expect(NAME_OPTIONS).toEqual(fromLibrary);
  });

  it.each([
    [['complete', '--', 'env', '--profile', ''], { names: 'profiles', prefix: '' }],
    [['complete', '--', 'exec', '-p', 'k'], { names: 'profiles', prefix: 'k' }],
    [['complete', '--', 'sso', 'logout', '--session', 'c'], { names: 'ssoSessions', prefix: 'c' }],
  ])('takes %j', (argv, expected) => {
    expect(parseFastComplete(argv)).toEqual(expected);
  });

  it.each([
    [['complete', 'env', '--profile', '']],
    [['complete', '--', 'env', '--profile']],
    [['complete', '--', 'env', '--format', 'sh', '--profile', '']],
    [['complete', '--', 'env', '--profile', '-']],
    [['complete', '--', 'env', '--profile=d', '']],
    [['complete', '--', 'env', '--format', '']],
    [['complete', '--', 'sso', '--profile', '']],
    [['complete', '--', 'constructor', '--profile', '']],
    [['complete', '--', 'env', 'toString', '']],
  ])('leaves %j to the library', (argv) => {
    expect(parseFastComplete(argv)).toBeUndefined();
  });
});

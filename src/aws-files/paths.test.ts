import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { awsFilePaths } from './paths.js';
import { needs } from '../../test/support/optional-tools.js';

const env = { HOME: '/home/ann', XDG: '/xdg', EMPTY: '', A_1: 'a1' };
const me = userInfo();

// What botocore opens for AWS_CONFIG_FILE=value: raw_config_parse's expandvars, then expanduser.
// One Python process answers for every case.
function botocorePaths(values: string[]): string[] {
  const script =
    'import os, sys, json\n' +
    'os.environ.clear(); os.environ.update(json.loads(sys.argv[1]))\n' +
    'print(json.dumps([os.path.expanduser(os.path.expandvars(v)) for v in json.loads(sys.argv[2])]))';
  return JSON.parse(execFileSync('python3', ['-c', script, JSON.stringify(env), JSON.stringify(values)], { encoding: 'utf8' })) as string[];
}

describe('AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE are expanded as botocore expands them', () => {
  const cases = [
    '~/.aws/config',
    '~',
    '$HOME/.aws/config',
    '${HOME}/.aws/config',
    '${XDG}/aws/config',
    '$XDG$A_1/c',
    '$EMPTY/c',
    '$UNSET/c',
    '${UNSET}/c',
    '${}/c',
    '$/c',
    'rel/$HOME/c',
    '~root/aws',
    `~${me.username}/aws`,
    '~no-such-user-awskeys/aws',
    '/plain/path',
  ];
  // Asked inside the first test, not while collecting: without python3 the tests are skipped.
  let byBotocore: string[] | undefined;
  const botocoreOpens = (value: string) => (byBotocore ??= botocorePaths(cases))[cases.indexOf(value)];
  needs('python3').it.each(cases.map((value) => [value]))('%s is opened where botocore opens it', (value) => {
    const expected = botocoreOpens(value);
    const paths = awsFilePaths({ ...env, AWS_CONFIG_FILE: value, AWS_SHARED_CREDENTIALS_FILE: value }, '/unused');
    expect(paths.config).toBe(expected);
    expect(paths.credentials).toBe(expected);
  });

  it('never leaves a literal $HOME for the current directory', () => {
    expect(awsFilePaths({ HOME: '/home/ann', AWS_SHARED_CREDENTIALS_FILE: '$HOME/.aws/credentials' }, '/home/ann').credentials).toBe(
      '/home/ann/.aws/credentials',
    );
  });

  it('names the files and caches under HOME exactly as path.join does, whatever HOME looks like', () => {
    const segment = fc.constantFrom('', '/', '//', '.', '..', 'home', 'ann', ' a b ', '.aws', '~');
    const home = fc.array(segment, { maxLength: 6 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(home, (homeDir) => {
        const aws = join(homeDir, '.aws');
        expect(awsFilePaths({}, homeDir)).toEqual({
          config: join(aws, 'config'),
          credentials: join(aws, 'credentials'),
          ssoCacheDir: join(aws, 'sso', 'cache'),
          cliCacheDir: join(aws, 'cli', 'cache'),
          sessionCacheDir: join(aws, 'awskeys', 'sessions'),
        });
      }),
      { numRuns: 2000 },
    );
  });
});

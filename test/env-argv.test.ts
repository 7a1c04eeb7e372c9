import { describe, expect, it } from 'vitest';
import { parseFastArgv } from '../src/cli/commands/env-argv.js';
import { runFastPath } from '../src/cli/commands/env-fast-path.js';
import { createDeps } from '../src/app/real-deps.js';
import { capture, runInProcess, tempHome } from './support/cli.js';

/**
 * The commander-free route for `env` / `credential-process` (src/cli/entry.ts) must mean exactly
 * what commander means, or hand the command line to commander.
 */

describe('parseFastArgv', () => {
  it.each([
    [['env'], { command: 'env', options: { profile: undefined, format: 'sh', region: true, unset: false } }],
    [
      ['env', '--profile', 'dev', '--format', 'fish', '--no-region'],
      { command: 'env', options: { profile: 'dev', format: 'fish', region: false, unset: false } },
    ],
    [['env', '-p', 'dev', '-f', 'json'], { command: 'env', options: { profile: 'dev', format: 'json', region: true, unset: false } }],
    [
      ['env', '--profile=acme.prod', '--format=powershell', '--unset'],
      { command: 'env', options: { profile: 'acme.prod', format: 'powershell', region: true, unset: true } },
    ],
    [['credential-process', '--profile', 'dev'], { command: 'credential-process', options: { profile: 'dev' } }],
    [['credential-process'], { command: 'credential-process', options: { profile: undefined } }],
    [
      ['credential-process', '--mfa-code', '123456', '-p', 'dev'],
      { command: 'credential-process', options: { profile: 'dev', mfaCode: '123456' } },
    ],
    [['env', '--mfa-code=012345'], { command: 'env', options: { profile: undefined, format: 'sh', region: true, unset: false, mfaCode: '012345' } }],
    [['env', '-p', 'dev', '--no-session'], { command: 'env', options: { profile: 'dev', format: 'sh', region: true, unset: false, session: false } }],
    [['env', '--duration', '90m'], { command: 'env', options: { profile: undefined, format: 'sh', region: true, unset: false, sessionSeconds: 5400 } }],
    [['credential-process', '--duration=2h', '--profile', 'dev'], { command: 'credential-process', options: { profile: 'dev', sessionSeconds: 7200 } }],
    [['credential-process', '--no-session'], { command: 'credential-process', options: { profile: undefined, session: false } }],
  ])('reads %j', (argv, expected) => {
    expect(parseFastArgv(argv)).toEqual(expected);
  });

  it.each([
    [[]],
    [['--help']],
    [['sso', 'login']],
    [['env', '--help']],
    [['env', '-h']],
    [['env', '--version']],
    [['env', '--profile']],
    [['env', '--profile', '']],
    [['env', '--profile', '--unset']],
    [['env', '--profile', 'a', '--profile', 'b']],
    [['env', '-pdev']],
    [['env', '--format', 'csh']],
    [['env', '--unset=yes']],
    [['env', 'extra']],
    [['env', '--', '--profile', 'dev']],
    [['credential-process', '--format', 'json']],
    [['credential-process', '--unset']],
    [['env', '--mfa-code']],
    [['env', '--mfa-code', '1', '--mfa-code', '2']],
    [['env', '--no-session=yes']],
    [['env', '--no-session', '--no-session']],
    [['env', '--duration']],
    [['env', '--duration', '10m']],
    [['credential-process', '--duration', 'soon']],
  ])('leaves %j to commander', (argv) => {
    expect(parseFastArgv(argv)).toBeUndefined();
  });
});

describe('the fast route and the commander route', () => {
  it.each([
    [['env', '--profile', 'dev']],
    [['env', '-p', 'dev', '--format', 'cmd', '--no-region']],
    [['env', '--format=json', '--profile=dev']],
    [['env', '--unset', '-f', 'fish']],
    [['env', '--profile', 'missing']],
    [['env', '--profile', 'dev', '--format', 'dotenv']],
    [['env']],
    [['credential-process', '--profile', 'dev']],
    [['credential-process']],
    [['credential-process', '--profile', 'dev', '--mfa-code', '123456']],
    [['env', '--profile', 'dev', '--mfa-code', '12345']],
    [['env', '--profile', 'dev', '--no-session', '--duration', '1h']],
    [['credential-process', '--profile', 'dev', '--no-session']],
  ])('print the same and exit the same for %j', async (argv) => {
    const { home, env } = await tempHome({
      config: '[profile dev]\nregion = eu-west-3\n',
      credentials: '[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = "quoted" secret\n',
    });

    const viaCommander = await runInProcess(argv, { env });
    const fast = parseFastArgv(argv);
    expect(fast).toBeDefined();
    const stdout = capture();
    const stderr = capture();
    const deps = createDeps({ env, homeDir: home, cwd: process.cwd(), stdout, stderr, signal: new AbortController().signal });
    const code = await runFastPath(fast ?? { command: 'credential-process', options: {} }, deps);
    expect({ code, stdout: stdout.text, stderr: stderr.text }).toEqual(viaCommander);
  });
});

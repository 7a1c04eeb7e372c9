import { describe, expect, it } from 'vitest';
import { ExitCode } from '../errors/cli-error.js';
import type { AwsCredentials } from './credentials.js';
import { renderCredentials, renderUnset } from './formats.js';

const session: AwsCredentials = {
  accessKeyId: 'ASIAEXAMPLE',
  secretAccessKey: 'se/cr+et',
  sessionToken: 'to=ken',
  expiration: new Date('2030-01-02T03:04:05.678Z'),
};
const longLived: AwsCredentials = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' };

// Everything a shell could misread: spaces, both quotes, $, backticks, backslashes, a line break,
// a glob, a comment sign, and non-ASCII text.
const hostile: AwsCredentials = {
  accessKeyId: `it's "me"`,
  secretAccessKey: 'a $HOME `id` \\ *',
  sessionToken: 'line1\nline2 # ünï ✓',
};

function thrown(fn: () => unknown): { exitCode: number; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { exitCode: number; message: string };
  }
  throw new Error('expected an error');
}

describe('renderCredentials --format sh', () => {
  it('exports every value single-quoted, with the region when asked', () => {
    expect(renderCredentials(session, 'sh', { region: 'eu-west-1' })).toBe(
      [
        `export AWS_ACCESS_KEY_ID='ASIAEXAMPLE'`,
        `export AWS_SECRET_ACCESS_KEY='se/cr+et'`,
        `export AWS_SESSION_TOKEN='to=ken'`,
        `export AWS_CREDENTIAL_EXPIRATION='2030-01-02T03:04:05Z'`,
        `export AWS_REGION='eu-west-1'`,
        `export AWS_DEFAULT_REGION='eu-west-1'`,
        '',
      ].join('\n'),
    );
  });

  it('clears a stale session token and expiration for long-lived keys, and leaves the region alone without one', () => {
    expect(renderCredentials(longLived, 'sh')).toBe(
      [
        `export AWS_ACCESS_KEY_ID='AKIAEXAMPLE'`,
        `export AWS_SECRET_ACCESS_KEY='secret'`,
        'unset AWS_SESSION_TOKEN',
        'unset AWS_CREDENTIAL_EXPIRATION',
        '',
      ].join('\n'),
    );
  });

  it("closes, escapes and reopens the quotes around a ' and keeps everything else literal", () => {
    expect(renderCredentials(hostile, 'sh')).toBe(
      [
        `export AWS_ACCESS_KEY_ID='it'\\''s "me"'`,
        "export AWS_SECRET_ACCESS_KEY='a $HOME `id` \\ *'",
        `export AWS_SESSION_TOKEN='line1\nline2 # ünï ✓'`,
        'unset AWS_CREDENTIAL_EXPIRATION',
        '',
      ].join('\n'),
    );
  });
});

describe('renderCredentials --format fish', () => {
  it('sets global exported variables and erases absent ones', () => {
    expect(renderCredentials(longLived, 'fish', { region: 'us-east-2' })).toBe(
      [
        `set -gx AWS_ACCESS_KEY_ID 'AKIAEXAMPLE'`,
        `set -gx AWS_SECRET_ACCESS_KEY 'secret'`,
        'set -e -g AWS_SESSION_TOKEN; or true',
        'set -e -g AWS_CREDENTIAL_EXPIRATION; or true',
        `set -gx AWS_REGION 'us-east-2'`,
        `set -gx AWS_DEFAULT_REGION 'us-east-2'`,
        '',
      ].join('\n'),
    );
  });

  it('escapes only backslash and single quote, the two escapes fish single quotes know', () => {
    expect(renderCredentials(hostile, 'fish')).toBe(
      [
        `set -gx AWS_ACCESS_KEY_ID 'it\\'s "me"'`,
        "set -gx AWS_SECRET_ACCESS_KEY 'a $HOME `id` \\\\ *'",
        `set -gx AWS_SESSION_TOKEN 'line1\nline2 # ünï ✓'`,
        'set -e -g AWS_CREDENTIAL_EXPIRATION; or true',
        '',
      ].join('\n'),
    );
  });
});

describe('renderCredentials --format powershell', () => {
  it('assigns $Env: variables in single quotes and removes absent ones', () => {
    expect(renderCredentials(session, 'powershell')).toBe(
      [
        `$Env:AWS_ACCESS_KEY_ID = 'ASIAEXAMPLE'`,
        `$Env:AWS_SECRET_ACCESS_KEY = 'se/cr+et'`,
        `$Env:AWS_SESSION_TOKEN = 'to=ken'`,
        `$Env:AWS_CREDENTIAL_EXPIRATION = '2030-01-02T03:04:05Z'`,
        '',
      ].join('\n'),
    );
    expect(renderCredentials(longLived, 'powershell')).toContain(
      'if (Test-Path Env:AWS_SESSION_TOKEN) { Remove-Item -Path Env:AWS_SESSION_TOKEN }\n',
    );
  });

  it('doubles single quotes, including the typographic ones PowerShell also treats as quotes', () => {
    expect(renderCredentials({ ...hostile, accessKeyId: 'it’s ‘x’ \'y\'' }, 'powershell')).toBe(
      [
        `$Env:AWS_ACCESS_KEY_ID = 'it’’s ‘‘x’’ ''y'''`,
        "$Env:AWS_SECRET_ACCESS_KEY = 'a $HOME `id` \\ *'",
        `$Env:AWS_SESSION_TOKEN = 'line1\nline2 # ünï ✓'`,
        'if (Test-Path Env:AWS_CREDENTIAL_EXPIRATION) { Remove-Item -Path Env:AWS_CREDENTIAL_EXPIRATION }',
        '',
      ].join('\n'),
    );
  });
});

describe('renderCredentials --format cmd', () => {
  it('uses the quoted set form, which keeps & | < > ^ literal', () => {
    expect(renderCredentials({ ...longLived, secretAccessKey: 'a&b|c<d>e^f $HOME' }, 'cmd', { region: 'us-west-2' })).toBe(
      [
        'set "AWS_ACCESS_KEY_ID=AKIAEXAMPLE"',
        'set "AWS_SECRET_ACCESS_KEY=a&b|c<d>e^f $HOME"',
        'if defined AWS_SESSION_TOKEN set "AWS_SESSION_TOKEN="',
        'if defined AWS_CREDENTIAL_EXPIRATION set "AWS_CREDENTIAL_EXPIRATION="',
        'set "AWS_REGION=us-west-2"',
        'set "AWS_DEFAULT_REGION=us-west-2"',
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['a line break', 'line1\nline2'],
    ['a carriage return', 'a\rb'],
    ['the character "', 'say "hi"'],
    ['the character %', '100%PATH%'],
    ['the character !', 'bang!'],
  ])('refuses a value with %s, which cmd cannot carry', (what, value) => {
    const err = thrown(() => renderCredentials({ ...longLived, sessionToken: value }, 'cmd'));
    expect(err.exitCode).toBe(ExitCode.Credentials);
    expect(err.message).toBe(`The value for AWS_SESSION_TOKEN contains ${what}, which --format cmd cannot carry faithfully.`);
  });
});

describe('renderCredentials --format dotenv', () => {
  it('writes double-quoted values, newlines as \\n, and leaves absent values out', () => {
    expect(
      renderCredentials({ ...session, sessionToken: "it's `x` # ünï\nline2" }, 'dotenv', { region: 'ap-south-1' }),
    ).toBe(
      [
        'AWS_ACCESS_KEY_ID="ASIAEXAMPLE"',
        'AWS_SECRET_ACCESS_KEY="se/cr+et"',
        'AWS_SESSION_TOKEN="it\'s `x` # ünï\\nline2"',
        'AWS_CREDENTIAL_EXPIRATION="2030-01-02T03:04:05Z"',
        'AWS_REGION="ap-south-1"',
        'AWS_DEFAULT_REGION="ap-south-1"',
        '',
      ].join('\n'),
    );
    expect(renderCredentials(longLived, 'dotenv')).toBe('AWS_ACCESS_KEY_ID="AKIAEXAMPLE"\nAWS_SECRET_ACCESS_KEY="secret"\n');
  });

  it.each([
    ['the character "', 'say "hi"'],
    ['the character \\', 'back\\slash'],
    ['the character $', '$HOME'],
    ['a carriage return', 'a\rb'],
  ])('refuses a value with %s, which dotenv parsers read differently', (what, value) => {
    const err = thrown(() => renderCredentials({ ...longLived, secretAccessKey: value }, 'dotenv'));
    expect(err.exitCode).toBe(ExitCode.Credentials);
    expect(err.message).toBe(`The value for AWS_SECRET_ACCESS_KEY contains ${what}, which --format dotenv cannot carry faithfully.`);
  });
});

describe('renderCredentials --format json', () => {
  it('prints the credential_process document: Version the number 1, indent 2, Expiration in UTC', () => {
    expect(renderCredentials({ ...session, accountId: '111122223333' }, 'json', { region: 'eu-west-1' })).toBe(
      [
        '{',
        '  "Version": 1,',
        '  "AccessKeyId": "ASIAEXAMPLE",',
        '  "SecretAccessKey": "se/cr+et",',
        '  "SessionToken": "to=ken",',
        '  "Expiration": "2030-01-02T03:04:05Z",',
        '  "AccountId": "111122223333"',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('omits SessionToken and Expiration for long-lived keys, and escapes hostile values as JSON', () => {
    expect(renderCredentials(longLived, 'json')).toBe(
      '{\n  "Version": 1,\n  "AccessKeyId": "AKIAEXAMPLE",\n  "SecretAccessKey": "secret"\n}\n',
    );
    const doc = JSON.parse(renderCredentials(hostile, 'json')) as Record<string, unknown>;
    expect(doc).toEqual({
      Version: 1,
      AccessKeyId: hostile.accessKeyId,
      SecretAccessKey: hostile.secretAccessKey,
      SessionToken: hostile.sessionToken,
    });
  });
});

describe('renderCredentials, every format', () => {
  it.each(['sh', 'fish', 'powershell', 'cmd', 'dotenv'] as const)('refuses a NUL character in --format %s', (format) => {
    const err = thrown(() => renderCredentials({ ...longLived, secretAccessKey: 'a\0b' }, format));
    expect(err.exitCode).toBe(ExitCode.Credentials);
    expect(err.message).toBe('The value for AWS_SECRET_ACCESS_KEY contains a NUL character, which no environment variable can hold.');
  });
});

describe('renderUnset', () => {
  it('clears the credential and region variables in each shell', () => {
    expect(renderUnset('sh')).toBe(
      'unset AWS_ACCESS_KEY_ID\nunset AWS_SECRET_ACCESS_KEY\nunset AWS_SESSION_TOKEN\nunset AWS_CREDENTIAL_EXPIRATION\nunset AWS_REGION\nunset AWS_DEFAULT_REGION\n',
    );
    expect(renderUnset('fish', { region: false })).toBe(
      'set -e -g AWS_ACCESS_KEY_ID; or true\nset -e -g AWS_SECRET_ACCESS_KEY; or true\nset -e -g AWS_SESSION_TOKEN; or true\nset -e -g AWS_CREDENTIAL_EXPIRATION; or true\n',
    );
    expect(renderUnset('cmd', { region: false })).toBe(
      'if defined AWS_ACCESS_KEY_ID set "AWS_ACCESS_KEY_ID="\nif defined AWS_SECRET_ACCESS_KEY set "AWS_SECRET_ACCESS_KEY="\nif defined AWS_SESSION_TOKEN set "AWS_SESSION_TOKEN="\nif defined AWS_CREDENTIAL_EXPIRATION set "AWS_CREDENTIAL_EXPIRATION="\n',
    );
    expect(renderUnset('powershell', { region: true }).split('\n')[5]).toBe(
      'if (Test-Path Env:AWS_DEFAULT_REGION) { Remove-Item -Path Env:AWS_DEFAULT_REGION }',
    );
  });

  it.each(['json', 'dotenv'] as const)('is a usage error for --format %s, which cannot clear variables', (format) => {
    const err = thrown(() => renderUnset(format));
    expect(err.exitCode).toBe(ExitCode.Usage);
    expect(err.message).toMatch(/^--unset has no (json|dotenv) form/);
  });
});

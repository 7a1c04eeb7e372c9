import { describe, expect, it } from 'vitest';
import { ExitCode, UsageError } from '../errors/cli-error.js';
import {
  assertValidSectionName,
  parseSectionRef,
  profileSectionName,
  servicesSectionName,
  ssoSessionSectionName,
} from './sections.js';

describe('profileSectionName', () => {
  it.each([
    ['config', 'default', 'default'],
    ['config', 'dev', 'profile dev'],
    ['config', 'acme.prod', 'profile acme.prod'],
    ['config', 'dev@corp', 'profile dev@corp'],
    ['config', 'my prof', "profile 'my prof'"],
    ['config', "it's mine", `profile 'it'"'"'s mine'`],
    ['config', 'a"b', `profile 'a"b'`],
    ['credentials', 'default', 'default'],
    ['credentials', 'acme.prod', 'acme.prod'],
    ['credentials', 'my prof', 'my prof'],
  ] as const)('%s file, profile %j: [%s]', (kind, profile, section) => {
    expect(profileSectionName(kind, profile)).toBe(section);
  });
});

describe('other section names', () => {
  it('names sso-session and services sections', () => {
    expect(ssoSessionSectionName('my-sso')).toBe('sso-session my-sso');
    expect(ssoSessionSectionName('my sso')).toBe("sso-session 'my sso'");
    expect(servicesSectionName('local')).toBe('services local');
  });
});

describe('parseSectionRef', () => {
  it.each([
    ['profile dev', { type: 'profile', name: 'dev' }],
    ['profile acme.prod', { type: 'profile', name: 'acme.prod' }],
    ["profile 'my prof'", { type: 'profile', name: 'my prof' }],
    ['profile "my prof"', { type: 'profile', name: 'my prof' }],
    [`profile 'it'"'"'s mine'`, { type: 'profile', name: "it's mine" }],
    ['profile   spaced', { type: 'profile', name: 'spaced' }],
    ['sso-session my-sso', { type: 'sso-session', name: 'my-sso' }],
    ['services local', { type: 'services', name: 'local' }],
    ['default', { type: 'other', name: 'default' }],
    ['profile my prof', { type: 'other', name: 'profile my prof' }],
    ["profile 'open", { type: 'other', name: "profile 'open" }],
    ['profiledev', { type: 'other', name: 'profiledev' }],
    ['preview', { type: 'other', name: 'preview' }],
  ])('reads [%s] as botocore does', (section, ref) => {
    expect(parseSectionRef(section)).toEqual(ref);
  });

  it('reads back every name profileSectionName writes', () => {
    for (const name of ['dev', 'my prof', "it's mine", 'a"b', 'x\\y', 'tab\there']) {
      expect(parseSectionRef(profileSectionName('config', name))).toEqual({ type: 'profile', name });
    }
  });
});

describe('assertValidSectionName', () => {
  it.each([['dev'], ['acme.prod'], ['dev@corp'], ['my prof'], ['a#b'], ['x;y'], ['RoleName-111122223333']])(
    'accepts %j',
    (name) => {
      expect(assertValidSectionName(name)).toBeUndefined();
    },
  );

  it.each([
    ['', 'it is empty'],
    ['a[b', 'it contains [ or ]'],
    ['a]b', 'it contains [ or ]'],
    ['a\nb', 'it contains a line break'],
    ['a\rb', 'it contains a line break'],
    ['a=b', "it contains '='"],
    ['#dev', "it starts with '#' or ';' (a comment)"],
    [';dev', "it starts with '#' or ';' (a comment)"],
    [' dev', 'it starts or ends with whitespace'],
    ['dev\t', 'it starts or ends with whitespace'],
    ['my #prof', "it has '#' or ';' after a space (read as a comment)"],
  ])('refuses %j: %s', (name, problem) => {
    let error: unknown;
    try {
      assertValidSectionName(name, 'sso-session name');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(ExitCode.Usage);
    expect((error as UsageError).message).toBe(`Invalid sso-session name ${JSON.stringify(name)}: ${problem}.`);
  });
});

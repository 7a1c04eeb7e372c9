import { describe, expect, it } from 'vitest';
import { ExitCode, UsageError } from '../errors/cli-error.js';
import type { SectionEdit, SectionUpdate } from './ini-edit.js';
import { editSection, editSections, removeSection } from './ini-edit.js';

const SUBKEYS = '[profile dev]\ns3 =\n  max_concurrent_requests = 20\n  multipart_threshold = 64MB\nregion = us-east-1\n';

describe('editSection', () => {
  it.each<[string, string, string, SectionUpdate, string]>([
    ['replaces a key', '[dev]\nregion = us-east-1\n', 'dev', { region: 'eu-west-1' }, '[dev]\nregion = eu-west-1\n'],
    [
      'adds a key after the last key of an existing section',
      '[dev]\nregion = us-east-1\n\n[prod]\nregion = us-west-2\n',
      'dev',
      { output: 'json' },
      '[dev]\nregion = us-east-1\noutput = json\n\n[prod]\nregion = us-west-2\n',
    ],
    ['adds a section to an empty file', '', 'default', { region: 'us-east-1' }, '[default]\nregion = us-east-1\n'],
    [
      'adds a section after a blank line, keeping a missing final newline missing',
      '[a]\nx = 1',
      'b',
      { y: '2' },
      '[a]\nx = 1\n\n[b]\ny = 2',
    ],
    [
      'adds a section to a CRLF file with CRLF line endings',
      '[a]\r\nx = 1\r\n',
      'b',
      { y: '2', z: '3' },
      '[a]\r\nx = 1\r\n\r\n[b]\r\ny = 2\r\nz = 3\r\n',
    ],
    [
      'adds a section to a file with a UTF-8 BOM and keeps the BOM first',
      '\uFEFF[a]\nx = 1\n',
      'b',
      { y: '2' },
      '\uFEFF[a]\nx = 1\n\n[b]\ny = 2\n',
    ],
    ['adds a section to a file holding only a BOM', '\uFEFF', 'b', { y: '2' }, '\uFEFF[b]\ny = 2\n'],
    [
      'does not add a second blank line when the file ends with one',
      '[a]\nx = 1\n\n',
      'b',
      { y: '2' },
      '[a]\nx = 1\n\n[b]\ny = 2\n',
    ],
    [
      'adds keys to a CRLF section with CRLF endings',
      '[dev]\r\nregion = us-east-1\r\n\r\n[prod]\r\nx = 1\r\n',
      'dev',
      { output: 'json' },
      '[dev]\r\nregion = us-east-1\r\noutput = json\r\n\r\n[prod]\r\nx = 1\r\n',
    ],
    [
      'adds a key to a last section that has no final newline',
      '[dev]\nregion = us-east-1',
      'dev',
      { output: 'json' },
      '[dev]\nregion = us-east-1\noutput = json',
    ],
    ['adds a key under a header with no keys', '[dev]\n\n[prod]\n', 'dev', { k: 'v' }, '[dev]\nk = v\n\n[prod]\n'],
    [
      'removes a key',
      '[dev]\naws_access_key_id = AKIA1\naws_session_token = tok\nregion = us-east-1\n',
      'dev',
      { aws_session_token: null },
      '[dev]\naws_access_key_id = AKIA1\nregion = us-east-1\n',
    ],
    ['removing a key that is not there changes nothing', '[dev]\nk = v\n', 'dev', { other: null }, '[dev]\nk = v\n'],
    ['removing from a missing section adds nothing', '[dev]\nk = v\n', 'prod', { k: null }, '[dev]\nk = v\n'],
    [
      'keeps # and ; comments, blank lines and unknown keys',
      '# my keys\n[dev]\n; rotated monthly\nregion = us-east-1\n\nmy_tool_setting = 7 # mine\n\n# trailing\n',
      'dev',
      { region: 'eu-west-1', aws_access_key_id: 'AKIA2' },
      '# my keys\n[dev]\n; rotated monthly\nregion = eu-west-1\n\nmy_tool_setting = 7 # mine\naws_access_key_id = AKIA2\n\n# trailing\n',
    ],
    [
      "keeps a replaced key's spacing, and replaces the whole value: botocore has no inline comments",
      '[dev]\nregion=us-east-1   ; main region\naws_secret_access_key = Old # 2024\n',
      'dev',
      { region: 'eu-west-1', aws_secret_access_key: 'New' },
      '[dev]\nregion=eu-west-1\naws_secret_access_key = New\n',
    ],
    ['replaces a value that botocore reads as "# todo"', '[dev]\nk = # todo\n', 'dev', { k: 'v' }, '[dev]\nk = v\n'],
    ['puts a space after a bare "k="', '[dev]\nk=\n', 'dev', { k: 'v' }, '[dev]\nk= v\n'],
    [
      'replaces a key written in another case, as botocore reads it the same key',
      '[dev]\nAWS_ACCESS_KEY_ID = AKIAOLD\nAws_Session_Token = tok\n',
      'dev',
      { aws_access_key_id: 'AKIANEW', aws_session_token: null },
      '[dev]\nAWS_ACCESS_KEY_ID = AKIANEW\n',
    ],
    [
      'treats a lone CR as a line ending, and writes new lines with it',
      '[dev]\rk = v\r',
      'dev',
      { n: 'w' },
      '[dev]\rk = v\rn = w\r',
    ],
    ['writes an empty value as "key ="', '[dev]\nk = v\n', 'dev', { k: '', n: '' }, '[dev]\nk =\nn =\n'],
    [
      'leaves indented sub-keys untouched and adds keys after them',
      SUBKEYS,
      'profile dev',
      { region: 'eu-west-1', output: 'json' },
      '[profile dev]\ns3 =\n  max_concurrent_requests = 20\n  multipart_threshold = 64MB\nregion = eu-west-1\noutput = json\n',
    ],
    [
      'adds keys after a trailing sub-key block, not inside it',
      '[profile dev]\ns3 =\n  max_concurrent_requests = 20\n',
      'profile dev',
      { region: 'eu-west-1' },
      '[profile dev]\ns3 =\n  max_concurrent_requests = 20\nregion = eu-west-1\n',
    ],
    [
      'removes a key with its sub-keys',
      SUBKEYS,
      'profile dev',
      { s3: null },
      '[profile dev]\nregion = us-east-1\n',
    ],
    [
      'edits [acme.prod] without touching the dots',
      '[acme.prod]\nk = 1\n',
      'acme.prod',
      { k: '2' },
      '[acme.prod]\nk = 2\n',
    ],
    [
      "edits [profile 'my prof']",
      "[profile 'my prof']\nregion = us-east-1\n",
      "profile 'my prof'",
      { region: 'eu-west-1' },
      "[profile 'my prof']\nregion = eu-west-1\n",
    ],
    [
      'edits [profile dev@corp] and [profile my-dev_2] separately',
      '[profile dev@corp]\nk = 1\n[profile my-dev_2]\nk = 1\n',
      'profile dev@corp',
      { k: '2' },
      '[profile dev@corp]\nk = 2\n[profile my-dev_2]\nk = 1\n',
    ],
    [
      'writes [profile acme.prod] exactly as given',
      '[default]\nregion = us-east-1\n',
      'profile acme.prod',
      { region: 'eu-west-1' },
      '[default]\nregion = us-east-1\n\n[profile acme.prod]\nregion = eu-west-1\n',
    ],
    [
      'does not confuse [profile acme] with [profile acme.prod]',
      '[profile acme.prod]\nk = 1\n',
      'profile acme',
      { k: '2' },
      '[profile acme.prod]\nk = 1\n\n[profile acme]\nk = 2\n',
    ],
    [
      'finds a header with a comment after it, and takes [ dev ] for another section (botocore: " dev ")',
      '[dev] # work\nk = 1\n\n[ dev ]\nk = 1\n',
      'dev',
      { k: '2' },
      '[dev] # work\nk = 2\n\n[ dev ]\nk = 1\n',
    ],
    [
      'sets a key in the last of duplicate sections (the one the JS SDK lets win)',
      '[dev]\nk = 1\n\n[dev]\nk = 2\n',
      'dev',
      { k: '3', n: 'x' },
      '[dev]\nk = 1\n\n[dev]\nk = 3\nn = x\n',
    ],
    [
      'removes a key from every duplicate section so an old value cannot resurface',
      '[dev]\nk = 1\n\n[dev]\nk = 2\n',
      'dev',
      { k: null },
      '[dev]\n\n[dev]\n',
    ],
    [
      'replaces the last of duplicate keys (the one readers keep)',
      '[dev]\nk = 1\nk = 2\n',
      'dev',
      { k: '3' },
      '[dev]\nk = 1\nk = 3\n',
    ],
    [
      'replaces a continued value together with its continuation lines',
      '[dev]\nk = first\n  second\nz = 1\n',
      'dev',
      { k: 'one' },
      '[dev]\nk = one\nz = 1\n',
    ],
    ['writes nothing new when the value is already set', '[dev]\nk=v\n', 'dev', { k: 'v' }, '[dev]\nk=v\n'],
  ])('%s', (_title, before, section, update, after) => {
    expect(editSection(before, section, update)).toBe(after);
  });

  it("writes a value holding ' #' whole: botocore reads it whole (there are no inline comments)", () => {
    expect(editSection('[dev]\nk = old ; note\n', 'dev', { k: 'a # b' })).toBe('[dev]\nk = a # b\n');
  });

  it('overrides with an empty value a removed key that [DEFAULT] would otherwise put back', () => {
    expect(
      editSection('[DEFAULT]\naws_session_token = DEFTOKEN\n\n[dev]\naws_session_token = tok\n', 'dev', {
        aws_access_key_id: 'AKIANEW',
        aws_session_token: null,
      }),
    ).toBe('[DEFAULT]\naws_session_token = DEFTOKEN\n\n[dev]\naws_session_token =\naws_access_key_id = AKIANEW\n');
    expect(editSection('[DEFAULT]\nAWS_SESSION_TOKEN = T\n', 'new', { aws_session_token: null, k: 'v' })).toBe(
      '[DEFAULT]\nAWS_SESSION_TOKEN = T\n\n[new]\naws_session_token =\nk = v\n',
    );
  });

  it('refuses DEFAULT as a section: botocore would add its keys to every profile', () => {
    expect(() => editSection('', 'DEFAULT', { aws_session_token: 'x' })).toThrow(UsageError);
  });

  it('refuses to add a key before an indented header, which botocore would then read as part of that key', () => {
    expect(() => editSection('[a]\n  [b]\nk = v\n', 'a', { n: 'w' })).toThrow(
      'line 2: the [section] header is indented, so botocore would read it as part of a key added before it.',
    );
  });

  it('refuses to remove a section between a key and an indented header, which botocore would then read as part of that key', () => {
    expect(() => removeSection('[a]\nk = v\n[b]\n  n = 1\n  [c]\n', 'b')).toThrow(
      'line 5: the [section] header is indented, so botocore would read it as part of the key before the removed section.',
    );
    expect(removeSection('[a]\n  k = v\n[b]\n  n = 1\n  [c]\n', 'b')).toBe('[a]\n  k = v\n  [c]\n');
  });

  it('keeps a malformed line it does not own as it is', () => {
    expect(editSection('[a]\nnot a key\n', 'b', { k: 'v' })).toBe('[a]\nnot a key\n\n[b]\nk = v\n');
  });

  it.each([
    ['a newline', 'wJalrSECRET\nb'],
    ['a carriage return', 'wJalrSECRET\r'],
    ['leading whitespace', ' wJalrSECRET'],
  ])('refuses a value with %s and names only the key', (_what, value) => {
    const error = catchError(() => editSection('', 'dev', { aws_secret_access_key: value }));
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(ExitCode.Usage);
    expect((error as Error).message).toMatch(/^The value for aws_secret_access_key /);
    expect((error as Error).message).not.toContain('wJalrSECRET');
  });

  it.each([[''], ['a=b'], ['#k'], ['[k'], [' k'], ['k\nx']])('refuses the key name %j', (key) => {
    expect(() => editSection('', 'dev', { [key]: 'v' })).toThrow(UsageError);
  });

  it.each([[''], ['a]b'], ['a\nb'], ['#x']])('refuses the section name %j', (section) => {
    expect(() => editSection('', section, { k: 'v' })).toThrow(UsageError);
  });
});

describe('removeSection', () => {
  it.each<[string, string, string, string]>([
    [
      'removes a middle section and the blank line after it, keeping the next comment',
      '[a]\nx = 1\n\n[b]\n# inside b\ny = 2\n\n# about c\n[c]\nz = 3\n',
      'b',
      '[a]\nx = 1\n\n# about c\n[c]\nz = 3\n',
    ],
    ['removes the last section and the blank line before it', '[a]\nx = 1\n\n[b]\ny = 2\n', 'b', '[a]\nx = 1\n'],
    ['removes the first section', '[a]\nx = 1\n\n[b]\ny = 2\n', 'a', '[b]\ny = 2\n'],
    ['removes every duplicate', '[a]\nx = 1\n[b]\ny = 2\n[a]\nx = 3\n', 'a', '[b]\ny = 2\n'],
    ['removes a section with sub-keys', '[a]\ns3 =\n  m = 1\n[b]\n', 'a', '[b]\n'],
    ['keeps CRLF, a BOM and a missing final newline', '\uFEFF[a]\r\nx = 1\r\n\r\n[b]\r\ny = 2', 'b', '\uFEFF[a]\r\nx = 1'],
    ['returns the text unchanged when the section is not there', '[a]\nx = 1', 'b', '[a]\nx = 1'],
    ['removes the only section', '[profile acme.prod]\nx = 1\n', 'profile acme.prod', ''],
  ])('%s', (_title, before, section, after) => {
    expect(removeSection(before, section)).toBe(after);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('editSections', () => {
  it.each<[string, string, SectionEdit[], string]>([
    [
      'creates many sections in order, one blank line apart',
      '[a]\nx = 1\n',
      [
        { section: 'b', update: { y: '2' } },
        { section: 'c', update: { z: '3', w: '4' } },
      ],
      '[a]\nx = 1\n\n[b]\ny = 2\n\n[c]\nz = 3\nw = 4\n',
    ],
    [
      'updates, removes and creates in one pass, keeping every other byte',
      '# top\r\n[a]\r\nx = 1 # one\r\n\r\n[b]\r\ny = 2\r\n\r\n; about c\r\n[c]\r\nz = 3\r\n',
      [
        { section: 'a', update: { x: '9', n: 'new' } },
        { section: 'b', remove: true },
        { section: 'd', update: { k: 'v' } },
      ],
      '# top\r\n[a]\r\nx = 9\r\nn = new\r\n\r\n; about c\r\n[c]\r\nz = 3\r\n\r\n[d]\r\nk = v\r\n',
    ],
    [
      'a second edit of the same section sees the first',
      '[a]\nx = 1\n',
      [
        { section: 'a', update: { y: '2' } },
        { section: 'a', update: { y: '3', x: null } },
      ],
      '[a]\ny = 3\n',
    ],
    [
      'a removed section set again comes back at the end',
      '[a]\nx = 1\n\n[b]\ny = 2\n',
      [
        { section: 'a', remove: true },
        { section: 'a', update: { x: '2' } },
      ],
      '[b]\ny = 2\n\n[a]\nx = 2\n',
    ],
    [
      'keeps a missing final newline missing after several appends',
      '[a]\nx = 1',
      [
        { section: 'a', update: { y: '2' } },
        { section: 'b', update: { z: '3' } },
      ],
      '[a]\nx = 1\ny = 2\n\n[b]\nz = 3',
    ],
    ['no edits: the text as it was', '[a]\nx = 1', [], '[a]\nx = 1'],
  ])('%s', (_name, before, edits, after) => {
    expect(editSections(before, edits)).toBe(after);
  });

  it('validates every edit before changing anything', () => {
    expect(() =>
      editSections('[a]\n', [
        { section: 'a', update: { x: '1' } },
        { section: 'b', update: { y: 'bad\nvalue' } },
      ]),
    ).toThrow(UsageError);
  });

  // Speed is measured by `npm run bench` (3,000-profile config write), not by a timed test.
  it('writes 3,000 new profiles in one pass, in order', () => {
    const edits: SectionEdit[] = Array.from({ length: 3000 }, (_, i) => ({
      section: `profile p${i}`,
      update: { sso_session: 'corp', sso_account_id: String(100000000000 + i), sso_role_name: 'Admin', region: 'eu-west-1' },
    }));
    const text = editSections('[default]\nregion = us-east-1\n', edits);
    expect(text.split('\n[profile ').length).toBe(3001);
    expect(text.endsWith('[profile p2999]\nsso_session = corp\nsso_account_id = 100000002999\nsso_role_name = Admin\nregion = eu-west-1\n')).toBe(true);
  });
});

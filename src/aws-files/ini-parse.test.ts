import { describe, expect, it } from 'vitest';
import { ExitCode, FileError } from '../errors/cli-error.js';
import { parseIni } from './ini-parse.js';

const valuesOf = (text: string): Record<string, Record<string, string>> =>
  Object.fromEntries(parseIni(text, '/h/.aws/config').sections.map((s) => [s.name, { ...s.values }]));

describe('parseIni', () => {
  it('reads sections, keys and values with the 1-based header line', () => {
    const doc = parseIni('# top\n[default]\nregion = us-east-1\n\n[profile acme.prod]\noutput=json\n', 'f');
    expect(doc.sections.map((s) => ({ ...s, values: { ...s.values } }))).toEqual([
      { name: 'default', line: 2, values: { region: 'us-east-1' } },
      { name: 'profile acme.prod', line: 5, values: { output: 'json' } },
    ]);
  });

  it('keeps dotted, quoted and @ section names as written, spaces inside the brackets included (as botocore)', () => {
    expect(Object.keys(valuesOf("[acme.prod]\n[profile 'my prof']\n[ profile dev@corp ]\n"))).toEqual([
      'acme.prod',
      "profile 'my prof'",
      ' profile dev@corp ',
    ]);
  });

  it('reads a header up to its last ], as botocore does', () => {
    expect(Object.keys(valuesOf('[dev] # [x]\n[a]]\n'))).toEqual(['dev] # [x', 'a]']);
  });

  it('reads an indented header as a header, except under a key, where it is part of the value (configparser)', () => {
    expect(valuesOf('[a]\n  [b]\nk = v\n  [c]\n')).toEqual({ a: {}, b: { k: 'v\n[c]' } });
  });

  it('lowercases key names, as configparser does', () => {
    expect(valuesOf('[s]\nAWS_Access_Key_ID = AKIA1\n')).toEqual({ s: { aws_access_key_id: 'AKIA1' } });
  });

  it('splits lines at a lone CR too (Python universal newlines), inside a line included', () => {
    expect(valuesOf('[s]\rk = v\rn = w # c\r\nm = x')).toEqual({ s: { k: 'v', n: 'w # c', m: 'x' } });
  });

  it('adds the keys of [DEFAULT] to every section that lacks them, and lists no DEFAULT section', () => {
    const doc = parseIni('[DEFAULT]\naws_session_token = T\nregion = r\n[a]\nregion = own\n[DEFAULT]\noutput = json\n', 'f');
    expect(doc.sections.map((s) => [s.name, { ...s.values }])).toEqual([
      ['a', { region: 'own', aws_session_token: 'T', output: 'json' }],
    ]);
    expect(doc.defaults).toEqual({ aws_session_token: 'T', region: 'r', output: 'json' });
  });

  it.each([
    ['k = v # note', 'v # note'],
    ['k = v ; note', 'v ; note'],
    ['k = v\t# tab before the hash', 'v\t# tab before the hash'],
    ['k = a#b;c', 'a#b;c'],
    ['k = https://x/start#frag', 'https://x/start#frag'],
    ['k = # only a comment', '# only a comment'],
    ['k =', ''],
    ['k=v', 'v'],
    ['k = a = b', 'a = b'],
    ['  k = indented first key', 'indented first key'],
    ['k = v   ', 'v'],
  ])('reads %j as the value %j (no inline comments, as botocore)', (line, value) => {
    expect(valuesOf(`[s]\n${line}\n`)).toEqual({ s: { k: value } });
  });

  it('skips full-line comments, indented ones included', () => {
    expect(valuesOf('[s]\n# a = 1\n; b = 2\n   # c = 3\nd = 4\n')).toEqual({ s: { d: '4' } });
  });

  it('reads a header followed by a comment', () => {
    expect(valuesOf('[s] # mine\nk = v\n')).toEqual({ s: { k: 'v' } });
  });

  it('reads CRLF line endings and a UTF-8 BOM', () => {
    expect(valuesOf('\uFEFF[s]\r\nk = v\r\nn = w')).toEqual({ s: { k: 'v', n: 'w' } });
  });

  it("stores indented sub-keys after 'key =' as 'key.sub', across blank lines and comments", () => {
    expect(valuesOf('[services local]\niam =\n  endpoint_url = http://127.0.0.1:5000\n\n  # sts\nsts =\n\tendpoint_url = http://x\nregion = us-east-1\n')).toEqual({
      'services local': {
        iam: '',
        'iam.endpoint_url': 'http://127.0.0.1:5000',
        sts: '',
        'sts.endpoint_url': 'http://x',
        region: 'us-east-1',
      },
    });
  });

  it('joins continuation lines (indented deeper than their key) to its value, blank lines inside kept', () => {
    expect(valuesOf('[s]\nk = first\n  second = x\n\n  third\n\nn = 1\n  m = 2\n')).toEqual({
      s: { k: 'first\nsecond = x\n\nthird', n: '1\nm = 2' },
    });
  });

  it('reads a key as indented as the one before it as a key of its own', () => {
    expect(valuesOf('[s]\n  k = 1\n  n = 2\n')).toEqual({ s: { k: '1', n: '2' } });
  });

  it.each([
    ['[s]\nk = 1\nK = 2\n', 3, 'the key k repeats the one on line 2 in [s]'],
    ['[s]\nk = 1\n[t]\n[s]\n', 4, 'the section [s] repeats the one on line 1'],
    ['[DEFAULT]\nk = 1\n[DEFAULT]\nk = 2\n', 4, 'the key k repeats the one on line 2 in [DEFAULT]'],
  ])('refuses %j as botocore does (line %i: %s)', (text, line, problem) => {
    expect(() => parseIni(text, 'f')).toThrow(`f line ${line}: ${problem}.`);
  });

  it('reads a key named __proto__ as a plain own key, without touching the prototype', () => {
    const values = parseIni('[s]\n__proto__ = x\nk = v\n', 'f').sections[0]?.values ?? {};
    expect(Object.entries(values)).toEqual([
      ['__proto__', 'x'],
      ['k', 'v'],
    ]);
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
  });

  it('returns plain objects', () => {
    expect(parseIni('[s]\nk = v\n', 'f').sections).toStrictEqual([{ name: 's', line: 1, values: { k: 'v' } }]);
  });

  it('reads an empty file, blank lines only, or comments only as no sections', () => {
    expect(parseIni('', 'f').sections).toEqual([]);
    expect(parseIni('\n\r\n  \n# c\n', 'f').sections).toEqual([]);
  });

  it.each([
    ['[s]\nk = v\nnot a key line\n', 3, "expected 'key = value', a [section] header or a comment"],
    ['[s]\r\nk = v\r\n\r\n= v\r\n', 4, "'=' without a key name before it"],
    ['# c\nregion = us-east-1\n[s]\n', 2, "a 'key = value' line comes before any [section] header"],
    ['[s]\nk = v\n[profile dev\nn = 1\n', 3, "section header has no closing ']'"],
    ['[]\n', 1, 'empty section header'],
    ['\uFEFF[s]\ns3 =\n  max_concurrent_requests\n', 3, "expected an indented 'name = value' under a 'key =' line"],
    ['[s]\nregion: us-east-1\n', 2, "expected 'key = value', a [section] header or a comment, found ':' instead of '='"],
  ])('rejects %j with a FileError naming line %i', (text, line, problem) => {
    const error = parseError(text);
    expect(error).toBeInstanceOf(FileError);
    expect(error.exitCode).toBe(ExitCode.File);
    expect(error.message).toBe(`/h/.aws/config line ${line}: ${problem}.`);
    expect(error.hint).toBeTruthy();
  });

  // A malformed line cannot be split into key and value reliably, so no part of it is ever quoted.
  const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYSECRET';
  it.each([
    [`[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key: ${SECRET}\n`, 3, "expected 'key = value', a [section] header or a comment, found ':' instead of '='", "write 'key = value': the AWS SDK for JavaScript skips a 'key: value' line"],
    [`[default]\naws_secret_access_key ${SECRET}\n`, 2, "expected 'key = value', a [section] header or a comment", "each line must be '[section]', 'key = value', a comment starting with # or ;, or blank"],
    [`[default]\n${SECRET}\n`, 2, "expected 'key = value', a [section] header or a comment", "each line must be '[section]', 'key = value', a comment starting with # or ;, or blank"],
    [`[default]\naws_session_token: ${SECRET}==\n`, 2, "expected 'key = value', a [section] header or a comment, found ':' instead of '='", "write 'key = value': the AWS SDK for JavaScript skips a 'key: value' line"],
    [`aws_secret_access_key: ${SECRET}=x\n[default]\n`, 1, "expected 'key = value', a [section] header or a comment, found ':' instead of '='", "write 'key = value': the AWS SDK for JavaScript skips a 'key: value' line"],
    [`${SECRET}x = 1\n[default]\n`, 1, "a 'key = value' line comes before any [section] header", 'put the line under a [profile NAME] (config) or [NAME] (credentials) header'],
    [`[default]aws_secret_access_key = ${SECRET}\n`, 1, "text after the ']' of a section header", 'a section header looks like [profile NAME], alone on its line; fix or remove that line'],
    [`[default ${SECRET}\n`, 1, "section header has no closing ']'", 'a section header looks like [profile NAME], alone on its line; fix or remove that line'],
    [`[s]\ns3 =\n  ${SECRET}\n`, 3, "expected an indented 'name = value' under a 'key =' line", "indented lines after 'key =' must each be 'name = value'"],
    [`[s]\nsso =\n  secret: ${SECRET}\n`, 3, "expected an indented 'name = value' under a 'key =' line, found ':' instead of '='", "indented lines after 'key =' must each be 'name = value'"],
  ])('never quotes the line in the error for %j (line %i)', (text, line, problem, hint) => {
    const error = parseError(text);
    expect(error.message).toBe(`/h/.aws/config line ${line}: ${problem}.`);
    expect(error.hint).toBe(hint);
    expect(`${error.message} ${error.hint ?? ''}`).not.toContain('SECRET');
  });

  it("reads a value containing ':' (only a ':' before the first '=' is refused)", () => {
    expect(valuesOf('[s]\nsso_start_url = https://x.awsapps.com/start\nk = a: b\n')).toEqual({
      s: { sso_start_url: 'https://x.awsapps.com/start', k: 'a: b' },
    });
  });
});

function parseError(text: string): FileError {
  try {
    parseIni(text, '/h/.aws/config');
  } catch (err) {
    if (err instanceof FileError) return err;
    throw err;
  }
  throw new Error('parseIni accepted the text');
}

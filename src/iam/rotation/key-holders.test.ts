import { describe, expect, it } from 'vitest';
import { parseIni } from '../../aws-files/ini-parse.js';
import { replaceKey, restoreKey, sectionsHoldingKey } from './key-holders.js';

const OLD = 'AKIAOLDOLDOLDOLDOLD1';
const NEW = { accessKeyId: 'AKIANEWNEWNEWNEWNEW2', secretAccessKey: 'new/secret+NEWNEWNEWNEWNEWNEWNEWNEWNEWN' };

const CREDENTIALS = [
  '\uFEFF# personal',
  '[dev]',
  `aws_access_key_id=${OLD}\r`,
  'aws_secret_access_key = old-secret   ; do not share',
  '',
  '[other]',
  'aws_access_key_id = AKIAOTHEROTHEROTHER3',
  'aws_secret_access_key = other-secret',
  '',
  '[dev.copy]',
  `aws_access_key_id = ${OLD}`,
  'region = eu-west-1',
].join('\n');

describe('sectionsHoldingKey', () => {
  it('finds every profile holding the key id, with what it holds', () => {
    expect(sectionsHoldingKey(parseIni(CREDENTIALS, 'c'), 'credentials', OLD)).toEqual([
      // botocore has no inline comments: this is the secret the AWS CLI reads.
      { section: 'dev', profile: 'dev', previous: { aws_access_key_id: OLD, aws_secret_access_key: 'old-secret   ; do not share' } },
      { section: 'dev.copy', profile: 'dev.copy', previous: { aws_access_key_id: OLD, aws_secret_access_key: null } },
    ]);
  });

  it('in the config file, only profile sections count, and names are unquoted', () => {
    const config = `[sso-session x]\naws_access_key_id = ${OLD}\n[profile 'my prof']\naws_access_key_id = ${OLD}\n[default]\naws_access_key_id = ${OLD}\n`;
    expect(sectionsHoldingKey(parseIni(config, 'c'), 'config', OLD).map((h) => [h.section, h.profile])).toEqual([
      ["profile 'my prof'", 'my prof'],
      ['default', 'default'],
    ]);
  });

  it('a file with a repeated header is refused before any key is looked for, as botocore refuses it', () => {
    const text = `[dev]\naws_access_key_id = ${OLD}\n[dev]\naws_access_key_id = AKIALATERLATERLATER4\n`;
    expect(() => parseIni(text, 'c')).toThrow('c line 3: the section [dev] repeats the one on line 1.');
  });
});

describe('replaceKey and restoreKey', () => {
  it('swaps only the two values, in place, keeping every other byte (BOM, CR, comments, spacing)', () => {
    const { text, replaced } = replaceKey(CREDENTIALS, 'c', 'credentials', OLD, NEW);
    expect(text).toBe(
      CREDENTIALS.replace(`aws_access_key_id=${OLD}\r`, `aws_access_key_id=${NEW.accessKeyId}\r`)
        // The whole value is replaced: botocore would read a kept "; do not share" as part of the secret.
        .replace('old-secret   ; do not share', NEW.secretAccessKey)
        .replace(`aws_access_key_id = ${OLD}\nregion = eu-west-1`, `aws_access_key_id = ${NEW.accessKeyId}\nregion = eu-west-1\naws_secret_access_key = ${NEW.secretAccessKey}`),
    );
    expect(replaced.map((h) => h.profile)).toEqual(['dev', 'dev.copy']);
  });

  it('restoreKey puts back what each section held, removing a secret that was not there', () => {
    const { text, replaced } = replaceKey(CREDENTIALS, 'c', 'credentials', OLD, NEW);
    expect(restoreKey(text, 'c', 'credentials', NEW.accessKeyId, replaced)).toBe(CREDENTIALS);
  });

  it('restoreKey leaves alone a section someone changed since', () => {
    const { text, replaced } = replaceKey(CREDENTIALS, 'c', 'credentials', OLD, NEW);
    const edited = text.replace(`aws_access_key_id = ${NEW.accessKeyId}`, 'aws_access_key_id = AKIAUSERUSERUSERUSER5');
    const restored = restoreKey(edited, 'c', 'credentials', NEW.accessKeyId, replaced);
    expect(restored).toContain('[dev]\naws_access_key_id=AKIAOLDOLDOLDOLDOLD1\r\naws_secret_access_key = old-secret   ; do not share');
    expect(restored).toContain('aws_access_key_id = AKIAUSERUSERUSERUSER5');
  });

  it('a file without the key is returned unchanged', () => {
    expect(replaceKey('[a]\nregion = x\n', 'c', 'credentials', OLD, NEW)).toEqual({ text: '[a]\nregion = x\n', replaced: [] });
  });
});

import { describe, expect, it } from 'vitest';
import { assertValidSectionName } from '../../aws-files/sections.js';
import { UsageError } from '../../errors/cli-error.js';
import { DEFAULT_TEMPLATE, normalizeNamePart, parseTemplate, renderName } from './profile-names.js';

const fields = { accountName: 'Payments Prod', accountId: '111122223333', roleName: 'AdministratorAccess', session: 'acme' };

describe('profile name templates', () => {
  it.each([
    [DEFAULT_TEMPLATE, 'Payments-Prod-AdministratorAccess'],
    ['{role_name}-{account_id}', 'AdministratorAccess-111122223333'],
    ['{session}/{account_name}/{role_name}', 'acme/Payments-Prod/AdministratorAccess'],
    ['{account_id}', '111122223333'],
    ['x.{account_name}@{role_name}:1', 'x.Payments-Prod@AdministratorAccess:1'],
  ])('%s renders %s', (template, name) => {
    expect(renderName(parseTemplate(template), fields)).toBe(name);
  });

  it.each([
    ['', 'it is empty'],
    ['{account}', 'unknown placeholder {account}'],
    ['{Account_Name}', 'unknown placeholder {Account_Name}'],
    ['{account_name', 'a "{" that is not part of a placeholder'],
    ['{account_name}}', 'a "}" that is not part of a placeholder'],
    ['{}', 'unknown placeholder {}'],
    ['{account_name} {role_name}', '" " cannot be part of a profile name'],
    ['[{account_name}]', '"[" cannot be part of a profile name'],
    ['{account_name}#{role_name}', '"#" cannot be part of a profile name'],
    ['{account_name};x', '";" cannot be part of a profile name'],
    ['a=b{role_name}', '"=" cannot be part of a profile name'],
    ['dev', 'it needs {account_name}, {account_id} or {role_name}, or every profile gets the same name'],
    ['{session}', 'it needs {account_name}, {account_id} or {role_name}, or every profile gets the same name'],
  ])('%j is refused (exit 2): %s', (template, problem) => {
    let error: unknown;
    try {
      parseTemplate(template);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(`Invalid --template ${JSON.stringify(template)}: ${problem}.`);
    expect((error as UsageError).hint).toBe(
      'use the placeholders {account_name}, {account_id}, {role_name}, {session} and letters, digits, . _ - @ + , / : (default: {account_name}-{role_name})',
    );
  });
});

describe('name normalization', () => {
  it.each([
    ['Company Name [production]', 'Company-Name-production'],
    ['Team #1; billing', 'Team-1-billing'],
    ['ops ; prod # main', 'ops-prod-main'],
    ['line\nbreak', 'line-break'],
    ['carriage\r\nreturn', 'carriage-return'],
    ['Zürich Ünïcödé', 'Zurich-Unicode'],
    ['東京 本番', ''],
    ['emoji 🚀 launch', 'emoji-launch'],
    ['  padded name  ', 'padded-name'],
    ['key = value', 'key-value'],
    [`quotes 'single' "double"`, 'quotes-single-double'],
    ['back\\slash', 'back-slash'],
    ['path/with:colon', 'path/with:colon'],
    ['[profile evil]', 'profile-evil'],
    ['-leading.dots.', 'leading.dots'],
    ['###', ''],
    ['Deploy,Prod+x@y_z', 'Deploy,Prod+x@y_z'],
  ])('%j -> %j', (text, normalized) => {
    expect(normalizeNamePart(text)).toBe(normalized);
  });

  it('uses the account id when the account name has nothing a name can keep', () => {
    const t = parseTemplate(DEFAULT_TEMPLATE);
    expect(renderName(t, { ...fields, accountName: '東京' })).toBe('111122223333-AdministratorAccess');
    expect(renderName(t, { ...fields, accountName: '' })).toBe('111122223333-AdministratorAccess');
  });

  it('joins parts without doubled or dangling dashes', () => {
    expect(renderName(parseTemplate('{session}-{account_name}-{role_name}'), { ...fields, session: '日本', accountName: '-x-' })).toBe(
      'x-AdministratorAccess',
    );
  });

  it('always yields a valid, unquoted section name for hostile input', () => {
    const hostile = ['[a]', 'a#b', 'a;b', 'a\nb', 'a=b', ' a ', "a'b", 'a"b', 'a\\b', '#a', ';a', 'a\tb', '\u0000', 'ü'];
    const t = parseTemplate('{account_name}-{role_name}-{session}');
    for (const accountName of hostile) {
      const name = renderName(t, { ...fields, accountName, session: accountName });
      expect(() => assertValidSectionName(name)).not.toThrow();
      expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9._@+,/:-]*$/);
    }
  });
});

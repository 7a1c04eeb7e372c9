import { describe, expect, it } from 'vitest';
import { configureImportProblem, profileNameForUser, renderAccessKeyCsv } from './key-csv.js';

describe('renderAccessKeyCsv (the --csv-file / --format csv content)', () => {
  it("writes the console's columns after a User Name column, one row, newline-terminated", () => {
    expect(
      renderAccessKeyCsv({ userName: 'alice', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }),
    ).toBe('User Name,Access key ID,Secret access key\nalice,AKIAIOSFODNN7EXAMPLE,wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
  });

  it('keeps user names with the characters IAM allows (+=.@-_) unquoted', () => {
    expect(renderAccessKeyCsv({ userName: 'a.b+c=d@e-f_g', accessKeyId: 'AKIA1', secretAccessKey: 's+/=' }).split('\n')[1]).toBe(
      'a.b+c=d@e-f_g,AKIA1,s+/=',
    );
  });

  it('quotes a user name with a comma, as CSV requires', () => {
    expect(renderAccessKeyCsv({ userName: 'ops,admin', accessKeyId: 'AKIA1', secretAccessKey: 'x' }).split('\n')[1]).toBe(
      '"ops,admin",AKIA1,x',
    );
  });
});

describe('configureImportProblem (may create-key suggest aws configure import?)', () => {
  it.each(['alice', 'a.b+c=d@e-f_g'])('%s: yes, each line splits at its commas into the three columns', (userName) => {
    expect(configureImportProblem(userName)).toBeUndefined();
    const csv = renderAccessKeyCsv({ userName, accessKeyId: 'AKIA1', secretAccessKey: 's+/=' });
    expect(csv.split('\n').slice(0, 2).map((line) => line.split(','))).toEqual([
      ['User Name', 'Access key ID', 'Secret access key'],
      [userName, 'AKIA1', 's+/='],
    ]);
  });

  it('a name with a comma: no, and says why', () => {
    expect(configureImportProblem('ops,admin')).toBe('aws configure import splits every line at commas and would misread the user name "ops,admin"');
    expect(profileNameForUser('ops,admin=x')).toBe('ops-admin-x');
  });
});

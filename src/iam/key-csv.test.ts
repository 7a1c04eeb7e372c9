import { describe, expect, it } from 'vitest';
import { renderAccessKeyCsv } from './key-csv.js';

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

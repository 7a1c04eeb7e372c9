import { describe, expect, it } from 'vitest';
import { FileError } from '../../errors/cli-error.js';
import { renderAccessKeyCsv } from '../key-csv.js';
import { parseAccessKeyCsv, parseCsv } from './parse-key-csv.js';

const ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('parseAccessKeyCsv reads every form of the console download', () => {
  it.each<[string, string, { userName?: string }]>([
    ['console (no user name), LF', `Access key ID,Secret access key\n${ID},${SECRET}\n`, {}],
    ['console with a BOM and CRLF', `\uFEFFAccess key ID,Secret access key\r\n${ID},${SECRET}\r\n`, {}],
    ['no final newline', `Access key ID,Secret access key\n${ID},${SECRET}`, {}],
    ['with a User Name column (awskeys, aws configure import)', `User Name,Access key ID,Secret access key\nalice,${ID},${SECRET}\n`, { userName: 'alice' }],
    ['quoted fields, a comma in the user name', `"User Name","Access key ID","Secret access key"\n"a,""b""",${ID},"${SECRET}"\n`, { userName: 'a,"b"' }],
    ['other columns, any order, any case', `Console login link,SECRET ACCESS KEY,user name,access key id\nhttps://x,${SECRET},bob,${ID}\n`, { userName: 'bob' }],
    ['blank lines around', `\nAccess key ID,Secret access key\n\n${ID},${SECRET}\n\n`, {}],
  ])('%s', (_, text, extra) => {
    expect(parseAccessKeyCsv(text, 'k.csv')).toEqual({ userName: undefined, accessKeyId: ID, secretAccessKey: SECRET, ...extra });
  });

  it('reads what `awskeys iam create-key --csv-file` writes', () => {
    const text = renderAccessKeyCsv({ userName: 'carol', accessKeyId: ID, secretAccessKey: SECRET });
    expect(parseAccessKeyCsv(text, 'k.csv')).toEqual({ userName: 'carol', accessKeyId: ID, secretAccessKey: SECRET });
  });
});

describe('parseAccessKeyCsv refuses anything else, never quoting a field', () => {
  it.each<[string, string, string]>([
    ['empty', '', 'it is empty'],
    ['no key columns', 'User name,Password\nalice,pw\n', 'its first line lacks the "Access key ID" and "Secret access key" columns'],
    ['no data line', 'Access key ID,Secret access key\n', 'it holds no key'],
    ['two keys', `Access key ID,Secret access key\n${ID},${SECRET}\n${ID},${SECRET}\n`, 'it holds 2 keys, and a profile takes one'],
    ['columns swapped in the data', `Access key ID,Secret access key\n${SECRET},${ID}\n`, 'its "Access key ID" field does not hold an access key id'],
    ['empty secret', `Access key ID,Secret access key\n${ID},\n`, 'its "Secret access key" field is empty or is not a secret access key'],
    ['secret with a space', `Access key ID,Secret access key\n${ID},"ab cd"\n`, 'its "Secret access key" field is empty or is not a secret access key'],
    ['unclosed quote', `Access key ID,Secret access key\n${ID},"${SECRET}\n`, 'it is not valid CSV (a quoted field is not closed)'],
  ])('%s', (_, text, problem) => {
    let error: unknown;
    try {
      parseAccessKeyCsv(text, '/tmp/k.csv');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).message).toBe(`/tmp/k.csv is not the IAM console's access key CSV: ${problem}.`);
    expect((error as FileError).message).not.toContain(SECRET);
  });
});

describe('parseCsv', () => {
  it('keeps line breaks and doubled quotes inside quoted fields', () => {
    expect(parseCsv('a,"b\r\nc","d""e"\r\nf,,g')).toEqual([
      ['a', 'b\r\nc', 'd"e'],
      ['f', '', 'g'],
    ]);
  });
});

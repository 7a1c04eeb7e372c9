import { FileError } from '../../errors/cli-error.js';

/** One access key from the IAM console's CSV download. */
export interface CsvAccessKey {
  /** Only when the file has a User Name column (ours, and `aws configure import`'s format). */
  userName?: string | undefined;
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * RFC 4180: comma-separated fields, double quotes around fields that hold commas, quotes (doubled)
 * or line breaks; CRLF or LF between records. A BOM (Excel writes one) is dropped.
 */
export function parseCsv(text: string): string[][] {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endField = () => {
    record.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  while (i < input.length) {
    const c = input.charAt(i);
    if (quoted) {
      if (c === '"' && input.charAt(i + 1) === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i += 1;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') endField();
    else if (c === '\r' && input.charAt(i + 1) === '\n') {
      endRecord();
      i += 1;
    } else if (c === '\n' || c === '\r') endRecord();
    else field += c;
    i += 1;
  }
  if (quoted) throw new Error('a quoted field is not closed');
  if (field !== '' || record.length > 0) endRecord();
  return records.filter((r) => r.some((f) => f.trim() !== ''));
}

const COLUMNS = { userName: 'username', accessKeyId: 'accesskeyid', secretAccessKey: 'secretaccesskey' } as const;

/**
 * The one key in the console's access-key CSV: columns `Access key ID` and `Secret access key`,
 * optionally `User Name` (matched ignoring case and spaces, in any order, among other columns).
 * Error messages never quote a field: any of them may be the secret.
 */
export function parseAccessKeyCsv(text: string, path: string): CsvAccessKey {
  let records: string[][];
  try {
    records = parseCsv(text);
  } catch (err) {
    throw bad(path, `it is not valid CSV (${(err as Error).message})`);
  }
  const [header, ...rows] = records;
  if (!header) throw bad(path, 'it is empty');
  const names = header.map((h) => h.toLowerCase().replace(/\s+/g, ''));
  const column = (name: string) => names.indexOf(name);
  const idAt = column(COLUMNS.accessKeyId);
  const secretAt = column(COLUMNS.secretAccessKey);
  const userAt = column(COLUMNS.userName);
  if (idAt === -1 || secretAt === -1) {
    throw bad(path, 'its first line lacks the "Access key ID" and "Secret access key" columns');
  }
  if (rows.length !== 1) {
    throw bad(path, rows.length === 0 ? 'it holds no key' : `it holds ${rows.length} keys, and a profile takes one`, rows.length > 1 ? 'keep only the line of the key you want' : undefined);
  }
  const row = rows[0] ?? [];
  const field = (at: number) => (row[at] ?? '').trim();
  const accessKeyId = field(idAt);
  const secretAccessKey = field(secretAt);
  if (!/^\w{16,128}$/.test(accessKeyId)) throw bad(path, 'its "Access key ID" field does not hold an access key id');
  // Secrets are base64-like; anything with spaces, controls or a leading comment sign is not one
  // (and could not be written to the credentials file as it is).
  if (!/^[\x21-\x7e]+$/.test(secretAccessKey) || /^[#;]/.test(secretAccessKey)) {
    throw bad(path, 'its "Secret access key" field is empty or is not a secret access key');
  }
  const userName = userAt === -1 ? undefined : field(userAt) || undefined;
  return { userName, accessKeyId, secretAccessKey };
}

function bad(path: string, problem: string, hint?: string): FileError {
  return new FileError(`${path} is not the IAM console's access key CSV: ${problem}.`, {
    hint: hint ?? 'download it again from the IAM console (Security credentials, Access keys)',
  });
}

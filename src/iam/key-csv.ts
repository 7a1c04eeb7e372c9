/** The fields of a newly created key that the console's CSV download holds. */
export interface AccessKeyCsvRow {
  userName: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * The IAM console's "Download .csv file" columns with a leading User Name column, which is what
 * `aws configure import --csv file://PATH` requires (it matches headers case-insensitively and
 * names the profile after the user).
 */
export const ACCESS_KEY_CSV_HEADER = 'User Name,Access key ID,Secret access key';

export function renderAccessKeyCsv(row: AccessKeyCsvRow): string {
  return `${ACCESS_KEY_CSV_HEADER}\n${csvField(row.userName)},${csvField(row.accessKeyId)},${csvField(row.secretAccessKey)}\n`;
}

// IAM user names may contain commas. RFC 4180 quoting keeps the file valid CSV for spreadsheets
// and parsers; the AWS CLI's importer splits on bare commas and cannot read such a name anyway.
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

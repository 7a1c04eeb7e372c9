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

/**
 * Why `aws configure import` would misread the CSV of `userName`, or undefined when it reads it
 * right. Its parser (AWS CLI v2, awscli/customizations/configure/importer.py) splits each line at
 * every comma and knows no quoting, so a user name with a comma (IAM allows `+=,.@_-`) shifts the
 * columns: the profile would get part of the name as its access key id. No way of writing the
 * field avoids that; the file stays valid RFC 4180 CSV (spreadsheets, `awskeys iam import`).
 * (AWS CLI v1 has no `configure import` at all.)
 */
export function configureImportProblem(userName: string): string | undefined {
  if (/[",\r\n]/.test(userName)) {
    return `aws configure import splits every line at commas and would misread the user name ${JSON.stringify(userName)}`;
  }
  return undefined;
}

/** A profile name for `userName` that awskeys and both SDKs read back (no comma, quote or '='). */
export function profileNameForUser(userName: string): string {
  return userName.replace(/[",=\r\n]+/g, '-');
}

// IAM user names may contain commas. RFC 4180 quoting keeps the file valid CSV for spreadsheets
// and parsers; the AWS CLI's importer splits on bare commas and cannot read such a name anyway
// (configureImportProblem).
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Credentials as every output format and writer sees them. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  /** When temporary credentials stop working; undefined for long-lived IAM user keys. */
  expiration?: Date | undefined;
  accountId?: string | undefined;
}

/** `--format` of env / credential-process / sso login --write env|json. */
export const OUTPUT_FORMATS = ['sh', 'fish', 'powershell', 'cmd', 'dotenv', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

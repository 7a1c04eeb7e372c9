import { editSection } from '../aws-files/ini-edit.js';
import { profileSectionName } from '../aws-files/sections.js';
import { updateAwsFile, type UpdateOptions, type UpdateResult } from '../aws-files/update-file.js';

/**
 * Stores a long-lived access key as `[profile]` of the credentials file (create-key, import),
 * through the locked atomic writer that keeps every other byte. A session token left there from
 * temporary credentials would break the long-lived key (every signature fails), so it goes.
 */
export function writeStaticKey(
  credentialsPath: string,
  profile: string,
  key: { accessKeyId: string; secretAccessKey: string },
  options: UpdateOptions,
): Promise<UpdateResult> {
  return updateAwsFile(
    credentialsPath,
    (text) =>
      editSection(text, profileSectionName('credentials', profile), {
        aws_access_key_id: key.accessKeyId,
        aws_secret_access_key: key.secretAccessKey,
        aws_session_token: null,
      }),
    options,
  );
}

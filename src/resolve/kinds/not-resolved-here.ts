import { shellWord } from '../../text/shell-word.js';
import type { ProfileKind } from '../profile-kind.js';
import { NotResolvedHereError } from '../resolved.js';

/**
 * Settings awskeys leaves to the AWS CLI and the SDKs: it names them, in the SDK's order, so the
 * error says what the profile is instead of "no credentials" (and the SDK's own chain may still
 * resolve it for awskeys' IAM calls, aws-sdk/aws-clients.ts).
 */
function leftToTheSdk(setting: string): ProfileKind {
  return {
    name: setting,
    claims: (profile) => profile[setting] !== undefined,
    // Not async: it only throws, and the chain awaits whatever a kind gives.
    credentials: (name) => {
      throw new NotResolvedHereError(`Profile ${name} gets its credentials from ${setting}, which awskeys does not resolve.`, {
        hint: `use the AWS CLI for it: aws configure export-credentials --profile ${shellWord(name)} --format env`,
      });
    },
  };
}

export const webIdentityKind = leftToTheSdk('web_identity_token_file');
export const credentialProcessKind = leftToTheSdk('credential_process');

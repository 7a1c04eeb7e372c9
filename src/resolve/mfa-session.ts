import { GetSessionTokenCommand, type GetSessionTokenCommandOutput } from '@aws-sdk/client-sts';
import type { AwsClients, StaticCredentials } from '../aws-sdk/aws-clients.js';
import { toCliError } from '../aws-sdk/aws-errors.js';
import { AwsServiceError } from '../errors/cli-error.js';
import type { AssumedRoleCredentials } from './assume-role-cache.js';
import { withMfaCode, type MfaCodes } from './mfa-code.js';

export interface MfaSessionRequest {
  profile: string;
  /** The profile's long-term keys: GetSessionToken refuses temporary ones. */
  keys: StaticCredentials;
  serialNumber: string;
  durationSeconds: number;
}

/**
 * STS GetSessionToken with a code from the MFA device: temporary credentials that carry
 * aws:MultiFactorAuthPresent, for IAM users whose policies require MFA. Imported only on a cache
 * miss: it loads the SDK (and, in the lean bundle, hands over to the full one).
 */
export async function getMfaSession(
  request: MfaSessionRequest,
  deps: { aws: AwsClients; region: string | undefined; codes: MfaCodes },
): Promise<AssumedRoleCredentials> {
  const client = await deps.aws.sts({ credentials: request.keys, region: deps.region });
  const action = `Getting an MFA session for profile ${request.profile}`;
  const out = await withMfaCode(request.serialNumber, request.profile, deps.codes, async (code) => {
    try {
      return await client.send(
        new GetSessionTokenCommand({ DurationSeconds: request.durationSeconds, SerialNumber: request.serialNumber, TokenCode: code }),
      );
    } catch (err) {
      throw toCliError(err, action);
    }
  });
  return sessionCredentials(out, action);
}

/**
 * STS GetSessionToken without MFA: what a vault profile's `env`, `exec` and `credential-process`
 * hand over instead of the long-term key itself (docs/vault.md, "Sessions").
 */
export async function getKeySession(
  profile: string,
  keys: StaticCredentials,
  durationSeconds: number,
  deps: { aws: AwsClients; region: string | undefined },
): Promise<AssumedRoleCredentials> {
  const client = await deps.aws.sts({ credentials: keys, region: deps.region });
  const action = `Getting a session for vault profile ${profile}`;
  let out;
  try {
    out = await client.send(new GetSessionTokenCommand({ DurationSeconds: durationSeconds }));
  } catch (err) {
    throw toCliError(err, action);
  }
  return sessionCredentials(out, action);
}

function sessionCredentials(out: GetSessionTokenCommandOutput, action: string): AssumedRoleCredentials {
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new AwsServiceError(`${action}: STS answered without complete credentials.`);
  }
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
}

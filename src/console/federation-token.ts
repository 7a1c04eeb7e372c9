import { GetCallerIdentityCommand, GetFederationTokenCommand } from '@aws-sdk/client-sts';
import type { AwsClients, StaticCredentials } from '../aws-sdk/aws-clients.js';
import { toCliError } from '../aws-sdk/aws-errors.js';
import { AwsServiceError } from '../errors/cli-error.js';
import type { AssumedRoleCredentials } from '../resolve/assume-role-cache.js';

/**
 * The policy passed to GetFederationToken. A federation session's permissions are the
 * intersection of this policy and the IAM user's own policies, and without a policy it has none
 * at all; so, as aws-vault and granted do, it allows everything, which leaves exactly the user's
 * permissions (minus IAM and most of STS, which federation sessions can never call).
 */
export const FEDERATION_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
});

/** Whose keys these are: GetCallerIdentity, which every identity may call. */
export async function callerArn(keys: StaticCredentials, deps: { aws: AwsClients; region: string | undefined }): Promise<string> {
  const client = await deps.aws.sts({ credentials: keys, region: deps.region });
  try {
    const out = await client.send(new GetCallerIdentityCommand({}));
    if (!out.Arn) throw new AwsServiceError('GetCallerIdentity answered without an ARN.');
    return out.Arn;
  } catch (err) {
    throw toCliError(err, 'Checking whose credentials these are (GetCallerIdentity)');
  }
}

/**
 * GetFederationToken with an IAM user's long-term keys: session credentials the federation
 * endpoint accepts. The name (shown in the console and CloudTrail) is the user's, cut to the 32
 * characters STS allows.
 */
export async function federationToken(
  keys: StaticCredentials,
  request: { name: string; durationSeconds: number },
  deps: { aws: AwsClients; region: string | undefined },
): Promise<AssumedRoleCredentials> {
  const client = await deps.aws.sts({ credentials: keys, region: deps.region });
  let out;
  try {
    out = await client.send(new GetFederationTokenCommand({ Name: request.name, DurationSeconds: request.durationSeconds, Policy: FEDERATION_POLICY }));
  } catch (err) {
    throw toCliError(err, `Getting a federation token for ${request.name} (GetFederationToken)`);
  }
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new AwsServiceError('GetFederationToken answered without complete credentials.');
  }
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
}

/** GetFederationToken's Name: 2 to 32 of [\w+=,.@-]. */
export function federatedUserName(userArn: string): string {
  const resource = userArn.split(':').slice(5).join(':');
  const last = resource.split('/').pop() ?? '';
  const name = last.replace(/[^\w+=,.@-]/g, '').slice(0, 32);
  return name.length >= 2 ? name : 'awskeys';
}

import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { AwsClients, StaticCredentials } from '../aws-sdk/aws-clients.js';
import { toCliError } from '../aws-sdk/aws-errors.js';
import type { Clock } from '../app/clock.js';
import { AwsServiceError } from '../errors/cli-error.js';
import { accountOfArn, type AssumeRoleResult } from './assume-role-cache.js';
import { shellWord } from '../text/shell-word.js';
import type { RoleProfile } from './role-profile.js';
import { isMfaRefusal, withMfaCode, type MfaCodes } from './mfa-code.js';

/**
 * One STS AssumeRole call with the source credentials, and with a code from `mfaSerial` when
 * given (asked for as withMfaCode says). Imported only on a cache miss: it loads the SDK.
 */
export async function assumeRole(
  role: RoleProfile,
  source: StaticCredentials,
  deps: { aws: AwsClients; clock: Clock; region: string | undefined; mfa?: { serial: string; codes: MfaCodes } | undefined },
): Promise<AssumeRoleResult> {
  const client = await deps.aws.sts({ credentials: source, region: deps.region });
  const call = async (mfa: { SerialNumber: string; TokenCode: string } | undefined) => {
    try {
      return await client.send(
        new AssumeRoleCommand({
          RoleArn: role.roleArn,
          RoleSessionName: role.roleSessionName ?? defaultSessionName(deps.clock.now()),
          ExternalId: role.externalId,
          DurationSeconds: role.durationSeconds,
          ...mfa,
        }),
      );
    } catch (err) {
      const error = toCliError(err, `Assuming role ${role.roleArn} for profile ${role.profile}`);
      if (!(error instanceof AwsServiceError) || error.hint !== undefined || !isAccessDenied(err) || isMfaRefusal(err)) throw error;
      // The usual causes, all fixed in the profile or the role (the external id is never shown).
      throw new AwsServiceError(error.message, {
        hint: `check role_arn${role.externalId !== undefined ? ' and external_id' : ''} of profile ${shellWord(role.profile)}, and that the role's trust policy allows the source identity`,
        cause: err,
      });
    }
  };
  const mfa = deps.mfa;
  const out = mfa
    ? await withMfaCode(mfa.serial, role.profile, mfa.codes, (code) => call({ SerialNumber: mfa.serial, TokenCode: code }))
    : await call(undefined);
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new AwsServiceError(`Assuming role ${role.roleArn} for profile ${role.profile}: STS answered without complete credentials.`);
  }
  const user = out.AssumedRoleUser;
  return {
    credentials: {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
      accountId: accountOfArn(user?.Arn),
    },
    assumedRoleUser: user?.Arn && user.AssumedRoleId ? { AssumedRoleId: user.AssumedRoleId, Arn: user.Arn } : undefined,
    requestId: out.$metadata.requestId,
  };
}

/**
 * Like botocore's `botocore-session-<epoch seconds>`, under our name so CloudTrail shows which
 * tool assumed the role.
 */
export function defaultSessionName(now: Date): string {
  return `awskeys-${Math.floor(now.getTime() / 1000)}`;
}

function isAccessDenied(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'AccessDenied' || name === 'AccessDeniedException';
}

import type { Clock } from '../app/clock.js';
import { CredentialsError } from '../errors/cli-error.js';
import type { AwsCredentials } from '../output/credentials.js';
import { nonEmpty } from './hints.js';
import type { ResolvedCredentials } from './resolved.js';

/** No profile named and AWS_ACCESS_KEY_ID set: the environment's own credentials, as the SDKs take them. */
export function fromEnvironment(env: NodeJS.ProcessEnv, clock: Clock): ResolvedCredentials {
  const sessionToken = nonEmpty(env.AWS_SESSION_TOKEN);
  const accessKeyId = env.AWS_ACCESS_KEY_ID ?? '';
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!secretAccessKey) {
    throw new CredentialsError('AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not.', {
      hint: 'set both, or pass --profile NAME to read a profile instead',
    });
  }
  const raw = env.AWS_CREDENTIAL_EXPIRATION;
  const expiration = raw ? new Date(raw) : undefined;
  if (expiration && !Number.isNaN(expiration.getTime()) && expiration.getTime() <= clock.now().getTime()) {
    throw new CredentialsError(`The credentials in the environment expired at ${raw}.`, {
      hint: 'pass --profile NAME to get fresh ones, or clear them with: eval "$(awskeys env --unset)"',
    });
  }
  return {
    credentials: {
      accessKeyId,
      secretAccessKey,
      sessionToken,
      expiration: expiration && !Number.isNaN(expiration.getTime()) ? expiration : undefined,
      accountId: nonEmpty(env.AWS_ACCOUNT_ID),
    },
    region: nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION),
    kind: sessionToken === undefined ? 'long-term' : 'temporary',
    chained: false,
  };
}

/** A role's `credential_source = Environment`. */
export function environmentSource(name: string, env: NodeJS.ProcessEnv): AwsCredentials {
  const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    throw new CredentialsError(
      `Profile ${name} has credential_source = Environment, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set.`,
      { hint: 'export both (and AWS_SESSION_TOKEN for temporary keys), or use source_profile instead' },
    );
  }
  return { accessKeyId, secretAccessKey, sessionToken: nonEmpty(env.AWS_SESSION_TOKEN) };
}

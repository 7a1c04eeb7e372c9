import { readTextIfExists } from '../aws-files/atomic-write.js';
import { withFileLock } from '../aws-files/lock.js';
import { FileError } from '../errors/cli-error.js';
import type { AwsCredentials } from '../output/credentials.js';
import { parseLoginCacheCredentials, RENEW_BEFORE_MS } from '../resolve/login-session.js';
import type { ResolveDeps } from '../resolve/resolved.js';
import { shellWord } from '../text/shell-word.js';
import { dpopKeyFromPem, type DpopKey } from './dpop.js';
import { cliTimestamp, writeLoginCache, type LoginCacheDoc } from './login-cache.js';
import { createOAuth2Token } from './token.js';

/** Where the Sign-In call goes without a region anywhere (botocore's session would have none either). */
const DEFAULT_REGION = 'us-east-1';

export interface LoginSessionToRenew {
  profile: string;
  /** The cache file (login-cache.ts loginCachePath). */
  path: string;
  /** The profile's region: the Sign-In endpoint the AWS CLI's session would use. */
  region: string | undefined;
}

/**
 * Renews an `aws login` session that has 5 minutes or less left: under the cache file's lock, the
 * file is read again (a renewal another process made meanwhile is taken, not repeated: twelve
 * parallel runs make one call), CreateOAuth2Token with the refresh-token grant and a proof signed by
 * the cache's DPoP key, and the file is written back as botocore's refresh_credentials writes it
 * (the document's keys in place, `accessToken` rebuilt as {accessKeyId, secretAccessKey,
 * sessionToken, accountId, expiresAt}, the rotated `refreshToken`), atomically at 0600. A stop
 * signal leaves the old file or the new one, never a mix (atomic rename).
 */
export async function renewLoginSession(session: LoginSessionToRenew, deps: ResolveDeps): Promise<AwsCredentials> {
  return withFileLock(
    session.path,
    async () => {
      const text = await readTextIfExists(session.path);
      const current = parseLoginCacheCredentials(text, session.path, session.profile);
      if (current.expiration.getTime() - deps.clock.now().getTime() > RENEW_BEFORE_MS) return current;
      const doc = JSON.parse(text ?? '') as LoginCacheDoc;
      const tokens = await createOAuth2Token(deps.aws, {
        region: session.region ?? deps.env.AWS_REGION ?? deps.env.AWS_DEFAULT_REGION ?? DEFAULT_REGION,
        dpopKey: dpopKeyOf(doc, session),
        grant: { grantType: 'refresh_token', clientId: stringField(doc.clientId), refreshToken: stringField(doc.refreshToken) },
        profile: session.profile,
        now: () => deps.clock.now(),
        signal: deps.signal,
      });
      const expiresAt = cliTimestamp(new Date(deps.clock.now().getTime() + tokens.expiresIn * 1000));
      const renewed: LoginCacheDoc = Object.assign(doc, {
        accessToken: {
          accessKeyId: tokens.accessKeyId,
          secretAccessKey: tokens.secretAccessKey,
          sessionToken: tokens.sessionToken,
          accountId: doc.accessToken.accountId,
          expiresAt,
        },
        refreshToken: tokens.refreshToken,
      });
      try {
        for (const warning of await writeLoginCache(session.path, renewed)) deps.report.warn(warning);
      } catch (err) {
        // The credentials are good for 15 minutes; the next renewal needs the rotated refresh token.
        deps.report.warn(
          `The renewed \`aws login\` session of profile ${session.profile} could not be saved (${err instanceof Error ? err.message : String(err)}); the next renewal may need a new login.`,
        );
      }
      return {
        accessKeyId: tokens.accessKeyId,
        secretAccessKey: tokens.secretAccessKey,
        sessionToken: tokens.sessionToken,
        expiration: new Date(expiresAt),
        accountId: doc.accessToken.accountId,
      };
    },
    { clock: deps.clock, signal: deps.signal, timeoutMs: 30_000 },
  );
}

function dpopKeyOf(doc: LoginCacheDoc, session: LoginSessionToRenew): DpopKey {
  try {
    return dpopKeyFromPem(stringField(doc.dpopKey));
  } catch {
    throw new FileError(`The \`aws login\` cache file ${session.path} for profile ${session.profile} has no usable DPoP key (dpopKey).`, {
      hint: `log in again: awskeys login --profile ${shellWord(session.profile)}`,
    });
  }
}

const stringField = (value: unknown): string => (typeof value === 'string' ? value : '');

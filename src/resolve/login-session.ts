import { readTextIfExists } from '../aws-files/atomic-write.js';
import type { Clock } from '../app/clock.js';
import { loginCacheDir, loginCachePath } from '../login/login-cache.js';
import { FileError, LoginRequiredError } from '../errors/cli-error.js';
import type { AwsCredentials } from '../output/credentials.js';
import { shellWord } from '../text/shell-word.js';

/** Served only with more than this left, like the other caches env reads. */
const MIN_LEFT_MS = 5 * 60 * 1000;

/**
 * A profile written by the AWS CLI's `aws login` (IAM users signing in through the console,
 * second-wave-reference A.2): `login_session = <arn>`, credentials cached by the CLI in
 * ~/.aws/login/cache/<sha256 of the session>.json (AWS_LOGIN_CACHE_DIRECTORY moves it).
 * awskeys serves the cached credentials while they are valid. It does not refresh them: the
 * refresh needs the CLI's DPoP-bound token exchange, so an expired cache says to run `aws login`.
 */
export async function loginSessionCredentials(
  profileName: string,
  session: string,
  deps: { env: NodeJS.ProcessEnv; homeDir: string; clock: Clock },
): Promise<AwsCredentials> {
  const path = await loginCachePath(loginCacheDir(deps.env, deps.homeDir), session);
  const relogin = `run: aws login --profile ${shellWord(profileName)}`;
  const text = await readTextIfExists(path);
  if (text === undefined) {
    throw new LoginRequiredError(`Profile ${profileName} uses an \`aws login\` session, and it has no cached credentials.`, {
      hint: relogin,
    });
  }
  let token: { accessKeyId?: unknown; secretAccessKey?: unknown; sessionToken?: unknown; accountId?: unknown; expiresAt?: unknown } | undefined;
  try {
    token = (JSON.parse(text) as { accessToken?: typeof token }).accessToken;
  } catch {
    token = undefined;
  }
  const expiresAt = typeof token?.expiresAt === 'string' ? new Date(token.expiresAt) : undefined;
  if (
    typeof token?.accessKeyId !== 'string' ||
    typeof token.secretAccessKey !== 'string' ||
    typeof token.sessionToken !== 'string' ||
    !expiresAt ||
    Number.isNaN(expiresAt.getTime())
  ) {
    throw new FileError(`The \`aws login\` cache file ${path} for profile ${profileName} has no valid credentials.`, {
      hint: relogin,
    });
  }
  if (expiresAt.getTime() - deps.clock.now().getTime() <= MIN_LEFT_MS) {
    throw new LoginRequiredError(
      `The \`aws login\` session of profile ${profileName} has expired; awskeys cannot renew it (only the AWS CLI holds its key).`,
      { hint: relogin },
    );
  }
  return {
    accessKeyId: token.accessKeyId,
    secretAccessKey: token.secretAccessKey,
    sessionToken: token.sessionToken,
    expiration: expiresAt,
    accountId: typeof token.accountId === 'string' ? token.accountId : undefined,
  };
}

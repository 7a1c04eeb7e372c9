import { readTextIfExists } from '../aws-files/atomic-write.js';
import { loginCacheDir, loginCachePath } from '../login/login-cache-path.js';
import { FileError, LoginRequiredError } from '../errors/cli-error.js';
import type { AwsCredentials } from '../output/credentials.js';
import { shellWord } from '../text/shell-word.js';
import type { ResolveDeps } from './resolved.js';

/** Renewed with this little left, as botocore's and the JS SDK's login providers do (_REFRESH_THRESHOLD). */
export const RENEW_BEFORE_MS = 5 * 60 * 1000;

/**
 * A profile written by the AWS CLI's `aws login` (or `awskeys login`): `login_session = <arn>`,
 * credentials cached in ~/.aws/login/cache/<sha256 of the session>.json (AWS_LOGIN_CACHE_DIRECTORY
 * moves it). A cache with more than 5 minutes left is served here, on the lean path; one closer to
 * its end is renewed through the refresh-token grant by src/login/renew.ts, loaded only then (it
 * brings the SDK: in the lean bundle, the handover; nothing has been written before it).
 */
export async function loginSessionCredentials(
  profileName: string,
  session: string,
  region: string | undefined,
  deps: ResolveDeps,
): Promise<AwsCredentials> {
  const path = await loginCachePath(loginCacheDir(deps.env, deps.homeDir), session);
  const cached = parseLoginCacheCredentials(await readTextIfExists(path), path, profileName);
  if (cached.expiration.getTime() - deps.clock.now().getTime() > RENEW_BEFORE_MS) return cached;
  const { renewLoginSession } = await import('../login/renew.js');
  return renewLoginSession({ profile: profileName, path, region }, deps);
}

/** The credentials of a cache file's text; a missing file or one without them is an error saying what to run. */
export function parseLoginCacheCredentials(text: string | undefined, path: string, profileName: string): AwsCredentials & { expiration: Date } {
  const relogin = `run: awskeys login --profile ${shellWord(profileName)}`;
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
  return {
    accessKeyId: token.accessKeyId,
    secretAccessKey: token.secretAccessKey,
    sessionToken: token.sessionToken,
    expiration: expiresAt,
    accountId: typeof token.accountId === 'string' ? token.accountId : undefined,
  };
}

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * The JS SDK's own `fromLoginCredentials` (@aws-sdk/credential-provider-login) resolving a
 * `login_session` profile in a child node: it reads AWS_LOGIN_CACHE_DIRECTORY and
 * AWS_ENDPOINT_URL_SIGNIN from process.env, so it gets a process (and an environment) of its own.
 * It renews through the signin client's CreateOAuth2Token when 5 minutes or less are left and
 * writes the cache back (as JSON.stringify(token, null, 2)).
 */
const SCRIPT = String.raw`
const { fromLoginCredentials } = require('@aws-sdk/credential-provider-login');
fromLoginCredentials({ profile: process.argv[1] })().then(
  (c) => console.log(JSON.stringify({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, accountId: c.accountId })),
  (e) => console.log(JSON.stringify({ exception: e.name, message: e.message })),
);
`;

export type JsSdkLoginResult =
  | { accessKeyId: string; secretAccessKey: string; sessionToken: string; accountId: string }
  | { exception: string; message: string };

export async function jsSdkLoginCredentials(profile: string, env: Record<string, string>): Promise<JsSdkLoginResult> {
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', SCRIPT, profile], {
    encoding: 'utf8',
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
  });
  return JSON.parse(stdout) as JsSdkLoginResult;
}

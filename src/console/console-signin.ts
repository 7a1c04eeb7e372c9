import { ConsoleSigninError, UsageError } from '../errors/cli-error.js';
import type { Deps } from '../app/deps.js';
import type { AwsCredentials } from '../output/credentials.js';
import { resolveCredentials } from '../resolve/resolve-credentials.js';
import type { ResolvedCredentials } from '../resolve/resolved.js';
import { defaultDestination, federationEndpoint } from './federation-endpoint.js';
import { callerArn, federatedUserName, federationToken } from './federation-token.js';
import { signinUrl } from './signin-url.js';
import { parseDuration } from '../text/duration.js';

export interface ConsoleOptions {
  profile?: string | undefined;
  destination?: string | undefined;
  /** Seconds, already parsed (900..43200). */
  durationSeconds?: number | undefined;
  mfaCode?: string | undefined;
}

type ConsoleDeps = Pick<Deps, 'env' | 'homeDir' | 'clock' | 'aws' | 'report' | 'terminal' | 'fetchHttp' | 'signal' | 'unlockedVaultFiles'>;

/** GetFederationToken's duration when --duration is not given, as aws-vault's default. */
export const DEFAULT_FEDERATION_SECONDS = 3600;
/** Root's GetFederationToken sessions last at most an hour. */
const ROOT_FEDERATION_MAX_SECONDS = 3600;

/**
 * The console sign-in URL for a profile. Role and IAM Identity Center credentials go to the
 * federation endpoint as they are; an IAM user's long-term keys first become a federation token
 * (GetFederationToken); a GetSessionToken session is refused, as AWS refuses it.
 */
export async function consoleSigninUrl(options: ConsoleOptions, deps: ConsoleDeps): Promise<string> {
  const destination = options.destination ?? undefined;
  if (destination !== undefined && !isWebUrl(destination)) {
    throw new UsageError(`--destination ${JSON.stringify(destination)} is not an http(s) URL.`, {
      hint: 'e.g. --destination https://console.aws.amazon.com/s3/home',
    });
  }
  const override = deps.env.AWSKEYS_FEDERATION_URL;
  if (override !== undefined && override !== '' && !isWebUrl(override)) {
    throw new UsageError('AWSKEYS_FEDERATION_URL is not an http(s) URL.', { hint: 'unset it to use the AWS sign-in endpoint' });
  }
  // An IAM user's MFA session cannot sign in; its long-term keys can (as a federation token).
  const resolved = await resolveCredentials(options.profile, deps, { mfaSession: false, mfaCode: options.mfaCode, command: 'awskeys console' });
  const session = await sessionFor(resolved, options, deps);
  const endpoint = federationEndpoint(resolved.region, deps.env);
  return signinUrl(
    {
      federationUrl: endpoint.federationUrl,
      credentials: session.credentials,
      sessionDuration: session.sessionDuration,
      issuer: resolved.ssoStartUrl ?? endpoint.consoleUrl,
      destination: destination ?? defaultDestination(endpoint, resolved.region),
    },
    deps,
  );
}

interface SigninSession {
  credentials: AwsCredentials & { sessionToken: string };
  sessionDuration: number | undefined;
}

async function sessionFor(resolved: ResolvedCredentials, options: ConsoleOptions, deps: ConsoleDeps): Promise<SigninSession> {
  const { credentials, kind } = resolved;
  const sts = { aws: deps.aws, region: resolved.region };
  const duration = options.durationSeconds;
  if (kind === 'long-term') {
    const arn = await callerArn(credentials, sts);
    const root = arn.endsWith(':root');
    const name = root ? 'root' : federatedUserName(arn);
    const seconds = Math.min(duration ?? DEFAULT_FEDERATION_SECONDS, root ? ROOT_FEDERATION_MAX_SECONDS : Number.POSITIVE_INFINITY);
    const token = await federationToken(credentials, { name, durationSeconds: seconds }, sts);
    deps.report.info(
      `awskeys: signing in as federated user ${name} for ${formatDuration(seconds)} (GetFederationToken): the ${root ? 'root user' : 'IAM user'}'s permissions, without IAM and without MFA context.`,
    );
    // SessionDuration must not be sent with federation tokens: the token's own duration rules.
    return { credentials: token, sessionDuration: undefined };
  }
  const sessionToken = credentials.sessionToken;
  if (sessionToken === undefined) throw new ConsoleSigninError('The credentials have no session token.');
  const withToken = { ...credentials, sessionToken };
  if (kind === 'sso' || (kind === 'assumed-role' && !resolved.chained)) return { credentials: withToken, sessionDuration: duration };
  if (kind === 'assumed-role') return { credentials: withToken, sessionDuration: chainedDuration(duration, deps) };
  // A session token of unknown origin: ask STS what it is.
  const arn = await callerArn(credentials, sts);
  if (arn.includes(':assumed-role/') || arn.includes(':federated-user/')) return { credentials: withToken, sessionDuration: chainedDuration(duration, deps) };
  throw new ConsoleSigninError(
    `These credentials (${arn}) are an IAM user's session (GetSessionToken), which AWS does not accept for console sign-in.`,
    { hint: "use a role profile (role_arn + source_profile), or the profile that holds the IAM user's long-term keys: awskeys console --profile NAME" },
  );
}

/** Role credentials assumed with temporary ones: AWS caps their console session at 1 h and refuses SessionDuration. */
function chainedDuration(duration: number | undefined, deps: ConsoleDeps): undefined {
  if (duration !== undefined) {
    deps.report.warn('--duration ignored: this role was assumed with temporary credentials, so AWS allows its console session no more than 1 h and refuses SessionDuration.');
  }
  return undefined;
}

/** `--duration 1h`, `90m`, `3600` (seconds): 15 minutes to 12 hours. */
export function parseConsoleDuration(value: string): number {
  return parseDuration(value, { minSeconds: 900, maxSeconds: 43_200, range: '15 minutes to 12 hours' });
}

function formatDuration(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600} h` : `${Math.round(seconds / 60)} min`;
}

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}


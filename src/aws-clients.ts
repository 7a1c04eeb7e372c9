import type { IAMClient } from '@aws-sdk/client-iam';
import type { SSOClient } from '@aws-sdk/client-sso';
import type { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import type { STSClient } from '@aws-sdk/client-sts';

/** Static keys handed to a client directly (e.g. to check a new key before it is stored). */
export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

export interface SourceOptions {
  /** Profile to take credentials from; undefined means the SDK's default chain. */
  profile?: string | undefined;
  /** Explicit keys; win over `profile`. */
  credentials?: StaticCredentials | undefined;
  region?: string | undefined;
}

/**
 * Builds the SDK v3 clients. The SDK packages are imported on first use so commands that never
 * talk to AWS (env on a cache hit, --help) do not load them. Endpoints come from the SDK's own
 * configuration (AWS_ENDPOINT_URL_<SERVICE>, services sections): there is no test-only path.
 */
export interface AwsClients {
  iam(source: SourceOptions): Promise<IAMClient>;
  sts(source: SourceOptions): Promise<STSClient>;
  sso(region: string): Promise<SSOClient>;
  ssoOidc(region: string): Promise<SSOOIDCClient>;
}

// IAM is a global service signed in us-east-1; STS defaults there too when no region is set.
const GLOBAL_REGION = 'us-east-1';

/** How long one HTTP request to AWS may take, in ms (the SDK's own defaults wait forever). */
export interface HttpTimeouts {
  /** To open the connection. */
  connectionTimeout: number;
  /** From sending the request to the end of the answer. */
  requestTimeout: number;
}

/**
 * Every call awskeys makes answers in well under a second when AWS is healthy; a hung connection
 * must end as a network failure (exit 8) rather than leave the command waiting forever. The SDK
 * retries a timed-out request like any transient failure (maxAttempts below).
 */
export const HTTP_TIMEOUTS: HttpTimeouts = { connectionTimeout: 5_000, requestTimeout: 30_000 };

export function sdkClients(env: NodeJS.ProcessEnv, timeouts: HttpTimeouts = HTTP_TIMEOUTS): AwsClients {
  // Without throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes.
  const requestHandler = { ...timeouts, throwOnRequestTimeout: true };
  const region = (source: SourceOptions) =>
    source.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? GLOBAL_REGION;
  const common = (source: SourceOptions) => ({
    ...(source.credentials ? { credentials: source.credentials } : {}),
    ...(!source.credentials && source.profile ? { profile: source.profile } : {}),
    // Our own bounded retries (rotation) sit on top; keep the SDK's short.
    maxAttempts: 3,
    requestHandler,
  });
  return {
    async iam(source) {
      const { IAMClient } = await import('@aws-sdk/client-iam');
      return new IAMClient({ ...common(source), region: GLOBAL_REGION });
    },
    async sts(source) {
      const { STSClient } = await import('@aws-sdk/client-sts');
      return new STSClient({ ...common(source), region: region(source) });
    },
    async sso(ssoRegion) {
      const { SSOClient } = await import('@aws-sdk/client-sso');
      // The portal API is unsigned (bearer token header): never look for credentials.
      return new SSOClient({ region: ssoRegion, credentials: anonymous, maxAttempts: 3, requestHandler });
    },
    async ssoOidc(ssoRegion) {
      const { SSOOIDCClient } = await import('@aws-sdk/client-sso-oidc');
      return new SSOOIDCClient({ region: ssoRegion, credentials: anonymous, maxAttempts: 3, requestHandler });
    },
  };
}

const anonymous = { accessKeyId: '', secretAccessKey: '' };

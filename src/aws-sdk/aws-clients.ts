import type { IAMClient } from '@aws-sdk/client-iam';
import type { SSOClient, SSOClientConfig } from '@aws-sdk/client-sso';
import type { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import type { STSClient } from '@aws-sdk/client-sts';
import type { SigninClient } from '@aws-sdk/nested-clients/signin';
import type { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsFilePaths } from '../aws-files/paths.js';
import type { AwsCredentials } from '../output/credentials.js';
import { sdkSettings, type SdkServiceId } from './sdk-settings.js';
import { CREDENTIAL_SOURCE, type CredentialSource } from './aws-errors.js';

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
 * talk to AWS (env on a cache hit, --help) do not load them. Endpoints come from the standard
 * configuration (AWS_ENDPOINT_URL_<SERVICE>, services sections): there is no test-only path.
 */
export interface AwsClients {
  iam(source: SourceOptions): Promise<IAMClient>;
  sts(source: SourceOptions): Promise<STSClient>;
  /**
   * `retryStrategy` replaces the SDK's retries for this client: `sso populate` paces every attempt
   * of hundreds of calls through one limiter (src/sso/populate/portal-pacer.ts).
   */
  sso(region: string, options?: { retryStrategy?: SsoRetryStrategy }): Promise<SSOClient>;
  ssoOidc(region: string): Promise<SSOOIDCClient>;
  /** The Sign-In service (`aws login`'s CreateOAuth2Token); unsigned, its requests carry DPoP proofs (src/login/token.ts). */
  signin(region: string): Promise<SigninClient>;
}

export type SsoRetryStrategy = NonNullable<SSOClientConfig['retryStrategy']>;

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

/** Where the clients take their settings from: the injected environment, never process.env. */
export interface SdkClientSource {
  env: NodeJS.ProcessEnv;
  homeDir: string;
  /**
   * awskeys' own resolution of a profile (the one `env`, `exec` and `console` use), asked when the
   * SDK's chain fails for it: it either succeeds or fails with the error every other command gives
   * (an SSO profile that is not logged in: exit 9 and `awskeys sso login --profile P`, not the
   * SDK's "run aws sso login"). Undefined when it has nothing better to say (the profile is in
   * neither file, or its credentials come from something only the SDK resolves).
   */
  resolveProfile?: ((profile: string) => Promise<AwsCredentials | undefined>) | undefined;
  /**
   * A vault profile's long-term key, read from its store (undefined for any other profile): asked
   * before the SDK's chain, which would run the profile's credential_process and get a session
   * that IAM refuses (GetSessionToken credentials without MFA cannot call IAM).
   */
  vaultKey?: ((profile: string) => Promise<AwsCredentials | undefined>) | undefined;
  /**
   * An `aws login` profile's credentials as awskeys serves and renews them (undefined for any
   * other profile): asked before the SDK's chain, whose own login provider would renew the
   * session without the cache lock and rewrite the file in its own format (docs/decisions.md D52).
   */
  loginSession?: ((profile: string) => Promise<AwsCredentials | undefined>) | undefined;
}

/**
 * Every setting the SDK would otherwise read from process.env or the files process.env names
 * (endpoint, profile, file paths, retry mode, FIPS/dual-stack, credentials from the environment)
 * is passed explicitly, resolved from `source` (sdk-settings.ts), so a test or an embedding
 * process gets exactly the environment it injects.
 */
export function sdkClients(source: SdkClientSource, timeouts: HttpTimeouts = HTTP_TIMEOUTS): AwsClients {
  const { env } = source;
  const settings = sdkSettings(env, source.homeDir);
  // Without throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes.
  const requestHandler = { ...timeouts, throwOnRequestTimeout: true };
  const region = (from: SourceOptions) => from.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? GLOBAL_REGION;
  const common = async (service: SdkServiceId, profile: string | undefined) => {
    const endpoint = await settings.endpoint(service, profile);
    const [retryMode, useFipsEndpoint, useDualstackEndpoint] = await Promise.all([
      settings.value('AWS_RETRY_MODE', 'retry_mode', profile),
      settings.flag('AWS_USE_FIPS_ENDPOINT', 'use_fips_endpoint', profile),
      settings.flag('AWS_USE_DUALSTACK_ENDPOINT', 'use_dualstack_endpoint', profile),
    ]);
    return {
      // Without an endpoint here, the SDK must not look for one in process.env on its own.
      ...(endpoint ? { endpoint } : { ignoreConfiguredEndpointUrls: true }),
      // Our own bounded retries (rotation) sit on top; keep the SDK's short.
      maxAttempts: 3,
      retryMode: retryMode ?? 'standard',
      useFipsEndpoint: useFipsEndpoint ?? false,
      useDualstackEndpoint: useDualstackEndpoint ?? false,
      requestHandler,
    };
  };
  // The client's settings, and which credentials it signs with (for its errors' hints).
  const signed = async (service: SdkServiceId, from: SourceOptions) => {
    const signer = credentialSource(from, env);
    const profile = signer.kind === 'profile' ? signer.name : undefined;
    const config = { ...(await common(service, profile)), credentials: await credentialsFor(from, signer, source, settings.paths) };
    return { config, signer };
  };
  return {
    async iam(from) {
      const { IAMClient } = await import('@aws-sdk/client-iam');
      const { config, signer } = await signed('IAM', from);
      return labelErrors(new IAMClient({ ...config, region: GLOBAL_REGION }), signer);
    },
    async sts(from) {
      const { STSClient } = await import('@aws-sdk/client-sts');
      const { config, signer } = await signed('STS', from);
      return labelErrors(new STSClient({ ...config, region: region(from) }), signer);
    },
    async sso(ssoRegion, options) {
      const { SSOClient } = await import('@aws-sdk/client-sso');
      const retries = options?.retryStrategy ? { retryStrategy: options.retryStrategy } : {};
      // The portal API is unsigned (bearer token header): never look for credentials.
      return new SSOClient({ ...(await common('SSO', undefined)), ...retries, region: ssoRegion, credentials: anonymous });
    },
    async ssoOidc(ssoRegion) {
      const { SSOOIDCClient } = await import('@aws-sdk/client-sso-oidc');
      return new SSOOIDCClient({ ...(await common('SSO OIDC', undefined)), region: ssoRegion, credentials: anonymous });
    },
    async signin(signinRegion) {
      // The SDK's own client (what its login provider uses); its endpoint per partition is the
      // SDK's endpoint data, AWS_ENDPOINT_URL_SIGNIN the standard override.
      const { SigninClient } = await import('@aws-sdk/nested-clients/signin');
      return new SigninClient({ ...(await common('Signin', undefined)), region: signinRegion, credentials: anonymous });
    },
  };
}

/**
 * Which credentials a client built from `from` signs with: explicit keys; else the named profile
 * (flag or AWS_PROFILE); else, with keys in the environment, those (the SDK's first link); else
 * the SDK's chain for `default`. credentialsFor fetches what this picks.
 */
function credentialSource(from: SourceOptions, env: NodeJS.ProcessEnv): CredentialSource {
  if (from.credentials) return { kind: 'keys', accessKeyId: from.credentials.accessKeyId };
  const profile = from.profile ?? env.AWS_PROFILE;
  if (profile !== undefined) return { kind: 'profile', name: profile };
  return env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY ? { kind: 'environment' } : { kind: 'default' };
}

interface ErrorLabelStack {
  middlewareStack: {
    add(middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>, options: { step: 'initialize'; name: string }): void;
  };
}

/**
 * Marks every error a client's call ends with (the credential provider's included) with the
 * credentials it signed with, so toCliError's hint can name the profile instead of `NAME`.
 */
function labelErrors<T>(client: T, source: CredentialSource): T {
  (client as ErrorLabelStack).middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        if (typeof err === 'object' && err !== null && Object.isExtensible(err)) {
          Object.defineProperty(err, CREDENTIAL_SOURCE, { value: source, configurable: true });
        }
        throw err;
      }
    },
    { step: 'initialize', name: 'awskeysCredentialSource' },
  );
  return client;
}

/**
 * The credentials `signer` (credentialSource) names: the SDK's chain for a profile reads the files
 * the environment names, and when it finds nothing, `source.resolveProfile` is asked.
 */
async function credentialsFor(
  from: SourceOptions,
  signer: CredentialSource,
  source: SdkClientSource,
  paths: AwsFilePaths,
): Promise<StaticCredentials | ReturnType<typeof defaultProvider>> {
  const { env } = source;
  if (from.credentials) return from.credentials;
  if (signer.kind === 'environment') {
    return {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
      ...(env.AWS_CREDENTIAL_EXPIRATION ? { expiration: new Date(env.AWS_CREDENTIAL_EXPIRATION) } : {}),
    };
  }
  const name = signer.kind === 'profile' ? signer.name : 'default';
  const stored = (await source.vaultKey?.(name)) ?? (await source.loginSession?.(name));
  if (stored) return stored;
  const { defaultProvider: chain } = await import('@aws-sdk/credential-provider-node');
  const sdkChain = chain({
    profile: name,
    filepath: paths.credentials,
    configFilepath: paths.config,
    // The files may have changed since the last client in this process (create-key, import).
    ignoreCache: true,
    // The chain warns on console when AWS_PROFILE and keys are both in process.env; the choice is
    // ours and made above, so that notice is only noise on the user's terminal.
    logger: quietLogger,
  });
  const { resolveProfile } = source;
  if (!resolveProfile) return sdkChain;
  // One place decides why a profile has no credentials, whichever command asks (issue 8, item 6).
  return async (options) => {
    try {
      return await sdkChain(options);
    } catch (err) {
      if (!isProviderError(err)) throw err;
      const ours = await resolveProfile(name);
      if (ours === undefined) throw err;
      return ours;
    }
  };
}

/** The SDK's "this link of the chain has no credentials" (CredentialsProviderError and kin). */
function isProviderError(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name.endsWith('ProviderError');
}

const ignore = (): void => undefined;
const quietLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

const anonymous = { accessKeyId: '', secretAccessKey: '' };

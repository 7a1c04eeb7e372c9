/**
 * Where the console sign-in happens, per AWS partition (from the profile's region), as the AWS
 * IAM User Guide ("Enable custom identity broker access to the AWS console") and aws-vault give
 * them. getSigninToken and Action=login use the same host, as every tool does.
 */
export interface FederationEndpoint {
  partition: 'aws' | 'aws-cn' | 'aws-us-gov';
  /** https://signin.aws.amazon.com/federation, or AWSKEYS_FEDERATION_URL. */
  federationUrl: string;
  /** https://console.aws.amazon.com/ */
  consoleUrl: string;
}

const PARTITIONS = {
  aws: { signin: 'https://signin.aws.amazon.com/federation', console: 'https://console.aws.amazon.com/' },
  'aws-cn': { signin: 'https://signin.amazonaws.cn/federation', console: 'https://console.amazonaws.cn/' },
  'aws-us-gov': { signin: 'https://signin.amazonaws-us-gov.com/federation', console: 'https://console.amazonaws-us-gov.com/' },
} as const;

export function partitionOfRegion(region: string | undefined): FederationEndpoint['partition'] {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** AWSKEYS_FEDERATION_URL replaces the federation URL (a local emulator in tests); never the console's. */
export function federationEndpoint(region: string | undefined, env: NodeJS.ProcessEnv): FederationEndpoint {
  const partition = partitionOfRegion(region);
  const urls = PARTITIONS[partition];
  const override = env.AWSKEYS_FEDERATION_URL;
  return { partition, federationUrl: override !== undefined && override !== '' ? override : urls.signin, consoleUrl: urls.console };
}

/** The console's home page, in the profile's region when it has one. */
export function defaultDestination(endpoint: FederationEndpoint, region: string | undefined): string {
  const home = new URL('console/home', endpoint.consoleUrl);
  if (region !== undefined) home.searchParams.set('region', region);
  return home.toString();
}

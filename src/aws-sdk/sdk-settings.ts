import { awsFilePaths, type AwsFilePaths } from '../aws-files/paths.js';
import { readAwsFiles, getProfile, type AwsFiles } from '../aws-files/profiles.js';
import { parseSectionRef } from '../aws-files/sections.js';

/**
 * The settings the AWS SDK would look up in process.env and the config file on its own, looked up
 * instead in the injected environment (Deps.env) and the files it names, so that what a command
 * runs against is exactly what it was given. The rules are the SDK's (and botocore's):
 * AWS_ENDPOINT_URL_<SERVICE ID> before AWS_ENDPOINT_URL before the profile's `services` section
 * before its `endpoint_url`; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS / ignore_configured_endpoint_urls
 * turns all of them off.
 */
export interface SdkSettings {
  paths: AwsFilePaths;
  /** The endpoint configured for a service, or undefined for the SDK's regional default. */
  endpoint(service: SdkServiceId, profile: string | undefined): Promise<string | undefined>;
  /** A boolean setting from the env variable, else the profile's key (e.g. use_fips_endpoint). */
  flag(envName: string, configKey: string, profile: string | undefined): Promise<boolean | undefined>;
  /** A string setting from the env variable, else the profile's key (e.g. retry_mode). */
  value(envName: string, configKey: string, profile: string | undefined): Promise<string | undefined>;
}

/** The SDK's service ids ("SSO OIDC" becomes AWS_ENDPOINT_URL_SSO_OIDC and `sso_oidc =`). */
export type SdkServiceId = 'IAM' | 'STS' | 'SSO' | 'SSO OIDC' | 'Signin';

export function sdkSettings(env: NodeJS.ProcessEnv, homeDir: string): SdkSettings {
  const paths = awsFilePaths(env, homeDir);
  // Read once per settings object, lazily: most commands never ask for a configured endpoint.
  let files: Promise<AwsFiles | undefined> | undefined;
  // Like the SDK, a config file that cannot be read or parsed configures nothing here; the
  // commands that use the file itself report it properly.
  const loadFiles = () => (files ??= readAwsFiles(paths).catch(() => undefined));
  const profileValues = async (profile: string | undefined) => {
    const loaded = await loadFiles();
    return loaded ? { files: loaded, values: getProfile(loaded, profile ?? env.AWS_PROFILE ?? 'default') ?? {} } : undefined;
  };
  const value: SdkSettings['value'] = async (envName, configKey, profile) =>
    set(env[envName]) ?? set((await profileValues(profile))?.values[configKey]);
  const flag: SdkSettings['flag'] = async (envName, configKey, profile) => {
    const text = await value(envName, configKey, profile);
    return text === undefined ? undefined : text.toLowerCase() === 'true';
  };
  return {
    paths,
    value,
    flag,
    async endpoint(service, profile) {
      if (await flag('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', 'ignore_configured_endpoint_urls', profile)) return undefined;
      const fromEnv = set(env[`AWS_ENDPOINT_URL_${service.toUpperCase().replaceAll(' ', '_')}`]) ?? set(env.AWS_ENDPOINT_URL);
      if (fromEnv) return fromEnv;
      const found = await profileValues(profile);
      if (!found) return undefined;
      const servicesName = found.values.services;
      if (servicesName) {
        const key = `${service.toLowerCase().replaceAll(' ', '_')}.endpoint_url`;
        const section = servicesSection(found.files, servicesName);
        if (section?.[key]) return section[key];
      }
      return set(found.values.endpoint_url);
    },
  };
}

/** As in the SDK, an empty variable or value counts as not set. */
function set(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

function servicesSection(files: AwsFiles, name: string): Record<string, string> | undefined {
  let merged: Record<string, string> | undefined;
  for (const section of files.config.sections) {
    const ref = parseSectionRef(section.name);
    if (ref.type === 'services' && ref.name === name) merged = { ...merged, ...section.values };
  }
  return merged;
}

import { nonInteractivePrompter } from '../prompt/non-interactive.js';
import { writeFile } from 'node:fs/promises';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { sdkClients, type AwsClients } from '../aws-sdk/aws-clients.js';
import { systemClock } from '../app/clock.js';
import { ExitCode, type CliError } from '../errors/cli-error.js';
import { tempHome } from '../../test/support/cli.js';
import { resolveCredentials } from './resolve-credentials.js';

/**
 * Which settings of a profile win, and where AssumeRole is sent, against moto (any keys sign for
 * it). The real SDK clients, wrapped only to note the region each STS client is built for.
 */

const ROLE = 'arn:aws:iam::123456789012:role/Deploy';

let env: Record<string, string>;
let home: string;
let stsRegions: (string | undefined)[];
let aws: AwsClients;

beforeEach(async () => {
  ({ home, env } = await tempHome({
    config: [
      '[profile top]',
      `role_arn = ${ROLE}`,
      'source_profile = middle',
      'region = eu-west-1',
      '[profile middle]',
      `role_arn = ${ROLE}`,
      'source_profile = base',
      'role_session_name = middle',
      'region = ap-south-1',
      '[profile everything]',
      `role_arn = ${ROLE}`,
      'source_profile = base',
      'aws_access_key_id = AKIAEVERYTHING',
      'aws_secret_access_key = own-secret',
      'credential_process = /bin/false',
      'sso_session = corp',
      'sso_account_id = 111122223333',
      'sso_role_name = Admin',
      '[profile web]',
      `role_arn = ${ROLE}`,
      'web_identity_token_file = /nonexistent/token',
      '[profile keys-and-role]',
      `role_arn = ${ROLE}`,
      'source_profile = base',
      'aws_access_key_id = AKIAKEYSANDROLE',
      'aws_secret_access_key = own-secret',
      '[profile via-keys-and-role]',
      `role_arn = ${ROLE}`,
      'source_profile = keys-and-role',
      'role_session_name = via',
      '',
    ].join('\n'),
    credentials: '[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = base-secret\n',
  }));
  env = { ...env, AWS_ENDPOINT_URL_STS: inject('motoUrl'), AWS_EC2_METADATA_DISABLED: 'true' };
  stsRegions = [];
  aws = recordingClients(env);
});

function recordingClients(clientEnv: Record<string, string>): AwsClients {
  const real = sdkClients({ env: clientEnv, homeDir: home });
  return {
    ...real,
    sts: (source) => {
      stsRegions.push(source.region);
      return real.sts(source);
    },
  };
}

const deps = () => ({ env, homeDir: home, clock: systemClock, aws, report: { warn: () => undefined, info: () => undefined }, terminal: nonInteractivePrompter, signal: new AbortController().signal, unlockedVaultFiles: new Map() });

async function failure(profile: string): Promise<[number | undefined, string | undefined]> {
  try {
    await resolveCredentials(profile, deps());
  } catch (err) {
    return [(err as CliError).exitCode, (err as CliError).message];
  }
  return [undefined, undefined];
}

describe('resolveCredentials for a chain of roles', () => {
  it("sends every AssumeRole of the chain to the named profile's region, not each hop's own", async () => {
    const r = await resolveCredentials('top', deps());
    expect(r.region).toBe('eu-west-1');
    expect(r.credentials.accessKeyId).toMatch(/^ASIA/);
    expect(stsRegions).toEqual(['eu-west-1', 'eu-west-1']);
  });

  it("falls back to AWS_REGION for the chain when the named profile has no region, even if a hop has one", async () => {
    env.AWS_REGION = 'ca-central-1';
    aws = recordingClients(env);
    await writeFile(env.AWS_CONFIG_FILE ?? '', `[profile top]\nrole_arn = ${ROLE}\nsource_profile = middle\n[profile middle]\nrole_arn = ${ROLE}\nsource_profile = base\nregion = ap-south-1\n`);
    const r = await resolveCredentials('top', deps());
    expect(r.region).toBeUndefined();
    expect(stsRegions).toEqual([undefined, undefined]);
  });
});

describe('resolveCredentials precedence within one profile', () => {
  it('at the top, role_arn wins over static keys, credential_process and sso_* (botocore and the JS SDK agree)', async () => {
    const r = await resolveCredentials('everything', deps());
    expect(r.credentials.accessKeyId).toMatch(/^ASIA/);
    expect(stsRegions).toHaveLength(1);
  });

  it('as a source, static keys win over role_arn (botocore and the JS SDK agree)', async () => {
    const r = await resolveCredentials('via-keys-and-role', deps());
    expect(r.credentials.accessKeyId).toMatch(/^ASIA/);
    expect(stsRegions).toHaveLength(1);
  });

  it('web_identity_token_file wins over role_arn, as in both SDKs: exit 4, not a complaint about source_profile', async () => {
    expect(await failure('web')).toEqual([
      ExitCode.Credentials,
      'Profile web gets its credentials from web_identity_token_file, which awskeys does not resolve.',
    ]);
    expect(stsRegions).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { ExitCode } from '../src/errors/cli-error.js';
import { runInProcess, tempHome } from './support/cli.js';

/**
 * `awskeys env` and `credential-process` for everything that needs no network: profile selection,
 * static keys from either file, environment credentials, and the errors for what is not supported.
 * Run through the real command table (commander) with captured output.
 */

async function home(config: string, credentials = ''): Promise<Record<string, string>> {
  return (await tempHome({ config, credentials })).env;
}

const CONFIG = `[default]
region = eu-central-1

[profile dev]
region = us-west-2
aws_access_key_id = AKIACONFIGDEV
aws_secret_access_key = from-config

[profile both]
region = ap-south-1
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Admin

[profile assume]
role_arn = arn:aws:iam::111122223333:role/Admin
credential_source = Ec2InstanceMetadata

[profile process]
credential_process = /bin/echo nothing

[profile empty]
region = us-east-1

[profile half]
aws_access_key_id = AKIAHALF
`;

const CREDENTIALS = `[default]
aws_access_key_id = AKIADEFAULT
aws_secret_access_key = default-secret

[dev]
aws_secret_access_key = it's a "secret" with $HOME and \`id\`

[both]
aws_access_key_id = AKIABOTH
aws_secret_access_key = both-secret
aws_session_token = both-token
`;

describe('awskeys env: which profile', () => {
  it('reads --profile from both files, the credentials file winning per key, with the region from config', async () => {
    const env = await home(CONFIG, CREDENTIALS);
    const r = await runInProcess(['env', '--profile', 'dev'], { env });
    expect(r).toEqual({
      code: 0,
      stdout: [
        `export AWS_ACCESS_KEY_ID='AKIACONFIGDEV'`,
        `export AWS_SECRET_ACCESS_KEY='it'\\''s a "secret" with $HOME and \`id\`'`,
        'unset AWS_SESSION_TOKEN',
        'unset AWS_CREDENTIAL_EXPIRATION',
        `export AWS_REGION='us-west-2'`,
        `export AWS_DEFAULT_REGION='us-west-2'`,
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  it('uses AWS_PROFILE when there is no --profile, and --profile over AWS_PROFILE', async () => {
    const env = { ...(await home(CONFIG, CREDENTIALS)), AWS_PROFILE: 'both' };
    expect((await runInProcess(['env', '--format', 'dotenv', '--no-region'], { env })).stdout).toBe(
      'AWS_ACCESS_KEY_ID="AKIABOTH"\nAWS_SECRET_ACCESS_KEY="both-secret"\nAWS_SESSION_TOKEN="both-token"\n',
    );
    expect((await runInProcess(['env', '-p', 'default', '-f', 'dotenv'], { env })).stdout).toBe(
      'AWS_ACCESS_KEY_ID="AKIADEFAULT"\nAWS_SECRET_ACCESS_KEY="default-secret"\nAWS_REGION="eu-central-1"\nAWS_DEFAULT_REGION="eu-central-1"\n',
    );
  });

  it('uses the default profile when nothing names one', async () => {
    const env = await home(CONFIG, CREDENTIALS);
    const r = await runInProcess(['credential-process'], { env });
    expect(r).toEqual({
      code: 0,
      stdout: '{\n  "Version": 1,\n  "AccessKeyId": "AKIADEFAULT",\n  "SecretAccessKey": "default-secret"\n}\n',
      stderr: '',
    });
  });

  it('prefers static keys over SSO settings on the same profile, as the SDKs do', async () => {
    const env = await home(CONFIG, CREDENTIALS);
    const r = await runInProcess(['credential-process', '--profile', 'both'], { env });
    expect(JSON.parse(r.stdout)).toEqual({
      Version: 1,
      AccessKeyId: 'AKIABOTH',
      SecretAccessKey: 'both-secret',
      SessionToken: 'both-token',
    });
  });
});

describe('awskeys env: credentials from the environment', () => {
  const exported = {
    AWS_ACCESS_KEY_ID: 'ASIAENV',
    AWS_SECRET_ACCESS_KEY: 'env-secret',
    AWS_SESSION_TOKEN: 'env-token',
    AWS_CREDENTIAL_EXPIRATION: '2099-01-01T00:00:00Z',
    AWS_REGION: 'sa-east-1',
  };

  it('re-exports them when no profile is named', async () => {
    const env = { ...(await home(CONFIG, CREDENTIALS)), ...exported };
    const r = await runInProcess(['env', '--format', 'fish'], { env });
    expect(r.stdout).toBe(
      [
        `set -gx AWS_ACCESS_KEY_ID 'ASIAENV'`,
        `set -gx AWS_SECRET_ACCESS_KEY 'env-secret'`,
        `set -gx AWS_SESSION_TOKEN 'env-token'`,
        `set -gx AWS_CREDENTIAL_EXPIRATION '2099-01-01T00:00:00Z'`,
        `set -gx AWS_REGION 'sa-east-1'`,
        `set -gx AWS_DEFAULT_REGION 'sa-east-1'`,
        '',
      ].join('\n'),
    );
  });

  it('ignores them when a profile is named by --profile or AWS_PROFILE', async () => {
    const env = { ...(await home(CONFIG, CREDENTIALS)), ...exported };
    expect((await runInProcess(['env', '--profile', 'default'], { env })).stdout).toContain(`'AKIADEFAULT'`);
    expect((await runInProcess(['env'], { env: { ...env, AWS_PROFILE: 'default' } })).stdout).toContain(`'AKIADEFAULT'`);
  });

  it('refuses expired ones with exit 4', async () => {
    const env = { ...(await home('')), ...exported, AWS_CREDENTIAL_EXPIRATION: '2001-01-01T00:00:00Z' };
    const r = await runInProcess(['env'], { env });
    expect(r.code).toBe(ExitCode.Credentials);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `awskeys: error: The credentials in the environment expired at 2001-01-01T00:00:00Z. (hint: pass --profile NAME to get fresh ones, or clear them with: eval "$(awskeys env --unset)")\n`,
    );
  });
});

describe('awskeys env: what it cannot resolve', () => {
  it.each([
    [
      'an unknown profile',
      ['env', '--profile', 'nope'],
      ExitCode.NotFound,
      'No profile named nope in CONFIG or CREDENTIALS. (hint: check the name with: aws configure list-profiles, or create it: awskeys sso login --profile nope)',
    ],
    [
      'an assume-role profile sourcing instance metadata',
      ['env', '--profile', 'assume'],
      ExitCode.Credentials,
      'Profile assume takes its source credentials from credential_source = Ec2InstanceMetadata, which awskeys does not resolve. (hint: use the AWS CLI for it: aws configure export-credentials --profile assume --format env)',
    ],
    [
      'a credential_process profile',
      ['credential-process', '--profile', 'process'],
      ExitCode.Credentials,
      'Profile process gets its credentials from credential_process, which awskeys does not resolve. (hint: use the AWS CLI for it: aws configure export-credentials --profile process --format env)',
    ],
    [
      'a profile with no credentials at all',
      ['env', '--profile', 'empty'],
      ExitCode.Credentials,
      'Profile empty has no credentials: no access keys and no SSO settings. (hint: add aws_access_key_id/aws_secret_access_key, or set it up with: awskeys sso login --profile empty)',
    ],
    [
      'half a key pair',
      ['env', '--profile', 'half'],
      ExitCode.Credentials,
      'Profile half has only half a key pair: aws_secret_access_key is missing or empty. (hint: set both aws_access_key_id and aws_secret_access_key for profile half)',
    ],
  ])('fails clearly for %s, printing nothing on stdout', async (_what, argv, code, message) => {
    const env = await home(CONFIG, CREDENTIALS);
    const r = await runInProcess(argv, { env });
    const expected = message.replace('CONFIG', env.AWS_CONFIG_FILE ?? '').replace('CREDENTIALS', env.AWS_SHARED_CREDENTIALS_FILE ?? '');
    expect(r).toEqual({ code, stdout: '', stderr: `awskeys: error: ${expected}\n` });
  });

  it('rejects an unknown --format with usage exit code 2', async () => {
    const env = await home(CONFIG, CREDENTIALS);
    const r = await runInProcess(['env', '--format', 'csh'], { env });
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "awskeys: error: Option '-f, --format <format>' argument 'csh' is invalid. Allowed choices are sh, fish, powershell, cmd, dotenv, json. (hint: see awskeys env --help)\n",
    );
  });

  it('refuses a value its --format cannot carry, printing nothing', async () => {
    const env = await home(CONFIG, CREDENTIALS);
    const r = await runInProcess(['env', '--profile', 'dev', '--format', 'dotenv'], { env });
    expect(r).toEqual({
      code: ExitCode.Credentials,
      stdout: '',
      stderr:
        'awskeys: error: The value for AWS_SECRET_ACCESS_KEY contains the character ", which --format dotenv cannot carry faithfully. (hint: use --format sh or --format json instead)\n',
    });
  });
});

describe('awskeys env --unset', () => {
  it('prints the lines that clear the variables, reading no files at all', async () => {
    const r = await runInProcess(['env', '--unset', '--no-region', '--format', 'powershell'], {
      env: { HOME: '/nonexistent', AWS_CONFIG_FILE: '/nonexistent/config' },
    });
    expect(r).toEqual({
      code: 0,
      stdout: [
        'if (Test-Path Env:AWS_ACCESS_KEY_ID) { Remove-Item -Path Env:AWS_ACCESS_KEY_ID }',
        'if (Test-Path Env:AWS_SECRET_ACCESS_KEY) { Remove-Item -Path Env:AWS_SECRET_ACCESS_KEY }',
        'if (Test-Path Env:AWS_SESSION_TOKEN) { Remove-Item -Path Env:AWS_SESSION_TOKEN }',
        'if (Test-Path Env:AWS_CREDENTIAL_EXPIRATION) { Remove-Item -Path Env:AWS_CREDENTIAL_EXPIRATION }',
        '',
      ].join('\n'),
      stderr: '',
    });
  });
});

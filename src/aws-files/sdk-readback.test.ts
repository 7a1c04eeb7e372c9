import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { fromIni } from '@aws-sdk/credential-provider-ini';
import { beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../app/clock.js';
import { editSection } from './ini-edit.js';
import { awsFilePaths } from './paths.js';
import { getProfile, readAwsFiles } from './profiles.js';
import { profileSectionName, ssoSessionSectionName } from './sections.js';
import { updateAwsFile } from './update-file.js';
import { tempHome } from '../../test/support/temp-home.js';
import { needs } from '../../test/support/optional-tools.js';

/**
 * Files written through our API read back the same in botocore (what the AWS CLI uses) and the JS
 * SDK, including the names that trip naive INI code: `acme.prod` and `my prof`.
 */
const PRE_EXISTING_CONFIG = `# my settings
[default]
region = us-east-1
s3 =
  max_concurrent_requests = 20
`;

const lock = { clock: systemClock };
let home: string;
let env: Record<string, string>;

beforeAll(async () => {
  const made = await tempHome({ config: PRE_EXISTING_CONFIG, modes: 'private' });
  home = made.home;
  const paths = awsFilePaths({}, home);
  env = { AWS_CONFIG_FILE: paths.config, AWS_SHARED_CREDENTIALS_FILE: paths.credentials };
  for (const [name, key] of [
    ['acme.prod', 'AKIAACMEPROD'],
    ['my prof', 'AKIAMYPROF'],
  ] as const) {
    await updateAwsFile(paths.credentials, (t) =>
      editSection(t, profileSectionName('credentials', name), {
        aws_access_key_id: key,
        aws_secret_access_key: `secret/${key}+x=`,
      }),
      lock,
    );
  }
  await updateAwsFile(paths.config, (t) =>
    editSection(t, profileSectionName('config', 'acme.prod'), { region: 'eu-west-1', output: 'json' }),
    lock,
  );
  await updateAwsFile(paths.config, (t) =>
    editSection(t, profileSectionName('config', 'my prof'), { sso_session: 'my sso', region: 'ap-south-1' }),
    lock,
  );
  await updateAwsFile(paths.config, (t) =>
    editSection(t, ssoSessionSectionName('my sso'), {
      sso_start_url: 'https://my-sso-portal.awsapps.com/start',
      sso_region: 'us-east-1',
    }),
    lock,
  );
});


describe('files written by updateAwsFile', () => {
  it('keep what was there and add sections the way the AWS CLI writes them', async () => {
    expect(await readFile(env.AWS_CONFIG_FILE ?? '', 'utf8')).toBe(
      `${PRE_EXISTING_CONFIG}
[profile acme.prod]
region = eu-west-1
output = json

[profile 'my prof']
sso_session = my sso
region = ap-south-1

[sso-session 'my sso']
sso_start_url = https://my-sso-portal.awsapps.com/start
sso_region = us-east-1
`,
    );
    expect(await readFile(env.AWS_SHARED_CREDENTIALS_FILE ?? '', 'utf8')).toBe(
      `[acme.prod]
aws_access_key_id = AKIAACMEPROD
aws_secret_access_key = secret/AKIAACMEPROD+x=

[my prof]
aws_access_key_id = AKIAMYPROF
aws_secret_access_key = secret/AKIAMYPROF+x=
`,
    );
  });

  needs('botocore').it('read back in botocore with the same profiles and values', async () => {
    const script = `
import json, botocore.session
out = {}
for name in ['acme.prod', 'my prof', 'default']:
    s = botocore.session.Session(profile=name)
    c = s.get_credentials()
    out[name] = {
        'config': s.get_scoped_config(),
        'access_key': c.access_key if c else None,
        'secret_key': c.secret_key if c else None,
    }
s = botocore.session.Session()
out['profiles'] = sorted(s.available_profiles)
out['sso_sessions'] = s.full_config['sso_sessions']
print(json.dumps(out, sort_keys=True))
`;
    const { stdout } = await promisify(execFile)('python3', ['-c', script], {
      env: { PATH: process.env.PATH, HOME: '/nonexistent', ...env },
    });
    expect(JSON.parse(stdout)).toEqual({
      'acme.prod': {
        // botocore's scoped config is the merge of both files.
        config: {
          region: 'eu-west-1',
          output: 'json',
          aws_access_key_id: 'AKIAACMEPROD',
          aws_secret_access_key: 'secret/AKIAACMEPROD+x=',
        },
        access_key: 'AKIAACMEPROD',
        secret_key: 'secret/AKIAACMEPROD+x=',
      },
      'my prof': {
        config: {
          sso_session: 'my sso',
          region: 'ap-south-1',
          aws_access_key_id: 'AKIAMYPROF',
          aws_secret_access_key: 'secret/AKIAMYPROF+x=',
        },
        access_key: 'AKIAMYPROF',
        secret_key: 'secret/AKIAMYPROF+x=',
      },
      default: {
        config: { region: 'us-east-1', s3: { max_concurrent_requests: '20' } },
        access_key: null,
        secret_key: null,
      },
      profiles: ['acme.prod', 'default', 'my prof'],
      sso_sessions: {
        'my sso': { sso_start_url: 'https://my-sso-portal.awsapps.com/start', sso_region: 'us-east-1' },
      },
    });
  });

  it('read back in the JS SDK (acme.prod credentials; it cannot name profiles with spaces)', async () => {
    const credentials = await fromIni({
      profile: 'acme.prod',
      filepath: env.AWS_SHARED_CREDENTIALS_FILE,
      configFilepath: env.AWS_CONFIG_FILE,
      ignoreCache: true,
    })();
    expect({ accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey }).toEqual({
      accessKeyId: 'AKIAACMEPROD',
      secretAccessKey: 'secret/AKIAACMEPROD+x=',
    });
  });

  it('read back in our own reader', async () => {
    const files = await readAwsFiles({
      ...awsFilePaths({}, '/nonexistent'),
      config: env.AWS_CONFIG_FILE ?? '',
      credentials: env.AWS_SHARED_CREDENTIALS_FILE ?? '',
    });
    expect({ ...getProfile(files, 'my prof') }).toEqual({
      sso_session: 'my sso',
      region: 'ap-south-1',
      aws_access_key_id: 'AKIAMYPROF',
      aws_secret_access_key: 'secret/AKIAMYPROF+x=',
    });
  });
});

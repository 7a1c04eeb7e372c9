import { describe, expect, it } from 'vitest';
import { FileError } from '../errors/cli-error.js';
import { awsFilePaths } from './paths.js';
import type { AwsFiles } from './profiles.js';
import { getProfile, getSsoSession, listProfiles, readAwsFiles } from './profiles.js';
import { tempHome } from '../../test/support/temp-home.js';

async function filesWith(config: string | undefined, credentials: string | undefined): Promise<AwsFiles> {
  const { home } = await tempHome({ config, credentials, awsDir: true });
  return readAwsFiles(awsFilePaths({}, home));
}

const CONFIG = `[default]
region = us-east-1

[profile acme.prod]
region = eu-west-1
aws_access_key_id = FROM_CONFIG
output = json

[profile 'my prof']
region = ap-south-1

[sso-session my-sso]
sso_start_url = https://my-sso-portal.awsapps.com/start
sso_region = us-east-1

[preview]
cloudfront = true
`;

const CREDENTIALS = `[acme.prod]
aws_access_key_id = AKIAACME
aws_secret_access_key = secret1

[ci]
aws_access_key_id = AKIACI
aws_secret_access_key = secret2
`;

describe('readAwsFiles', () => {
  it('reads two missing files as empty documents', async () => {
    const files = await filesWith(undefined, undefined);
    expect(files.config.sections).toEqual([]);
    expect(files.credentials.sections).toEqual([]);
    expect(listProfiles(files)).toEqual([]);
  });

  it('fails with a FileError naming the file and line of a malformed file', async () => {
    await expect(filesWith('[default]\nregion us-east-1\n', undefined)).rejects.toThrow(
      /\/\.aws\/config line 2: expected 'key = value'/,
    );
    await expect(filesWith(undefined, 'key = v\n')).rejects.toBeInstanceOf(FileError);
  });
});

describe('getProfile', () => {
  it('merges config and credentials, credentials winning per key', async () => {
    const files = await filesWith(CONFIG, CREDENTIALS);
    expect({ ...getProfile(files, 'acme.prod') }).toEqual({
      region: 'eu-west-1',
      aws_access_key_id: 'AKIAACME',
      aws_secret_access_key: 'secret1',
      output: 'json',
    });
  });

  it('finds [default], a quoted name, and a credentials-only profile', async () => {
    const files = await filesWith(CONFIG, CREDENTIALS);
    expect({ ...getProfile(files, 'default') }).toEqual({ region: 'us-east-1' });
    expect({ ...getProfile(files, 'my prof') }).toEqual({ region: 'ap-south-1' });
    expect({ ...getProfile(files, 'ci') }).toEqual({ aws_access_key_id: 'AKIACI', aws_secret_access_key: 'secret2' });
  });

  it('is undefined for a profile in neither file, and for sections that are not profiles', async () => {
    const files = await filesWith(CONFIG, CREDENTIALS);
    expect(getProfile(files, 'nope')).toBeUndefined();
    expect(getProfile(files, 'preview')).toBeUndefined();
    expect(getProfile(files, 'my-sso')).toBeUndefined();
  });

  it('lets the later of [default] and [profile default] win, whole, as botocore does', async () => {
    const files = await filesWith('[default]\nregion = a\noutput = text\n[profile default]\nregion = b\n', undefined);
    expect({ ...getProfile(files, 'default') }).toEqual({ region: 'b' });
  });

  it('takes the last of two sections naming one profile, whole, as botocore does', async () => {
    const files = await filesWith("[profile dev]\nregion = a\noutput = json\n[profile 'dev']\nregion = b\n", undefined);
    expect({ ...getProfile(files, 'dev') }).toEqual({ region: 'b' });
    const swapped = await filesWith("[profile 'dev']\nregion = b\n[profile dev]\nregion = a\n", undefined);
    expect({ ...getProfile(swapped, 'dev') }).toEqual({ region: 'a' });
  });

  it('refuses a repeated section, as botocore does', async () => {
    await expect(filesWith('[profile dev]\nregion = a\n[profile dev]\nregion = b\n', undefined)).rejects.toThrow(
      'line 3: the section [profile dev] repeats the one on line 1.',
    );
  });

  it('reads [profiles dev] as profile dev and [ profile x] as no profile, as botocore does', async () => {
    const files = await filesWith('[profiles dev]\nregion = a\n[ profile x]\nregion = b\n', undefined);
    expect(listProfiles(files).map((p) => p.name)).toEqual(['dev']);
  });

  it('does not read [profile dev] in the credentials file as dev', async () => {
    const files = await filesWith(undefined, '[profile dev]\naws_access_key_id = x\n');
    expect(getProfile(files, 'dev')).toBeUndefined();
  });
});

describe('listProfiles', () => {
  it('lists profiles in file order, config first, each once', async () => {
    const files = await filesWith(CONFIG, CREDENTIALS);
    expect(listProfiles(files)).toEqual([
      { name: 'default', inConfig: true, inCredentials: false },
      { name: 'acme.prod', inConfig: true, inCredentials: true },
      { name: 'my prof', inConfig: true, inCredentials: false },
      { name: 'ci', inConfig: false, inCredentials: true },
    ]);
  });
});

describe('getSsoSession', () => {
  it('returns an [sso-session NAME] section, undefined when missing', async () => {
    const files = await filesWith(CONFIG, CREDENTIALS);
    expect({ ...getSsoSession(files, 'my-sso') }).toEqual({
      sso_start_url: 'https://my-sso-portal.awsapps.com/start',
      sso_region: 'us-east-1',
    });
    expect(getSsoSession(files, 'other')).toBeUndefined();
  });
});

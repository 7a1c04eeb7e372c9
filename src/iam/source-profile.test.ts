import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileError, NotFoundError } from '../errors/cli-error.js';
import { assertSourceProfileExists } from './source-profile.js';
import { tempHome } from '../../test/support/temp-home.js';

async function home(config: string, credentials: string) {
  return (await tempHome({ config, credentials })).home;
}

const CONFIG = '[default]\nregion = eu-west-1\n[profile acme.prod]\nregion = us-east-1\n';
const CREDENTIALS = '[my keys]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n';

describe('assertSourceProfileExists', () => {
  it.each([
    ['no profile named (the default chain)', undefined, {}],
    ['an empty AWS_PROFILE (unset for the SDK)', undefined, { AWS_PROFILE: '' }],
    ['a profile in config only', 'acme.prod', {}],
    ['[default] in config', 'default', {}],
    ['a profile in credentials only, with a space', 'my keys', {}],
    ['AWS_PROFILE naming a profile that exists', undefined, { AWS_PROFILE: 'acme.prod' }],
  ])('accepts %s', async (_what, profile, env) => {
    const homeDir = await home(CONFIG, CREDENTIALS);
    await expect(assertSourceProfileExists({ profile, env, homeDir })).resolves.toBeUndefined();
  });

  it('names the profile and both files when it is in neither; --profile wins over AWS_PROFILE', async () => {
    const homeDir = await home(CONFIG, CREDENTIALS);
    const err = await assertSourceProfileExists({ profile: 'acme', env: { AWS_PROFILE: 'acme.prod' }, homeDir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).toBe(`No profile named acme in ${homeDir}/.aws/config or ${homeDir}/.aws/credentials.`);
  });

  it('finds the files through AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE', async () => {
    const homeDir = await home('', '');
    const elsewhere = await home(CONFIG, CREDENTIALS);
    const env = { AWS_CONFIG_FILE: join(elsewhere, '.aws', 'config'), AWS_SHARED_CREDENTIALS_FILE: join(elsewhere, '.aws', 'credentials') };
    await expect(assertSourceProfileExists({ profile: 'my keys', env, homeDir })).resolves.toBeUndefined();
  });

  it('fails on a malformed file naming its line, as every reader does', async () => {
    const homeDir = await home(CONFIG, '[my keys\n');
    const err = await assertSourceProfileExists({ profile: 'my keys', env: {}, homeDir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileError);
    expect((err as Error).message).toMatch(new RegExp(`^${homeDir}/\\.aws/credentials line 1: `));
  });
});

import { describe, expect, it } from 'vitest';
import { getProfile, readAwsFiles } from '../aws-files/profiles.js';
import { awsFilePaths } from '../aws-files/paths.js';
import { ExitCode } from '../errors/cli-error.js';
import { ssoTargetOf } from './sso-profile.js';
import { tempHome } from '../../test/support/temp-home.js';

async function target(config: string, profile = 'p') {
  const { home } = await tempHome({ config });
  const files = await readAwsFiles(awsFilePaths({}, home));
  return () => ssoTargetOf(profile, getProfile(files, profile) ?? {}, files);
}

function failure(fn: () => unknown): { exitCode: number; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { exitCode: number; message: string };
  }
  throw new Error('expected an error');
}

describe('ssoTargetOf', () => {
  it('takes start URL, region and scopes from the sso-session section', async () => {
    const get = await target(
      '[profile p]\nsso_session = s\nsso_account_id = 111122223333\nsso_role_name = R\n[sso-session s]\nsso_start_url = https://a.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access, other:scope\n',
    );
    expect(get()).toEqual({
      profile: 'p',
      sessionName: 's',
      startUrl: 'https://a.awsapps.com/start',
      region: 'eu-west-1',
      scopes: ['sso:account:access', 'other:scope'],
      accountId: '111122223333',
      roleName: 'R',
    });
  });

  it('reads the legacy form, with no session and no scopes', async () => {
    const get = await target(
      '[profile p]\nsso_start_url = https://a.awsapps.com/start\nsso_region = us-east-2\nsso_account_id = 1\nsso_role_name = R\n',
    );
    expect(get()).toEqual({
      profile: 'p',
      sessionName: undefined,
      startUrl: 'https://a.awsapps.com/start',
      region: 'us-east-2',
      scopes: undefined,
      accountId: '1',
      roleName: 'R',
    });
  });

  it('accepts profile settings that repeat the session values, and refuses conflicting ones (exit 3)', async () => {
    const session = '[sso-session s]\nsso_start_url = https://a.awsapps.com/start\nsso_region = eu-west-1\n';
    const same = await target(`[profile p]\nsso_session = s\nsso_region = eu-west-1\nsso_account_id = 1\nsso_role_name = R\n${session}`);
    expect(same().region).toBe('eu-west-1');
    const conflict = await target(`[profile p]\nsso_session = s\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = R\n${session}`);
    const err = failure(conflict);
    expect(err.exitCode).toBe(ExitCode.File);
    expect(err.message).toBe('Profile p sets sso_region = us-east-1, which conflicts with eu-west-1 in [sso-session s].');
  });

  it('names a missing sso-session section: a broken config file (exit 3), as in sso login', async () => {
    const err = failure(await target('[profile p]\nsso_session = gone\nsso_account_id = 1\nsso_role_name = R\n'));
    expect(err.exitCode).toBe(ExitCode.File);
    expect(err.message).toMatch(/^Profile p uses sso_session gone, but .*config has no \[sso-session gone\] section\.$/);
    expect((err as unknown as { hint: string }).hint).toBe(
      'add it with sso_start_url and sso_region, or create it: awskeys sso login --sso-session gone --start-url URL --region REGION',
    );
  });

  it('names what the sso-session section lacks (exit 3)', async () => {
    const err = failure(await target('[profile p]\nsso_session = s\n[sso-session s]\nsso_region = eu-west-1\n'));
    expect(err.exitCode).toBe(ExitCode.File);
    expect(err.message).toMatch(/^Profile p uses sso_session s, but \[sso-session s\] in .*config lacks sso_start_url\.$/);
  });

  it('lists every missing setting of the profile (exit 3)', async () => {
    const err = failure(await target('[profile p]\nsso_start_url = https://a.awsapps.com/start\n'));
    expect(err.exitCode).toBe(ExitCode.File);
    expect(err.message).toMatch(/^SSO profile p is incomplete: \[profile p\] in .*config lack sso_region, sso_account_id, sso_role_name\.$/);
  });
});

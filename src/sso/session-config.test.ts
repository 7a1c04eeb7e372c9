import { describe, expect, it } from 'vitest';
import { parseIni } from '../aws-files/ini-parse.js';
import type { AwsFiles } from '../aws-files/profiles.js';
import { defaultSessionName, resolveSsoSettings } from './session-config.js';

const files = (config: string): AwsFiles => ({
  paths: { config: '/h/.aws/config', credentials: '/h/.aws/credentials', ssoCacheDir: '/c', cliCacheDir: '/k', sessionCacheDir: '/s' },
  config: parseIni(config, '/h/.aws/config'),
  credentials: { sections: [] },
});

const CONFIG = `[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Admin

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access, codewhisperer:completions

[profile old]
sso_start_url = https://old.awsapps.com/start
sso_region = eu-west-1

[profile keys]
region = us-east-1

[profile broken]
sso_session = missing
`;

function error(fn: () => unknown): { name: string; message: string; exitCode: number } {
  try {
    fn();
  } catch (err) {
    return err as { name: string; message: string; exitCode: number };
  }
  throw new Error('expected an error');
}

describe('defaultSessionName', () => {
  it.each([
    ['https://my-sso-portal.awsapps.com/start', 'my-sso-portal'],
    ['https://d-1234567890.awsapps.com/start#/', 'd-1234567890'],
    ['https://ssoins-1.portal.us-east-1.app.aws', 'ssoins-1'],
    ['http://127.0.0.1:8123/start', 'sso-127-0-0-1'],
    ['http://localhost:8123/start', 'sso-localhost'],
    // GovCloud portals share one host: the directory id tells them apart.
    ['https://start.us-gov-home.awsapps.com/directory/d-906752b7a0', 'd-906752b7a0'],
    ['https://start.us-gov-home.awsapps.com/directory/d-98674d1e21/', 'd-98674d1e21'],
    // With or without the trailing slash: the same portal, the same session and token file.
    ['https://my-sso-portal.awsapps.com/start/', 'my-sso-portal'],
  ])('%s -> %s', (url, name) => {
    expect(defaultSessionName(url)).toBe(name);
  });

  it('never takes a name whose section belongs to another portal: a short hash of the URL is added', () => {
    const taken = files('[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n');
    expect(defaultSessionName('https://corp.awsapps.com/start/', taken)).toBe('corp');
    expect(defaultSessionName('http://corp.example.com/start', taken)).toMatch(/^corp-[0-9a-f]{8}$/);
    expect(defaultSessionName('http://corp.example.com/start', taken)).toBe(defaultSessionName('http://corp.example.com/start/', taken));
  });
});

describe('resolveSsoSettings', () => {
  it('--start-url/--region: a named session (derived name) with the default scope', () => {
    expect(resolveSsoSettings(files(''), { startUrl: 'https://acme.awsapps.com/start', region: 'eu-west-1' }).ref).toEqual({
      sessionName: 'acme',
      startUrl: 'https://acme.awsapps.com/start',
      region: 'eu-west-1',
      scopes: ['sso:account:access'],
    });
  });

  it('--start-url with an existing session of the same name keeps its configured scopes', () => {
    const ref = resolveSsoSettings(files(CONFIG), {
      startUrl: 'https://corp.awsapps.com/start',
      region: 'us-east-1',
      sessionName: 'corp',
    }).ref;
    expect(ref.scopes).toEqual(['sso:account:access', 'codewhisperer:completions']);
  });

  it('--profile with sso_session: the [sso-session] settings, and the profile for its account and role', () => {
    const resolved = resolveSsoSettings(files(CONFIG), { profile: 'dev' });
    expect(resolved.ref).toEqual({
      sessionName: 'corp',
      startUrl: 'https://corp.awsapps.com/start',
      region: 'us-east-1',
      scopes: ['sso:account:access', 'codewhisperer:completions'],
    });
    expect(resolved.profile).toMatchObject({ sso_account_id: '111122223333', sso_role_name: 'Admin' });
  });

  it('--profile of a legacy profile: start URL and region, no session, no scopes', () => {
    expect(resolveSsoSettings(files(CONFIG), { profile: 'old' }).ref).toEqual({
      startUrl: 'https://old.awsapps.com/start',
      region: 'eu-west-1',
    });
  });

  it('--session-name alone: an existing [sso-session]', () => {
    expect(resolveSsoSettings(files(CONFIG), { sessionName: 'corp' }).ref.startUrl).toBe('https://corp.awsapps.com/start');
  });

  it.each([
    [{}, 2, 'Which SSO session? Pass --start-url URL --region REGION, --sso-session NAME, or --profile NAME.'],
    [{ startUrl: 'https://a.awsapps.com/start' }, 2, '--start-url needs --region (the IAM Identity Center region).'],
    [{ startUrl: 'ftp://a/start', region: 'us-east-1' }, 2, 'Invalid --start-url "ftp://a/start": expected an https:// URL.'],
    [{ startUrl: 'https://a.awsapps.com/start', region: 'mars' }, 2, 'Invalid --region "mars": not a region the AWS SDK knows.'],
    [
      { startUrl: 'https://other.awsapps.com/start', region: 'us-east-1', sessionName: 'corp' },
      2,
      'The sso-session "corp" in /h/.aws/config has sso_start_url = https://corp.awsapps.com/start, not https://other.awsapps.com/start.',
    ],
    [{ profile: 'nope' }, 5, 'Profile "nope" is not in /h/.aws/config.'],
    [{ profile: 'keys' }, 2, 'Profile "keys" has no SSO settings (sso_session, or sso_start_url and sso_region).'],
    // The same error, exit 3, as env and credential-process give for this profile (one SSO model).
    [{ profile: 'broken' }, 3, 'Profile broken uses sso_session missing, but /h/.aws/config has no [sso-session missing] section.'],
  ])('refuses %j (exit %i)', (input, exitCode, message) => {
    expect(error(() => resolveSsoSettings(files(CONFIG), input))).toMatchObject({ exitCode, message });
  });
});

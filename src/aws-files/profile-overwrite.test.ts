import { describe, expect, it } from 'vitest';
import type { CliError } from '../errors/cli-error.js';
import { parseIni } from './ini-parse.js';
import { assertStillAllowed, profileOverwrite, withCurrent, type Overwrite, type ProfileFiles, type ProfileWrite } from './profile-overwrite.js';

const CONFIG = '/h/.aws/config';
const CREDENTIALS = '/h/.aws/credentials';
const URL = 'https://corp.awsapps.com/start';

function files(config: string, credentials: string): ProfileFiles {
  return {
    paths: { config: CONFIG, credentials: CREDENTIALS },
    config: parseIni(config, CONFIG),
    credentials: parseIni(credentials, CREDENTIALS),
  };
}

const wording = { flag: '--profile', outcome: 'nothing was written' };

/** The verdict as plain data: a refusal's exit code, message and hint; a replacement's texts. */
function outcome(o: Overwrite): Record<string, unknown> {
  if (o.verdict === 'refuse') return { verdict: 'refuse', exitCode: o.error.exitCode, message: o.error.message, hint: o.error.hint };
  return { ...o };
}

const STATIC = { kind: 'static-key', accessKeyId: 'AKIANEWNEWNEWNEWNEW1' } as const satisfies ProfileWrite;
const TEMPORARY = { kind: 'temporary-keys' } as const satisfies ProfileWrite;
const SSO = { kind: 'sso-profile', startUrl: URL } as const satisfies ProfileWrite;

const KEY = '[p]\naws_access_key_id = AKIAOLDOLDOLDOLDOLD1\naws_secret_access_key = s\n';
const TEMP = '[p]\naws_access_key_id = ASIATMPTMPTMPTMPTMP1\naws_secret_access_key = s\naws_session_token = t\n';
const SESSION = `[profile p]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n\n[sso-session corp]\nsso_start_url = ${URL}\nsso_region = eu-west-1\n`;
const ROLE = '[profile p]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = base\n';

const refusedOther = (setting: string, file: string) => ({
  verdict: 'refuse',
  exitCode: 2,
  message: `Profile "p" already gets credentials another way (${setting} in the ${file} file); nothing was written.`,
  hint: 'choose another name with --profile',
});

type Row = [string, string, string, ProfileWrite, Record<string, unknown>];

const rows: Row[] = [
  // A long-lived key (iam create-key --write-profile, iam import).
  ['static key: no such profile', '', '', STATIC, { verdict: 'free' }],
  ['static key: a profile with settings only', '[profile p]\nregion = eu-west-1\n', '', STATIC, { verdict: 'free' }],
  ['static key: the same key again', '', KEY.replace('AKIAOLDOLDOLDOLDOLD1', STATIC.accessKeyId), STATIC, { verdict: 'same' }],
  [
    'static key: another key in the credentials file needs --force',
    '',
    KEY,
    STATIC,
    {
      verdict: 'replace',
      heldKeyId: 'AKIAOLDOLDOLDOLDOLD1',
      situation: `Profile "p" in ${CREDENTIALS} already holds access key AKIAOLDOLDOLDOLDOLD1`,
      question: 'Replace it (its secret is lost)?',
      hint: 'pass --force to replace it, or choose another --profile',
    },
  ],
  [
    'static key: a key in the config file is found there',
    KEY.replace('[p]', '[profile p]'),
    '',
    { kind: 'static-key', accessKeyId: undefined },
    {
      verdict: 'replace',
      heldKeyId: 'AKIAOLDOLDOLDOLDOLD1',
      situation: `Profile "p" in ${CONFIG} already holds access key AKIAOLDOLDOLDOLDOLD1`,
      question: 'Replace it (its secret is lost)?',
      hint: 'pass --force to replace it, or choose another --profile',
    },
  ],
  [
    'static key: temporary keys need --force too',
    '',
    TEMP,
    STATIC,
    {
      verdict: 'replace',
      heldKeyId: 'ASIATMPTMPTMPTMPTMP1',
      situation: `Profile "p" in ${CREDENTIALS} already holds temporary keys (ASIATMPTMPTMPTMPTMP1, with aws_session_token)`,
      question: 'Replace them?',
      hint: 'pass --force to replace them, or choose another --profile',
    },
  ],
  [
    'static key: a secret without an id',
    '',
    '[p]\naws_secret_access_key = s\n',
    STATIC,
    {
      verdict: 'replace',
      heldKeyId: undefined,
      situation: `Profile "p" in ${CREDENTIALS} already holds a secret access key`,
      question: 'Replace it (its secret is lost)?',
      hint: 'pass --force to replace it, or choose another --profile',
    },
  ],
  ['static key: an SSO profile is refused', SESSION, '', STATIC, refusedOther('sso_session', 'config')],
  ['static key: a legacy SSO profile is refused', `[profile p]\nsso_start_url = ${URL}\nsso_region = eu-west-1\n`, '', STATIC, refusedOther('sso_start_url', 'config')],
  ['static key: a role profile is refused', ROLE, '', STATIC, refusedOther('role_arn', 'config')],
  ['static key: source_profile alone is refused', '[profile p]\nsource_profile = base\n', '', STATIC, refusedOther('source_profile', 'config')],
  ['static key: credential_process is refused', '[profile p]\ncredential_process = /bin/creds\n', '', STATIC, refusedOther('credential_process', 'config')],
  ['static key: web identity is refused', '[profile p]\nweb_identity_token_file = /t\nrole_arn = arn:aws:iam::1:role/R\n', '', STATIC, refusedOther('role_arn', 'config')],
  ['static key: an aws login session is refused', '[profile p]\nlogin_session = arn:aws:iam::1:user/u\n', '', STATIC, refusedOther('login_session', 'config')],
  ['static key: a role beside keys is refused (keys would not win in botocore)', ROLE, KEY, STATIC, refusedOther('role_arn', 'config')],

  // Temporary keys in the credentials file (sso login --write credentials).
  ['temporary keys: no such profile', '', '', TEMPORARY, { verdict: 'free' }],
  ['temporary keys: over temporary keys (fetched again at will)', '', TEMP, TEMPORARY, { verdict: 'same' }],
  [
    'temporary keys: never over long-lived keys',
    '',
    KEY,
    TEMPORARY,
    { verdict: 'refuse', exitCode: 2, message: `Profile "p" in ${CREDENTIALS} holds long-lived access keys; they were not replaced.`, hint: 'choose another name with --profile' },
  ],
  [
    'temporary keys: never over long-lived keys in the config file',
    KEY.replace('[p]', '[profile p]'),
    '',
    TEMPORARY,
    { verdict: 'refuse', exitCode: 2, message: `Profile "p" in ${CONFIG} holds long-lived access keys; they were not replaced.`, hint: 'choose another name with --profile' },
  ],
  [
    'temporary keys: never under an SSO profile, whose settings they would hide',
    SESSION,
    '',
    TEMPORARY,
    {
      verdict: 'refuse',
      exitCode: 2,
      message:
        `Profile "p" has SSO settings in ${CONFIG}; temporary keys under [p] in ${CREDENTIALS} would hide them from the JS SDK and stop working when they expire.`,
      hint:
        'keep it an SSO profile (--write config, env or json), or write the keys under another name: ' +
        'awskeys sso login --sso-session corp --account-id 111122223333 --role-name Dev --write credentials --profile NEW_NAME',
    },
  ],
  ['temporary keys: a role profile is refused', ROLE, '', TEMPORARY, refusedOther('role_arn', 'config')],

  // An SSO profile in the config file (sso login --write config).
  ['SSO profile: no such profile', '', '', SSO, { verdict: 'free' }],
  ['SSO profile: a profile with settings only', '[profile p]\noutput = text\n', '', SSO, { verdict: 'free' }],
  ['SSO profile: the same IAM Identity Center (another account or role)', SESSION, '', SSO, { verdict: 'same' }],
  ['SSO profile: a legacy profile of the same start URL', `[profile p]\nsso_start_url = ${URL}/\nsso_region = eu-west-1\n`, '', SSO, { verdict: 'same' }],
  [
    'SSO profile: another IAM Identity Center is refused',
    SESSION.replace(URL, 'https://other.awsapps.com/start'),
    '',
    SSO,
    {
      verdict: 'refuse',
      exitCode: 2,
      message: 'Profile "p" is an SSO profile of another IAM Identity Center (https://other.awsapps.com/start); nothing was written.',
      hint: 'choose another name with --profile',
    },
  ],
  ['SSO profile: before the session is known, any SSO profile passes', SESSION.replace(URL, 'https://other.awsapps.com/start'), '', { kind: 'sso-profile', startUrl: undefined }, { verdict: 'same' }],
  ['SSO profile: long-lived keys are refused', '', KEY, SSO, refusedOther('aws_access_key_id', 'credentials')],
  ['SSO profile: temporary keys are refused (they would shadow it)', '', TEMP, SSO, refusedOther('aws_access_key_id', 'credentials')],
  ['SSO profile: a role profile is refused', ROLE, '', SSO, refusedOther('role_arn', 'config')],
];

describe('profileOverwrite: may this profile be written?', () => {
  it.each(rows)('%s', (_name, config, credentials, write, expected) => {
    expect(outcome(profileOverwrite(files(config, credentials), 'p', write, wording))).toEqual(expected);
  });
});

describe('assertStillAllowed: the check again under the lock', () => {
  const before = files('', '');
  const now = withCurrent(before, 'credentials', parseIni(KEY, CREDENTIALS));
  const failure = (run: () => void) => {
    try {
      run();
    } catch (err) {
      return err as CliError;
    }
    throw new Error('expected a refusal');
  };

  it('lets through a key written meanwhile only with --force, or when it is the one the user agreed to replace', () => {
    expect(() => assertStillAllowed(now, 'p', STATIC, { force: true }, wording)).not.toThrow();
    expect(() => assertStillAllowed(now, 'p', STATIC, { force: false, replacing: { heldKeyId: 'AKIAOLDOLDOLDOLDOLD1' } }, wording)).not.toThrow();
    const err = failure(() => assertStillAllowed(now, 'p', STATIC, { force: false, replacing: { heldKeyId: 'AKIAOTHEROTHEROTHER1' } }, wording));
    expect({ code: err.exitCode, message: err.message, hint: err.hint }).toEqual({
      code: 7,
      message: `Profile "p" in ${CREDENTIALS} already holds access key AKIAOLDOLDOLDOLDOLD1, written by another process since this run checked; nothing was written.`,
      hint: 'pass --force to replace it, or choose another --profile',
    });
  });

  it('refuses a profile made into another kind meanwhile, even with --force', () => {
    const sso = withCurrent(before, 'config', parseIni(SESSION, CONFIG));
    const err = failure(() => assertStillAllowed(sso, 'p', STATIC, { force: true }, wording));
    expect({ code: err.exitCode, message: err.message }).toEqual({ code: 2, message: refusedOther('sso_session', 'config').message });
  });
});

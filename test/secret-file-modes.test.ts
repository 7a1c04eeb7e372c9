import { chmod, link, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { roleCachePath, writeCachedRoleCredentials } from '../src/sso/role-credentials-cache.js';
import { ensureBuilt } from './support/built.js';
import { runBuilt, tempHome } from './support/cli.js';
import { corpProfile, ssoCorpHome, type SsoCorpHome } from './support/sso-corp-home.js';

/**
 * A secret written into a file other users can open makes the file private: its group and other
 * bits are cleared (special bits kept), and stderr says so once, in one line. A hard-linked file
 * is replaced under its own name only, and stderr says its other names keep the old contents. The
 * built binary, for the credentials file (iam import) and the SSO caches (credential-process
 * refreshing the token in ~/.aws/sso/cache and writing role credentials to ~/.aws/cli/cache).
 */

beforeAll(ensureBuilt, 120_000);

const EXISTING = '# work\n[acme.prod]\naws_access_key_id = AKIAACMEACMEACMEACME\naws_secret_access_key = acme-secret\n';
const CSV = 'Access key ID,Secret access key\nAKIAIMPORTIMPORTIMP1,import/secret+key\n';
const modeOf = async (path: string): Promise<number> => (await stat(path)).mode & 0o7777;

describe('awskeys iam import into a credentials file others can open', () => {
  async function importInto(mode: number) {
    const h = await tempHome({ credentials: EXISTING });
    await chmod(h.credentials, mode);
    const csv = join(h.home, 'keys.csv');
    await writeFile(csv, CSV, { mode: 0o600 });
    const run = () => runBuilt(['iam', 'import', '--csv', csv, '--profile', 'alice'], { env: h.env });
    return { h, csv, run };
  }

  it('0644: the file is now 0600, and stderr says so in one warning line', async () => {
    const { h, csv, run } = await importInto(0o644);
    const r = await run();
    expect(r).toEqual({
      code: 0,
      stdout: '',
      stderr: [
        `Imported access key AKIAIMPORTIMPORTIMP1 into profile alice in ${h.credentials}.`,
        `awskeys: warning: ${h.credentials} was readable by other users (mode 0644); it is now 0600`,
        'Try it: aws sts get-caller-identity --profile alice',
        `${csv} still holds the secret: delete it once the profile works.`,
        '',
      ].join('\n'),
    });
    expect(await modeOf(h.credentials)).toBe(0o600);
    expect(await readFile(h.credentials, 'utf8')).toBe(
      `${EXISTING}\n[alice]\naws_access_key_id = AKIAIMPORTIMPORTIMP1\naws_secret_access_key = import/secret+key\n`,
    );
  });

  it('setgid 02664: the setgid bit stays, the group and other bits go', async () => {
    const { h, run } = await importInto(0o2664);
    const r = await run();
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n')[1]).toBe(`awskeys: warning: ${h.credentials} was readable by other users (mode 2664); it is now 2600`);
    expect(await modeOf(h.credentials)).toBe(0o2600);
  });

  it('a hard-linked file: replaced under its own name; the warning says the other name keeps the old secret', async () => {
    const { h, run } = await importInto(0o600);
    const other = join(h.home, 'credentials.bak');
    await link(h.credentials, other);
    const r = await run();
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n')[1]).toBe(`awskeys: warning: ${h.credentials} has 1 other name (a hard link); it keeps the old contents`);
    expect(await readFile(other, 'utf8')).toBe(EXISTING);
    expect(await readFile(h.credentials, 'utf8')).toContain('import/secret+key');
    expect((await stat(h.credentials)).nlink).toBe(1);
  });
});

describe('awskeys credential-process writing the SSO caches', () => {
  const ACCOUNT = '111122223333';
  const ROLE = 'AdministratorAccess';
  let corp: SsoCorpHome;

  beforeEach(async () => {
    corp = await ssoCorpHome({
      profiles: () => [...corpProfile('dev', ACCOUNT, ROLE), 'region = eu-west-1'],
      modes: 'private',
    });
  });
  afterEach(async () => {
    await corp.close();
  });

  const roleKey = () => ({ accountId: ACCOUNT, roleName: ROLE, sessionName: 'corp', startUrl: corp.startUrl });
  const rolePath = () => roleCachePath(corp.cliCacheDir, roleKey());

  it('a token cache file left 0644 is 0600 once the token is refreshed into it, said once; the new role cache file is 0600', async () => {
    const tokenPath = await corp.logIn({ ttlSeconds: 60 });
    await chmod(tokenPath, 0o644);

    const r = await runBuilt(['credential-process', '--profile', 'dev'], { env: corp.env });
    expect(r.code).toBe(0);
    expect(corp.emulator.calls.CreateToken).toBe(1);
    expect(r.stderr).toBe(`awskeys: warning: ${tokenPath} was readable by other users (mode 0644); it is now 0600\n`);
    expect(await modeOf(tokenPath)).toBe(0o600);
    expect(await modeOf(rolePath())).toBe(0o600);

    // Once: the next run finds both private and says nothing.
    const again = await runBuilt(['credential-process', '--profile', 'dev'], { env: corp.env });
    expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('a role credentials cache file (the AWS CLI cache) left 0664 is 0600 once fresh credentials are written into it', async () => {
    await corp.logIn();
    // Expiring within five minutes: fetched again and rewritten.
    await writeCachedRoleCredentials(corp.cliCacheDir, roleKey(), {
      accessKeyId: 'ASIAOLD',
      secretAccessKey: 'old',
      sessionToken: 'old',
      expiration: new Date(Date.now() + 4 * 60 * 1000),
    });
    await chmod(rolePath(), 0o664);

    const r = await runBuilt(['env', '--profile', 'dev'], { env: corp.env });
    expect(r.code).toBe(0);
    expect(corp.emulator.calls.GetRoleCredentials).toBe(1);
    expect(r.stderr).toBe(`awskeys: warning: ${rolePath()} was readable by other users (mode 0664); it is now 0600\n`);
    expect(await modeOf(rolePath())).toBe(0o600);
    expect(r.stdout).toContain('export AWS_ACCESS_KEY_ID=');
  });
});

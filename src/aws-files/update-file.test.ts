import { execFileSync } from 'node:child_process';
import { chmod, mkdir, readFile, readdir, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../app/clock.js';
import { ExitCode, FileError } from '../errors/cli-error.js';
import { editSection } from './ini-edit.js';
import { privacyWarning } from './privacy.js';
import { updateAwsFile, updateAwsSections } from './update-file.js';
import { tempHome } from '../../test/support/temp-home.js';

const setKeys = (text: string): string =>
  editSection(text, 'acme.prod', { aws_access_key_id: 'AKIANEW', aws_secret_access_key: 'secretNEW' });

// Nothing else holds these locks, so the clock only matters if something is badly wrong.
const lock = { clock: systemClock };

const modeOf = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

describe('updateAwsFile', () => {
  it('creates ~/.aws 0700 and the file 0600 when neither exists', async () => {
    const { home, credentials } = await tempHome();
    const result = await updateAwsFile(credentials, setKeys, lock);
    expect(result).toEqual({ path: credentials, created: true, changed: true, warnings: [] });
    expect(await readFile(credentials, 'utf8')).toBe(
      '[acme.prod]\naws_access_key_id = AKIANEW\naws_secret_access_key = secretNEW\n',
    );
    expect(await modeOf(join(home, '.aws'))).toBe(0o700);
    expect(await modeOf(credentials)).toBe(0o600);
    // No temp or lock file is left behind.
    expect(await readdir(join(home, '.aws'))).toEqual(['credentials']);
  });

  it('applies many section edits in one locked, atomic write (updateAwsSections)', async () => {
    const { home, config } = await tempHome({ config: '# mine\n[profile old]\nregion = us-east-1\n\n[profile keep]\nregion = eu-west-1\n', modes: 'private' });
    const result = await updateAwsSections(
      config,
      [
        { section: 'profile old', remove: true },
        { section: 'profile a', update: { sso_session: 'corp', sso_account_id: '111122223333' } },
        { section: 'profile b', update: { sso_session: 'corp', sso_account_id: '444455556666' } },
      ],
      lock,
    );
    expect(result).toEqual({ path: config, created: false, changed: true, warnings: [] });
    expect(await readFile(config, 'utf8')).toBe(
      '# mine\n[profile keep]\nregion = eu-west-1\n\n[profile a]\nsso_session = corp\nsso_account_id = 111122223333\n\n[profile b]\nsso_session = corp\nsso_account_id = 444455556666\n',
    );
    expect(await readdir(join(home, '.aws'))).toEqual(['config']);
  });

  it('edits an existing file in place, keeping its other lines', async () => {
    const { credentials } = await tempHome({ credentials: '# work keys\n[default]\naws_access_key_id = AKIAOLD\n', modes: 'private' });
    const result = await updateAwsFile(credentials, setKeys, lock);
    expect(result).toEqual({ path: credentials, created: false, changed: true, warnings: [] });
    expect(await readFile(credentials, 'utf8')).toBe(
      '# work keys\n[default]\naws_access_key_id = AKIAOLD\n\n[acme.prod]\naws_access_key_id = AKIANEW\naws_secret_access_key = secretNEW\n',
    );
  });

  it('tightens an existing 0640 file it writes a secret into to 0600, and says so', async () => {
    const { credentials } = await tempHome({ credentials: '[default]\nregion = us-east-1\n' });
    await chmod(credentials, 0o640);
    const result = await updateAwsFile(credentials, setKeys, lock);
    expect(await modeOf(credentials)).toBe(0o600);
    expect(result.warnings).toEqual([`${credentials} was readable by other users (mode 0640); it is now 0600`]);
  });

  it('leaves the mode of a file it does not change, and says how to fix it', async () => {
    const { credentials } = await tempHome({ credentials: '[acme.prod]\naws_access_key_id = AKIANEW\naws_secret_access_key = secretNEW\n' });
    await chmod(credentials, 0o644);
    const result = await updateAwsFile(credentials, setKeys, lock);
    expect(result.changed).toBe(false);
    expect(await modeOf(credentials)).toBe(0o644);
    expect(result.warnings).toEqual([`${credentials} is readable by other users (mode 0644); run: chmod 600 ${credentials}`]);
  });

  it('does not write when the edit changes nothing', async () => {
    const { home, credentials } = await tempHome();
    await mkdir(join(home, '.aws'));
    await writeFile(credentials, '[acme.prod]\naws_access_key_id = AKIANEW\naws_secret_access_key = secretNEW\n', {
      mode: 0o600,
    });
    const before = await stat(credentials);
    const result = await updateAwsFile(credentials, setKeys, lock);
    expect(result).toEqual({ path: credentials, created: false, changed: false, warnings: [] });
    expect((await stat(credentials)).ino).toBe(before.ino);
  });

  it('does not create a file for an edit that adds nothing', async () => {
    const { home, config } = await tempHome();
    const result = await updateAwsFile(config, (t) => editSection(t, 'profile dev', { region: null }), lock);
    expect(result).toEqual({ path: config, created: false, changed: false, warnings: [] });
    expect(await readdir(join(home, '.aws'))).toEqual([]);
  });

  it('refuses a malformed file with a FileError naming the line, and leaves its bytes alone', async () => {
    const { home, config } = await tempHome();
    await mkdir(join(home, '.aws'));
    const bytes = '[default]\r\nregion = us-east-1\r\n[profile dev\r\nregion = x\r\n';
    await writeFile(config, bytes);
    let edited = false;
    const error = await updateAwsFile(config, (t) => {
      edited = true;
      return t;
    }, lock).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).exitCode).toBe(ExitCode.File);
    expect((error as FileError).message).toBe(`${config} line 3: section header has no closing ']'.`);
    expect(edited).toBe(false);
    expect(await readFile(config, 'utf8')).toBe(bytes);
    expect(await readdir(join(home, '.aws'))).toEqual(['config']);
  });

  it('refuses a file that is not UTF-8 rather than rewrite its bytes', async () => {
    const { home, credentials } = await tempHome();
    await mkdir(join(home, '.aws'));
    const bytes = Buffer.from('[default]\nnote = caf\xe9\n', 'latin1');
    await writeFile(credentials, bytes);
    await expect(updateAwsFile(credentials, setKeys, lock)).rejects.toThrow(`${credentials} is not valid UTF-8 text.`);
    expect(await readFile(credentials)).toEqual(bytes);
  });

  it('keeps a UTF-8 BOM and CRLF line endings', async () => {
    const { config } = await tempHome({ config: '\uFEFF[default]\r\nregion = us-east-1\r\n' });
    await updateAwsFile(config, (t) => editSection(t, "profile 'my prof'", { region: 'eu-west-1' }), lock);
    expect(await readFile(config, 'utf8')).toBe(
      "\uFEFF[default]\r\nregion = us-east-1\r\n\r\n[profile 'my prof']\r\nregion = eu-west-1\r\n",
    );
  });

  it('writes through a symlink and keeps the link', async () => {
    const { home, credentials } = await tempHome();
    const dotfiles = join(home, 'dotfiles');
    await mkdir(dotfiles);
    await mkdir(join(home, '.aws'));
    await writeFile(join(dotfiles, 'aws-credentials'), '[default]\nregion = us-east-1\n', { mode: 0o600 });
    await symlink(join(dotfiles, 'aws-credentials'), credentials);
    await updateAwsFile(credentials, setKeys, lock);
    expect(await readlink(credentials)).toBe(join(dotfiles, 'aws-credentials'));
    expect(await readFile(join(dotfiles, 'aws-credentials'), 'utf8')).toContain('[acme.prod]\n');
  });

  it('fails with a FileError and changes nothing when the folder cannot be written', async (ctx) => {
    const { home, credentials } = await tempHome();
    const aws = join(home, '.aws');
    await mkdir(aws);
    const bytes = '[default]\nregion = us-east-1\n';
    await writeFile(credentials, bytes, { mode: 0o600 });
    const release = await makeUnwritable(aws);
    if (!release) return ctx.skip('running as root without chattr: cannot make a folder unwritable');
    try {
      const error = await updateAwsFile(credentials, setKeys, lock).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FileError);
      expect((error as FileError).exitCode).toBe(ExitCode.File);
      expect((error as FileError).message).toBe(`Cannot create the lock file ${credentials}.lock: permission denied.`);
    } finally {
      await release();
    }
    expect(await readFile(credentials, 'utf8')).toBe(bytes);
    expect(await readdir(aws)).toEqual(['credentials']);
  });
});

describe('privacyWarning', () => {
  it('says nothing for a 0600 file or a missing one', async () => {
    const { home, credentials } = await tempHome();
    expect(await privacyWarning(credentials)).toBeUndefined();
    await mkdir(join(home, '.aws'));
    await writeFile(credentials, '', { mode: 0o600 });
    expect(await privacyWarning(credentials)).toBeUndefined();
  });

  it('warns when others can read the file', async () => {
    const { credentials } = await tempHome({ credentials: '' });
    await chmod(credentials, 0o604);
    expect(await privacyWarning(credentials)).toBe(
      `${credentials} is readable by other users (mode 0604); run: chmod 600 ${credentials}`,
    );
  });
});

/** chmod is enough for a normal user; root ignores modes, so it needs the immutable attribute. */
async function makeUnwritable(dir: string): Promise<(() => Promise<void>) | undefined> {
  if (process.getuid?.() !== 0) {
    await chmod(dir, 0o500);
    return () => chmod(dir, 0o700);
  }
  try {
    execFileSync('chattr', ['+i', dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return () => Promise.resolve(void execFileSync('chattr', ['-i', dir], { stdio: 'ignore' }));
}

describe('temp files left by a killed run', () => {
  it('are removed by the next update (they hold the whole file, secrets included); a live writer’s stay', async () => {
    const { home, credentials } = await tempHome({ credentials: '[acme.prod]\naws_access_key_id = AKIAOLD\n' });
    // A pid that certainly belonged to a process that has exited.
    const deadPid = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));
    const dead = `.credentials.awskeys-${deadPid}-0badc0de.tmp`;
    const live = `.credentials.awskeys-${process.pid}-0000beef.tmp`;
    const otherFile = `.config.awskeys-${deadPid}-12345678.tmp`;
    for (const name of [dead, live, otherFile]) await writeFile(join(home, '.aws', name), 'aws_secret_access_key = leaked\n');

    await updateAwsFile(credentials, setKeys, lock);

    const left = (await readdir(join(home, '.aws'))).sort();
    expect(left).toEqual([live, otherFile, 'credentials'].sort());
  });
});

import { chmod, lstat, mkdir, readdir, readFile, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forwardTarget } from '../../test/support/browser.js';
import { tempHome } from '../../test/support/temp-home.js';
import { ConsoleSigninError } from '../errors/cli-error.js';
import { forwardPageDir, forwardPageHtml, STALE_PAGE_MS, writeForwardPage, type ForwardPageHost } from './forward-page.js';

const uid = process.getuid?.() ?? 0;
const NOW = new Date();

async function host(): Promise<ForwardPageHost & { runtime: string }> {
  const { home } = await tempHome();
  const runtime = join(home, 'run');
  await mkdir(runtime, { mode: 0o700 });
  return { env: { XDG_RUNTIME_DIR: runtime }, platform: 'linux', uid, tmpDir: '/tmp', runtime };
}

describe('forwardPageDir', () => {
  it.each([
    ['linux, XDG_RUNTIME_DIR', 'linux', { XDG_RUNTIME_DIR: '/run/user/1000', TMPDIR: '/var/tmp' }, '/run/user/1000/awskeys'],
    ['a relative XDG_RUNTIME_DIR is ignored', 'linux', { XDG_RUNTIME_DIR: 'run' }, '/tmp/awskeys-1000'],
    ['macOS: its per-user TMPDIR', 'darwin', { TMPDIR: '/var/folders/xy/T/' }, '/var/folders/xy/T/awskeys-1000'],
    ['no variables: the OS temp folder', 'linux', {}, '/tmp/awskeys-1000'],
  ] as const)('%s', (_, platform, env, dir) => {
    expect(forwardPageDir({ env, platform, uid: 1000, tmpDir: '/tmp' })).toBe(dir);
  });
});

describe('forwardPageHtml', () => {
  it.each([
    'https://signin.aws.amazon.com/federation?Action=login&Issuer=https%3A%2F%2Fconsole.aws.amazon.com%2F&SigninToken=abc',
    'http://127.0.0.1:9/federation?a="b"&c=<d>&e=</script><script>alert(1)</script>',
  ])('forwards to exactly %s, by meta refresh and by location.replace', (url) => {
    const html = forwardPageHtml(url);
    expect(forwardTarget(html)).toBe(url);
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(html).not.toContain('"b"');
  });
});

describe('writeForwardPage', () => {
  it('a 0600 page under a random name in a 0700 folder it creates, whatever the umask', async () => {
    const h = await host();
    const old = process.umask(0);
    let path: string;
    try {
      path = await writeForwardPage('https://example.com/?SigninToken=x', h, NOW);
    } finally {
      process.umask(old);
    }
    expect(path).toMatch(new RegExp(`^${h.runtime}/awskeys/console-[0-9a-f]{24}\\.html$`));
    expect(forwardTarget(await readFile(path, 'utf8'))).toBe('https://example.com/?SigninToken=x');
    expect([(await lstat(path)).mode & 0o777, (await lstat(join(h.runtime, 'awskeys'))).mode & 0o777]).toEqual([0o600, 0o700]);
    expect(path).not.toBe(await writeForwardPage('https://example.com/?SigninToken=x', h, NOW));
  });

  it('removes pages older than a minute, keeps younger ones and files it did not write', async () => {
    const h = await host();
    const dir = join(h.runtime, 'awskeys');
    await mkdir(dir, { mode: 0o700 });
    const stale = 'console-000000000000000000000000.html';
    const young = 'console-111111111111111111111111.html';
    for (const name of [stale, young, 'notes.html']) await writeFile(join(dir, name), 'x');
    const past = new Date(NOW.getTime() - STALE_PAGE_MS - 1000);
    await utimes(join(dir, stale), past, past);
    await utimes(join(dir, 'notes.html'), past, past);
    const page = await writeForwardPage('https://example.com/', h, NOW);
    expect((await readdir(dir)).sort()).toEqual([page.slice(dir.length + 1), young, 'notes.html'].sort());
  });

  it('an existing folder others may enter is made 0700', async () => {
    const h = await host();
    const dir = join(h.runtime, 'awskeys');
    await mkdir(dir);
    await chmod(dir, 0o755);
    await writeForwardPage('https://example.com/', h, NOW);
    expect((await lstat(dir)).mode & 0o777).toBe(0o700);
  });

  it.each([
    ['a symbolic link (someone else may have put it there)', 'link'],
    ["someone else's folder", 'other'],
  ] as const)('refuses %s: exit 25 naming --print, nothing written', async (_, kind) => {
    const h = await host();
    const dir = join(h.runtime, 'awskeys');
    const elsewhere = join(h.runtime, 'elsewhere');
    await mkdir(elsewhere);
    if (kind === 'link') await symlink(elsewhere, dir);
    else await mkdir(dir, { mode: 0o700 });
    const error = await writeForwardPage('https://example.com/', { ...h, uid: kind === 'other' ? uid + 1 : uid }, NOW).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ConsoleSigninError);
    expect((error as ConsoleSigninError).message).toBe(`${dir} is not a folder of yours; the sign-in page is not written there.`);
    expect((error as ConsoleSigninError).hint).toBe('pass --print to get the sign-in URL on stdout');
    expect([await readdir(elsewhere), kind === 'other' ? await readdir(dir) : []]).toEqual([[], []]);
  });
});

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import * as nodeModule from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeCachedRoleCredentials } from '../src/sso/role-credentials-cache.js';
import { ensureBuilt } from './support/built.js';
import { binPath, repoRoot, runBuilt } from './support/cli.js';
import { needs } from './support/optional-tools.js';
import { SECRET_SERVICE_TOOLS, startSecretService, type SecretService } from './support/secret-service.js';
import { spawnCollecting } from './support/spawn.js';
import { corpProfile, ssoCorpHome, type SsoCorpHome } from './support/sso-corp-home.js';
import type { SsoEmulator } from '../emulators/sso/index.js';

/**
 * What the built binary actually loads (docs/env.md, "Speed"): CommonJS files from require.cache,
 * ES modules through a loader hook, node's built-ins from process.moduleLoadList. `env` /
 * `credential-process` on a static profile or a role-cache hit must load dist/entry.cjs and
 * nothing else; help loads dist/help.cjs beside it (D56), and neither commander nor dist/full.
 */

const LOGIN_SESSION = 'arn:aws:sts::111122223333:assumed-role/console/alice';

/** The AWS CLI's `aws login` cache file (<sha256 of the session>.json), expiring in `ms`. */
async function loginCache(ms: number): Promise<void> {
  const dir = join(home, '.aws', 'login', 'cache');
  await mkdir(dir, { recursive: true });
  const accessToken = { accessKeyId: 'ASIALOGIN', secretAccessKey: 's', sessionToken: 't', accountId: '111122223333', expiresAt: `${new Date(Date.now() + ms).toISOString().slice(0, 19)}Z` };
  const doc = { accessToken, tokenType: 'urn:aws:params:oauth:token-type:access_token_sigv4', clientId: 'arn:aws:signin:::devtools/same-device', refreshToken: 'r', idToken: 'i', dpopKey: 'k' };
  await writeFile(join(dir, `${createHash('sha256').update(LOGIN_SESSION).digest('hex')}.json`), JSON.stringify(doc), { mode: 0o600 });
}

let emulator: SsoEmulator;
let env: Record<string, string>;
let home: string;
let traceDir: string;

beforeAll(ensureBuilt, 120_000);

let corp: SsoCorpHome;

beforeEach(async () => {
  corp = await ssoCorpHome({
    profiles: () => [
      '[profile static]',
      'region = us-west-2',
      ...corpProfile('dev', '111122223333', 'AdministratorAccess'),
      ...corpProfile('miss', '111122223333', 'ReadOnlyAccess'),
      '[profile console]',
      `login_session = ${LOGIN_SESSION}`,
      'region = us-east-1',
    ],
    credentials: '[static]\naws_access_key_id = AKIASTATIC\naws_secret_access_key = s\n',
  });
  ({ emulator, home, env } = corp);
  traceDir = join(home, 'trace');
  await mkdir(traceDir);
  await corp.logIn();
  await writeCachedRoleCredentials(
    corp.cliCacheDir,
    { accountId: '111122223333', roleName: 'AdministratorAccess', sessionName: 'corp', startUrl: corp.startUrl },
    { accessKeyId: 'ASIACACHED', secretAccessKey: 's', sessionToken: 't', expiration: new Date(Date.now() + 3600_000) },
  );
  await writeFile(
    join(traceDir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(process.env.AWSKEYS_TRACE_FILES, url + '\\n');
  return next(url, context);
}`,
  );
  await writeFile(
    join(traceDir, 'preload.cjs'),
    `const { register, registerHooks } = require('node:module');
const { appendFileSync, writeFileSync } = require('node:fs');
const { pathToFileURL } = require('node:url');
// registerHooks where there is one (Node >= 22.15; Node 26 deprecates register with a warning on
// stderr), else the off-thread register of Node 20: both see every file the ES module loader loads.
if (registerHooks) {
  registerHooks({
    load(url, context, next) {
      if (url.startsWith('file:')) appendFileSync(process.env.AWSKEYS_TRACE_FILES, url + '\\n');
      return next(url, context);
    },
  });
} else {
  register('./hooks.mjs', pathToFileURL(__filename));
}
process.on('exit', () => {
  for (const file of Object.keys(require.cache)) appendFileSync(process.env.AWSKEYS_TRACE_FILES, file + '\\n');
  writeFileSync(process.env.AWSKEYS_TRACE_BUILTINS, process.moduleLoadList.join('\\n'));
});`,
  );
});

afterEach(async () => {
  await corp.close();
});

interface Trace {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Files loaded, relative to the repository. */
  files: string[];
  builtins: string[];
}

function traced(argv: string[], extraEnv: Record<string, string> = {}): Promise<Trace> {
  const filesLog = join(traceDir, `files-${argv.join('_')}.log`);
  const builtinsLog = join(traceDir, `builtins-${argv.join('_')}.log`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', join(traceDir, 'preload.cjs'), binPath, ...argv], {
      env: { PATH: process.env.PATH, ...env, ...extraEnv, AWSKEYS_TRACE_FILES: filesLog, AWSKEYS_TRACE_BUILTINS: builtinsLog },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      void (async () => {
        const files = (await readFile(filesLog, 'utf8').catch(() => ''))
          .split('\n')
          .filter((u) => u !== '' && !u.includes('/trace/'))
          .map((u) => relative(repoRoot, u.startsWith('file:') ? fileURLToPath(u) : u));
        const builtins = (await readFile(builtinsLog, 'utf8')).split('\n').filter((m) => m.startsWith('NativeModule '));
        // Sorted: the order is not the load order on every node (Node >= 22.15's registerHooks also sees
        // require(), so a file required later can be logged before one only require.cache lists).
        resolve({ code, stdout, stderr, files: [...new Set(files)].sort(), builtins });
      })().catch(reject);
    });
  });
}

/**
 * The heavy packages bundled into the loaded files, from the `// <path>` comment esbuild puts before
 * each bundled file. The path is relative to the real location, so with node_modules a symlink (a
 * git worktree) it reads `// ../../../work/main/node_modules/@aws-sdk/...` (as in scripts/build.mjs).
 */
async function heavyIn(files: string[]): Promise<string[]> {
  const packages = ['@aws-sdk', '@smithy', '@inquirer', 'open', 'commander'];
  const found = new Set<string>();
  for (const file of files) {
    const text = await readFile(join(repoRoot, file), 'utf8');
    for (const pkg of packages) if (new RegExp(`^\\s*//.*[\\s/]node_modules/${pkg}/`, 'm').test(text)) found.add(pkg);
  }
  return [...found].sort();
}

describe('the built binary on the hot path', () => {
  it('loads only dist/entry.cjs, and neither node:crypto nor node:fs/promises, for env on a static profile', async () => {
    const t = await traced(['env', '--profile', 'static']);
    expect(t.stderr).toBe('');
    expect(t.stdout).toContain(`export AWS_ACCESS_KEY_ID='AKIASTATIC'`);
    expect(t.files).toEqual(['bin/awskeys.js', 'dist/entry.cjs']);
    expect(t.builtins).not.toContain('NativeModule crypto');
    expect(t.builtins).not.toContain('NativeModule fs/promises');
  });

  it.each([[['env', '--profile', 'dev']], [['credential-process', '--profile', 'dev']]])(
    'loads only dist/entry.cjs, and neither node:crypto nor node:fs/promises, for %j on a role-cache hit',
    async (argv) => {
      const t = await traced(argv);
      expect(t.stderr).toBe('');
      expect(t.stdout).toContain('ASIACACHED');
      expect(t.files).toEqual(['bin/awskeys.js', 'dist/entry.cjs']);
      expect(t.builtins).not.toContain('NativeModule crypto');
      expect(t.builtins).not.toContain('NativeModule fs/promises');
    },
  );

  it.each([[['env', '--profile', 'console']], [['credential-process', '--profile', 'console']]])(
    'loads only dist/entry.cjs, and neither node:crypto nor node:fs/promises, for %j on a valid `aws login` cache',
    async (argv) => {
      await loginCache(3600_000);
      const t = await traced(argv);
      expect(t.stderr).toBe('');
      expect(t.stdout).toContain('ASIALOGIN');
      expect(t.files).toEqual(['bin/awskeys.js', 'dist/entry.cjs']);
      expect(t.builtins).not.toContain('NativeModule crypto');
      expect(t.builtins).not.toContain('NativeModule fs/promises');
    },
  );

  it('hands an `aws login` cache due for renewal over to the full bundle', async () => {
    await loginCache(60_000);
    const t = await traced(['env', '--profile', 'console'], { AWS_ENDPOINT_URL_SIGNIN: 'http://127.0.0.1:9' });
    expect(t.files).toContain('dist/full/full-entry.js');
    expect(t.code).not.toBe(0);
  });

  it('loads only dist/entry.cjs for a TAB press after --profile (complete)', async () => {
    const t = await traced(['complete', '--', 'env', '--profile', 'st']);
    expect({ code: t.code, stdout: t.stdout, stderr: t.stderr }).toEqual({ code: 0, stdout: 'static\t\n:4\n', stderr: '' });
    expect(t.files).toEqual(['bin/awskeys.js', 'dist/entry.cjs']);
  });

  it.each([[['--help']], [['-h']], [['help', 'env']], [['iam', 'create', '--help']]])(
    'loads only dist/entry.cjs and dist/help.cjs for %j: no commander, nothing of the full program',
    async (argv) => {
      const t = await traced(argv);
      expect([t.code, t.stderr]).toEqual([0, '']);
      expect(t.stdout).toMatch(/^Usage: awskeys /);
      expect(t.files).toEqual(['bin/awskeys.js', 'dist/entry.cjs', 'dist/help.cjs']);
      expect(await heavyIn(t.files)).toEqual([]);
    },
  );

  it('hands help the model does not cover exactly to commander in the full bundle', async () => {
    const t = await traced(['env', '-p', 'static', '--help']);
    expect([t.code, t.stderr]).toEqual([0, '']);
    expect(t.stdout).toMatch(/^Usage: awskeys env /);
    expect(t.files).toContain('dist/full/full-entry.js');
    expect(await heavyIn(t.files)).toEqual(['commander']);
  });

  it('reads no help model for a command line without a help word', async () => {
    const t = await traced(['--version']);
    expect([t.code, t.stdout, t.stderr]).toEqual([0, '0.1.0\n', '']);
    expect(t.files).not.toContain('dist/help.cjs');
  });

  it('hands a role-cache miss over to the full bundle, which loads the SDK and calls the portal', async () => {
    const t = await traced(['env', '--profile', 'miss']);
    expect(t.stderr).toBe('');
    expect(t.code).toBe(0);
    expect(emulator.calls.GetRoleCredentials).toBe(1);
    expect(t.files).toContain('dist/full/full-entry.js');
    // ...which shows the trace does see these two when they load.
    expect(t.builtins).toEqual(expect.arrayContaining(['NativeModule fs/promises', 'NativeModule crypto']));
    expect(await heavyIn(t.files)).toEqual(expect.arrayContaining(['@aws-sdk', '@smithy']));
  });
});

/**
 * A vault profile in the keychain (src/resolve/kinds/vault.ts, entry.ts rule 5): a cached session
 * is served by dist/entry.cjs and the keychain addon, required as is; nothing of the full program.
 */
needs(...SECRET_SERVICE_TOOLS).describe('a vault profile on the hot path', () => {
  let ss: SecretService;
  beforeAll(async () => {
    ss = await startSecretService();
  }, 30_000);
  afterAll(async () => (ss as SecretService | undefined)?.stop());

  it.each([[['env', '--profile', 'vault']], [['credential-process', '--profile', 'vault']]])('loads dist/entry.cjs and the keychain addon only, for %j with a cached session', async (argv) => {
    await appendFile(env.AWS_CONFIG_FILE ?? '', '\n[profile vault]\ncredential_process = awskeys credential-process --profile vault\nawskeys_vault = keychain\n');
    const session = { accessKeyId: 'ASIAVAULTHIT', secretAccessKey: 's', sessionToken: 't', expiration: new Date(Date.now() + 3600_000).toISOString(), durationSeconds: 3600 };
    const item = JSON.stringify({ version: 1, accessKeyId: 'AKIAVAULTKEY', secretAccessKey: 'k', session });
    const stored = spawnCollecting('secret-tool', ['store', '--label', 'keyring:vault@awskeys', 'service', 'awskeys', 'username', 'vault'], { env: { ...process.env, ...ss.env }, input: item });
    expect((await stored.exited).code).toBe(0);

    const t = await traced(argv, { ...ss.env, AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9' });
    expect(t.stderr).toBe('');
    expect(t.stdout).toContain('ASIAVAULTHIT');
    expect(t.files.filter((f) => !f.includes('node_modules/@napi-rs/'))).toEqual(['bin/awskeys.js', 'dist/entry.cjs']);
    expect(t.files.some((f) => f.includes('node_modules/@napi-rs/keyring'))).toBe(true);
    expect(t.builtins).not.toContain('NativeModule crypto');
  });
});

/** bin/awskeys.js (D33): V8's compile cache where node has one, in the user's cache folder, and silence where it cannot be written. */
describe('node built-ins on the hot path', () => {
  // Without the module trace's hooks, which on Node 20 start a worker that loads streams itself.
  it.each([[['env', '--profile', 'static']], [['credential-process', '--profile', 'dev']]])(
    'creates none of node\'s stdio streams for %j (a status line asking isTTY early made one: a tenth of node -e 0)',
    async (argv) => {
      const log = join(traceDir, 'plain-builtins.log');
      const preload = join(traceDir, 'builtins-only.cjs');
      await writeFile(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(log)}, process.moduleLoadList.join('\\n')));`);
      // The second run: the first may write the code cache (D38) at its exit.
      for (let run = 0; run < 2; run++) {
        const r = await runBuilt(argv, { env: { ...env, NODE_OPTIONS: `--require ${preload}` } });
        expect([r.code, r.stderr]).toEqual([0, '']);
      }
      const builtins = (await readFile(log, 'utf8')).split('\n');
      expect(builtins).toContain('NativeModule fs');
      expect(builtins).not.toContain('NativeModule internal/fs/sync_write_stream');
      expect(builtins).not.toContain('NativeModule stream');
      expect(builtins).not.toContain('NativeModule os');
      // Against an empty script on the same node: only vm (the code cache). Deps.signal's
      // AbortController is made on first use (a hit never uses it), and node:module (the keychain
      // addon's createRequire) is required on first use only: at load it also loaded node's ES
      // module loader, esm/assert and source_map.
      const empty = join(traceDir, 'empty.cjs');
      await writeFile(empty, '');
      const bare = await spawnCollecting(process.execPath, ['--require', preload, empty], { env: { PATH: process.env.PATH } }).exited;
      expect([bare.code, bare.stderr]).toEqual([0, '']);
      const emptyLoads = (await readFile(log, 'utf8')).split('\n');
      expect(builtins.filter((b) => !emptyLoads.includes(b)).sort()).toEqual(['NativeModule vm']);
    },
  );
});

describe('the compile cache', () => {
  // @types/node of Node 20 does not know it: ask the running node.
  const hasNodeCache = typeof (nodeModule as unknown as Record<string, unknown>).enableCompileCache === 'function';
  const cacheEnv = (): Record<string, string> => ({ ...env, XDG_CACHE_HOME: join(home, 'xdg-cache') });
  const compileDir = (): string => join(home, 'xdg-cache', 'awskeys', 'compile');
  const staticEnv = async (extra: Record<string, string | undefined> = {}): Promise<void> => {
    const r = await runBuilt(['env', '--profile', 'static'], { env: { ...cacheEnv(), ...extra }, cwd: home });
    expect(r).toEqual({ code: 0, stderr: '', stdout: expect.stringContaining(`export AWS_ACCESS_KEY_ID='AKIASTATIC'`) as string });
  };

  it('keeps only the lean bundle\'s own code cache after a lean run, in a folder per node version and architecture', async () => {
    await staticEnv();
    expect(await readdir(compileDir())).toEqual([`${process.version}-${process.arch}-vm`]);
  });

  it(
    hasNodeCache
      ? "keeps node's compile cache of the full program after a handover (D33), beside the lean bundle's"
      : 'keeps no cache after a handover on a node without module.enableCompileCache',
    async () => {
      const r = await runBuilt(['--version'], { env: cacheEnv(), cwd: home });
      expect([r.code, r.stderr]).toEqual([0, '']);
      const entries = await readdir(compileDir()).catch(() => []);
      expect(entries.filter((e) => !e.endsWith('-vm')).length > 0).toBe(hasNodeCache);
    },
  );

  describe('the lean bundle\'s V8 code cache (D38)', () => {
    const entry = join(repoRoot, 'dist', 'entry.cjs');
    const vmDir = (): string => join(compileDir(), `${process.version}-${process.arch}-vm`);
    /** The one cache file, after checking that it is the only file there (no temporary file left). */
    const cacheFile = async (): Promise<string> => {
      const files = await readdir(vmDir());
      expect(files).toEqual([expect.stringMatching(/^entry-[0-9a-f]{8}$/)]);
      return join(vmDir(), files[0] ?? '');
    };
    const header = async (): Promise<string> => {
      const { size, mtimeMs } = await stat(entry);
      return `awskeys code cache 1 ${size} ${mtimeMs} ${entry}\n`;
    };

    it('is written by the first lean run, 0600, headed by the bundle\'s path, size and mtime, and then only read', async () => {
      await staticEnv();
      const file = await cacheFile();
      const first = await stat(file);
      expect(first.mode & 0o777).toBe(0o600);
      const data = await readFile(file);
      expect(data.subarray(0, data.indexOf(10) + 1).toString()).toBe(await header());
      expect(data.length).toBeGreaterThan((await header()).length + 1000);
      await staticEnv();
      await staticEnv({ AWS_PROFILE: 'dev' });
      const after = await stat(file);
      expect([after.ino, after.mtimeMs]).toEqual([first.ino, first.mtimeMs]);
    });

    it('is not written by a run that hands over to the full program (it ran little of the lean bundle)', async () => {
      const r = await runBuilt(['--version'], { env: cacheEnv(), cwd: home });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      await expect(readdir(vmDir())).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it.each([[['--help']], [['complete', '--', 'env', '--profile', 's']]])('is not written by %j (a lean run off the hot path: D56); the next hot run writes it', async (argv) => {
      const r = await runBuilt(argv, { env: cacheEnv(), cwd: home });
      expect([r.code, r.stderr]).toEqual([0, '']);
      await expect(readdir(vmDir())).rejects.toMatchObject({ code: 'ENOENT' });
      await staticEnv();
      await cacheFile();
    });

    it.each([
      ['made for another build of the bundle (its header names another mtime)', (h: string) => Buffer.from(h.replace(/ \S+ \//, ' 1 /'))],
      ['with data V8 rejects (the right header, then garbage)', (h: string) => Buffer.concat([Buffer.from(h), Buffer.alloc(5000, 7)])],
      ['cut short (a write that stopped half way)', (h: string, good: Buffer) => Buffer.concat([Buffer.from(h), good.subarray(h.length, h.length + 3000)])],
      ['empty', () => Buffer.alloc(0)],
    ])('is replaced when it is %s, with the same output and nothing said', async (_what, spoil) => {
      await staticEnv();
      const file = await cacheFile();
      const good = await readFile(file);
      await writeFile(file, spoil(await header(), good));
      await staticEnv();
      const now = await readFile(file);
      expect(now.subarray(0, now.indexOf(10) + 1).toString()).toBe(await header());
      expect(now.length).toBeGreaterThan(good.length / 2);
    });

    it('survives eight first runs at once: each reads no cache or a whole one, and one file is left', async () => {
      const runs = await Promise.all(Array.from({ length: 8 }, () => runBuilt(['env', '--profile', 'static'], { env: cacheEnv(), cwd: home })));
      for (const r of runs) expect(r).toEqual({ code: 0, stderr: '', stdout: runs[0]?.stdout });
      await cacheFile();
      const again = await Promise.all(Array.from({ length: 4 }, () => runBuilt(['env', '--profile', 'static'], { env: cacheEnv(), cwd: home })));
      for (const r of again) expect(r).toEqual(runs[0]);
    });

    it('is skipped, with the same output and nothing said, where its place is a folder', async () => {
      await mkdir(join(vmDir(), 'entry-x'), { recursive: true });
      await staticEnv();
      const entries = await readdir(vmDir());
      await staticEnv();
      expect(await readdir(vmDir())).toEqual(entries);
    });
  });

  it.each([
    ['a cache folder that is a file', { XDG_CACHE_HOME: '/dev/null' }],
    // mkdir there answers ENOENT under an existing parent: node's own recursive mkdir never ended.
    ['a cache folder that cannot be made, even by root', { XDG_CACHE_HOME: '/proc/self' }],
    ['no HOME and no XDG_CACHE_HOME', { HOME: undefined, XDG_CACHE_HOME: undefined }],
    ['a relative XDG_CACHE_HOME (ignored, as the XDG spec says)', { XDG_CACHE_HOME: 'relative' }],
  ])('says nothing and gives the same output with %s', async (_what, change) => {
    const r = await runBuilt(['env', '--profile', 'static'], { env: { ...env, ...change }, cwd: home });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`export AWS_ACCESS_KEY_ID='AKIASTATIC'`);
  });
});

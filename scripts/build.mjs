// Bundles awskeys into dist/ in two parts (src/cli/entry.ts explains why, docs/env.md has numbers):
//
// dist/full/     the whole program from src/cli/full-entry.ts, ES modules split into chunks so
//                each lazily imported command, the AWS SDK clients, inquirer and open load only
//                when used.
// dist/entry.cjs the process entry (src/cli/entry.ts) and everything it imports statically, as ONE
//                CommonJS file: `awskeys env` / `credential-process` on a static profile or a
//                role-cache hit load nothing else, and never start node's ES module loader.
//                Inside it every dynamic import() becomes a "handover" that rejects, after which
//                entry.ts runs the command again in dist/full/. node:crypto and node:fs/promises
//                are required on first use only: the lean route needs neither.
// dist/help.cjs  the help of every command (D56): the help model, taken here from the real command
//                table with commander (src/cli/help/help-model.ts), and its renderer, a port of
//                commander's; dist/entry.cjs requires it only for a command line with a help word.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';

const dist = new URL('../dist/', import.meta.url);
await rm(dist, { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  // The SDK's CommonJS builds lose their named exports when code-split; bundle its ESM builds.
  mainFields: ['module', 'main'],
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: { 'full-entry': 'src/cli/full-entry.ts' },
  outdir: 'dist/full',
  format: 'esm',
  splitting: true,
  // Some CommonJS dependencies call require() on node builtins; give the ESM bundle a require.
  banner: { js: "import { createRequire as __awskeysCreateRequire } from 'node:module'; const require = __awskeysCreateRequire(import.meta.url);" },
});

const FULL_ENTRY = './full-entry.js';
// node:module: the keychain addon's createRequire; loading it loads node's ES module loader too.
const LAZY_BUILTINS = ['node:crypto', 'node:fs/promises', 'node:os', 'node:module'];

/** Every dynamic import() but the one of full-entry becomes a module that throws the handover. */
const handover = {
  name: 'handover',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      if (args.path === FULL_ENTRY) return { path: './full/full-entry.js', external: true };
      return { path: args.path, namespace: 'handover' };
    });
    b.onLoad({ filter: /.*/, namespace: 'handover' }, (args) => ({
      // HANDOVER in src/cli/commands/env-fast-path.ts
      contents: `throw Object.assign(new Error(${JSON.stringify(`handover: ${args.path}`)}), { [Symbol.for('awskeys.handover')]: true });`,
      loader: 'js',
    }));
  },
};

// Reads the lean route does through node:fs/promises, done with the synchronous calls instead:
// loading fs/promises and starting libuv's thread pool for two small files cost about a tenth of
// node's start-up time, and the lean route has nothing else to do while it waits. Same arguments, results and error objects
// (code, path, syscall); as async functions, a failure is still a rejection. Everything else
// (writes, open) requires the real module on first use; the lean route hands over before writing.
const SYNC_READS = { 'node:fs/promises': ['readFile', 'readdir', 'stat', 'lstat', 'access'] };

/** `import { createHash } from 'node:crypto'` that requires node:crypto on the first call only. */
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    const filter = new RegExp(`^(${LAZY_BUILTINS.join('|')})$`);
    b.onResolve({ filter }, (args) => (args.kind === 'import-statement' ? { path: args.path, namespace: 'lazy-builtin' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => {
      const mod = createRequire(import.meta.url)(args.path);
      const functions = Object.keys(mod).filter((k) => typeof mod[k] === 'function' && /^[a-z]/.test(k));
      const sync = SYNC_READS[args.path] ?? [];
      return {
        contents: [
          'let mod;',
          `const load = () => (mod ??= require(${JSON.stringify(args.path)}));`,
          ...functions.map((k) =>
            sync.includes(k)
              ? `export const ${k} = async (...a) => require('node:fs').${k}Sync(...a);`
              : `export const ${k} = (...a) => load().${k}(...a);`,
          ),
        ].join('\n'),
        loader: 'js',
      };
    });
  },
};

// The help model of the program as built (help-model.ts throws where the lean renderer would not
// print commander's bytes). tsx runs the TypeScript sources as they are; the commands' actions,
// and with them every import() of theirs, never run here.
const { tsImport } = await import('tsx/esm/api');
const { buildProgram } = await tsImport('../src/cli/main.ts', import.meta.url);
const { helpModelOf } = await tsImport('../src/cli/help/help-model.ts', import.meta.url);
const helpModel = helpModelOf(
  buildProgram(() => {
    throw new Error('the help model runs no command');
  }),
);

const helpBuild = await build({
  ...common,
  metafile: true,
  entryPoints: ['src/cli/help/lean-help.ts'],
  outfile: 'dist/help.cjs',
  format: 'cjs',
  // A JSON text, for JSON.parse: V8 reads that faster than the same data as an object literal.
  define: { __AWSKEYS_HELP_MODEL__: JSON.stringify(JSON.stringify(helpModel)) },
});

/** entry.ts's import of lean-help.ts: a require of dist/help.cjs on the first call, not a copy in the lean bundle. */
const helpChunk = {
  name: 'help-chunk',
  setup(b) {
    b.onResolve({ filter: /\/help\/lean-help\.js$/ }, () => ({ path: 'lean-help', namespace: 'help-chunk' }));
    b.onResolve({ filter: /^\.\/help\.cjs$/ }, (args) => (args.namespace === 'help-chunk' ? { path: './help.cjs', external: true } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'help-chunk' }, () => ({
      // By its absolute path: an install that lost it says which file is missing (src/cli/entry.test.ts).
      contents: "let mod;\nexport const leanHelpText = (...a) => (mod ??= require(__dirname + '/help.cjs')).leanHelpText(...a);",
      loader: 'js',
    }));
  },
};

const leanBuild = await build({
  ...common,
  metafile: true,
  entryPoints: ['src/cli/entry.ts'],
  outfile: 'dist/entry.cjs',
  format: 'cjs',
  // Minified (D57): every shell start reads this file and V8 rebuilds its code cache, so fewer
  // bytes and shorter names are less memory touched; 104 -> 55 KB, and 0.5-0.7 ms less in process
  // on a hit (docs/env.md, "Speed"). Error classes keep no names here (stack traces of the lean
  // route read `class a`); nothing prints or compares them, and dist/full, which runs every other
  // command, is not minified. keepNames would put them back at more page faults than not
  // minifying at all.
  minify: process.env.AWSKEYS_NO_MINIFY !== '1',
  plugins: [handover, lazyBuiltins, helpChunk],
  // import.meta.url is read only to require the vault's native addon relative to this file
  // (src/vault/native-keyring.ts: createRequire, which takes a path as well as a file URL). An
  // injected module making the URL put a call of its init at the top of every bundled module.
  define: { 'import.meta.url': '__filename' },
});

// The lean entry must stay lean: fail the build if a heavy dependency slipped into it, by the files
// esbuild read for it (its metafile). The paths are relative to the real location: with
// node_modules a symlink (a git worktree) one reads `../../../work/main/node_modules/open/...`.
const lean = await readFile(new URL('entry.cjs', dist), 'utf8');
for (const [name, result] of [['entry.cjs', leanBuild], ['help.cjs', helpBuild]]) {
  const inputs = Object.keys(result.metafile.inputs);
  const heavy = ['@aws-sdk', '@smithy', 'commander', '@inquirer', 'open'].filter((pkg) => inputs.some((path) => `/${path}`.includes(`/node_modules/${pkg}/`)));
  if (heavy.length > 0) throw new Error(`dist/${name} must not contain ${heavy.join(', ')}: import them lazily`);
}
// Nor any signal listener: env has nothing to interrupt, so Ctrl-C simply ends it (src/errors/process-signals.ts).
if ('src/errors/process-signals.ts' in leanBuild.metafile.inputs) throw new Error('dist/entry.cjs must not contain src/errors/process-signals.ts: divert signals through Deps');

// ASCII only: one other character makes V8 hold the whole source as a two-byte string, and node
// decode it the slow way (0.16 against 0.21 ms to read it, when a '§' in a comment did it).
// Minified, the bundle keeps no comments, and esbuild escapes strings and regular expressions
// itself; this stays for what a plugin or a banner might add.
const leanLines = lean.split('\n');
const nonAscii = leanLines.findIndex((line) => /[\u0080-\uffff]/.test(line));
if (nonAscii !== -1) throw new Error(`dist/entry.cjs line ${nonAscii + 1} is not ASCII (a comment in the source?): ${leanLines[nonAscii].trim()}`);

// The size budget (issue 19, D34): every byte of dist/entry.cjs is read and compiled on every shell
// start. Code a static profile or a cache hit does not run belongs behind an import() (a handover),
// not here; raise the budget only with the measurement in docs/env.md, "Speed". Unminified it
// was 94.6 KB on 2026-12-07 and 103,000 bytes by 2026-12-08 (the vault and login kinds, no time
// zone, no AbortController on a hit); minified (D57), 54.7 KB that day. AWSKEYS_NO_MINIFY=1
// builds it readable, for reading a stack trace; the budget is then the unminified one.
const LEAN_BUDGET_BYTES = process.env.AWSKEYS_NO_MINIFY === '1' ? 105_000 : 58_000;
if (lean.length > LEAN_BUDGET_BYTES) {
  throw new Error(`dist/entry.cjs is ${lean.length} bytes, over its budget of ${LEAN_BUDGET_BYTES} (scripts/build.mjs): load what the hot path does not run with import()`);
}

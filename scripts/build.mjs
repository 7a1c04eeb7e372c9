// Bundles src/cli/entry.ts into dist/. Code splitting keeps each lazily imported command, the AWS
// SDK clients, inquirer and open in chunks of their own, so `awskeys env` on a cache hit and
// `--help` load only the small entry chunk.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { entry: 'src/cli/entry.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  // Some CommonJS dependencies call require() on node builtins; give the ESM bundle a require.
  banner: { js: "import { createRequire as __awskeysCreateRequire } from 'node:module'; const require = __awskeysCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});

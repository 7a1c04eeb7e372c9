import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, relative } from 'node:path';
import semver from 'semver';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/cli.js';

/**
 * package.json says what awskeys is made of, and it must be true (docs/decisions.md D28): every
 * package in `dependencies` is imported by the program (src/ without its tests), the program
 * imports nothing else, and tests, scripts and emulators import only declared packages.
 */

/**
 * Listed before the code that imports it has landed, with the reason. An entry whose package is
 * imported is stale and fails the check below: remove it then.
 */
const LISTED_AHEAD: Record<string, string> = {};

/** The package a module specifier names (`@aws-sdk/core/client` -> `@aws-sdk/core`), or undefined for relative paths and node's own modules. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || isBuiltin(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The packages one source file imports: import/export from, import(), require(), as TypeScript reads them (comments and strings left out). */
function packagesImportedBy(source: string): string[] {
  const { importedFiles } = ts.preProcessFile(source, true, true);
  return [...new Set(importedFiles.map((f) => packageOf(f.fileName)).filter((p): p is string => p !== undefined))].sort();
}

const root = repoRoot;
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  engines: { node: string };
};
const runtime = Object.keys(manifest.dependencies);
const declared = new Set([...runtime, ...Object.keys(manifest.devDependencies)]);

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mts|js|mjs|cjs)$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

const isTest = (file: string) => file.endsWith('.test.ts');

/** package -> the files that import it. */
function importsOf(files: string[]): Map<string, string[]> {
  const byPackage = new Map<string, string[]>();
  for (const file of files) {
    for (const pkg of packagesImportedBy(readFileSync(join(root, file), 'utf8'))) byPackage.set(pkg, [...(byPackage.get(pkg) ?? []), file]);
  }
  return byPackage;
}

describe('packagesImportedBy', () => {
  it('finds static, type-only, re-exported, dynamic and required imports, by package, and nothing in comments', () => {
    const source = [
      "import { a } from '@scope/pkg/sub/path';",
      "import type { T } from 'types-only';",
      "export { b } from 'reexported';",
      "import 'side-effect';",
      "const c = await import('dynamic');",
      "const d = require('required/lib/x.js');",
      "import { e } from './relative.js';",
      "import { readFile } from 'node:fs/promises';",
      "import { join } from 'path';",
      "// import { f } from 'in-a-comment';",
      "const s = \"import('in-a-string')\";",
    ].join('\n');
    expect(packagesImportedBy(source)).toEqual(['@scope/pkg', 'dynamic', 'reexported', 'required', 'side-effect', 'types-only']);
  });
});

describe('package.json is true', () => {
  const program = importsOf(sources('src').filter((f) => !isTest(f)));

  it('every runtime dependency is imported by src/ (not counting its tests)', () => {
    const unused = runtime.filter((pkg) => !program.has(pkg) && !(pkg in LISTED_AHEAD));
    expect(unused, 'in "dependencies" but imported by nothing in src/: remove it, or move it to devDependencies').toEqual([]);
  });

  it('a package listed ahead of its use is still listed and not yet imported', () => {
    const stale = Object.keys(LISTED_AHEAD).filter((pkg) => program.has(pkg) || !runtime.includes(pkg));
    expect(stale, 'remove these from LISTED_AHEAD in test/dependencies.test.ts').toEqual([]);
  });

  it('src/ imports only packages listed in "dependencies"', () => {
    const undeclared = [...program].filter(([pkg]) => !runtime.includes(pkg));
    expect(Object.fromEntries(undeclared), 'imported by the program but not in "dependencies" (npm install --omit=dev would not install it)').toEqual({});
  });

  it('tests, scripts and emulators import only packages listed in dependencies or devDependencies', () => {
    const rest = importsOf([...sources('src').filter(isTest), ...sources('test'), ...sources('scripts'), ...sources('emulators')]);
    const undeclared = [...rest].filter(([pkg]) => !declared.has(pkg));
    expect(Object.fromEntries(undeclared), 'imported but not declared: it is there only as another package\'s dependency').toEqual({});
  });
});

/**
 * D1: awskeys runs on every node its `engines` admits, so every package it installs at run time
 * must admit them too. The AWS SDK's releases after the first week of January 2027 require Node
 * 22; a lockfile update that takes one fails here, and that change must raise awskeys' own
 * `engines` (D1 says when and why) instead of shipping a tree that breaks on Node 20.
 */
interface LockFile {
  packages: Record<string, { dev?: boolean; engines?: Record<string, string> | string[] }>;
}

/** The run-time packages of a lockfile whose `engines.node` leaves out node `floor`. */
function packagesRefusing(lock: LockFile, floor: string): string[] {
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path !== '' && !entry.dev)
    .flatMap(([path, entry]) => {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      return range !== undefined && !semver.satisfies(floor, range) ? [`${path} (node ${range})`] : [];
    });
}

describe('the installed tree and awskeys engines (D1)', () => {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as LockFile;
  const floor = semver.minVersion(manifest.engines.node)?.version ?? manifest.engines.node;

  it('every run-time package in package-lock.json admits the oldest node awskeys admits (20.17.0)', () => {
    expect(floor).toBe('20.17.0');
    expect(packagesRefusing(lock, floor)).toEqual([]);
  });

  it('names a run-time package that wants a newer node, and not a dev-only one or one without engines', () => {
    const sdkOf2027: LockFile = {
      packages: {
        '': { engines: { node: '>=20.17' } },
        'node_modules/@aws-sdk/client-sts': { engines: { node: '>=22.0.0' } },
        'node_modules/@smithy/core': { engines: { node: '^18.17.0 || >=20.5.0' } },
        'node_modules/vitest': { dev: true, engines: { node: '>=22' } },
        'node_modules/ini': {},
        'node_modules/old-style': { engines: ['node >= 0.8'] },
      },
    };
    expect(packagesRefusing(sdkOf2027, floor)).toEqual(['node_modules/@aws-sdk/client-sts (node >=22.0.0)']);
  });
});

#!/usr/bin/env node
// Tiny launcher: the real program is the bundled entry (npm run build). CommonJS (see
// bin/package.json): an ES module main costs every run about a fifth of node's own start-up
// time in module-loader set-up (docs/env.md, "Speed").
//
// Compiled code is kept in the user's own cache folder ($XDG_CACHE_HOME/awskeys/compile, else
// ~/.cache/awskeys/compile). Never a reason to fail or to say anything: where the folder cannot
// be written (read-only home, no HOME) the run simply compiles.
// - The lean bundle, dist/entry.cjs, on every node: runWithCodeCache keeps a V8 code cache of it
//   itself (D38), written when the run ends, so it holds every function the hot path ran. Node's
//   own compile cache (D33) keeps only what V8 compiled up front, so each run still compiled the
//   lazily compiled functions: measured 1.155x against 1.128x node -e 0 on Node 24 (80 pairs).
// - The full program (dist/full, ES modules), on Node >= 22.1: node's compile cache, switched on
//   at the handover, so the lean path never pays for node:module.
'use strict';
const cacheDir = compileCacheDir(process.env);
// __dirname is absolute and normalized, so its parent plus a plain relative name is what
// path.resolve would give, without node's character loop: the launcher's and the bundle's path
// calls together made V8 compile that loop with Maglev on Node >= 22 (0.85 ms and 31 page
// faults a static hit, mostly that compile; docs/env.md, "Speed").
runWithCodeCache(`${require('node:path').dirname(__dirname)}/dist/entry.cjs`, cacheDir);

/** Switches node's compile cache on (Node >= 22.1) for what is loaded from now on. */
function enableNodeCompileCache() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (cacheDir === undefined || major < 22 || (major === 22 && minor < 1)) return;
  try {
    // Made here first (see makeDirs); node then only adds its own folder inside. Node checks each
    // entry against the source and answers with a status instead of throwing or warning.
    makeDirs(require('node:fs'), cacheDir, 3);
    require('node:module').enableCompileCache(cacheDir);
  } catch {
    // The cache only saves time.
  }
}

function compileCacheDir({ XDG_CACHE_HOME, HOME }) {
  const base = XDG_CACHE_HOME && XDG_CACHE_HOME.startsWith('/') ? XDG_CACHE_HOME : HOME ? `${HOME}/.cache` : undefined;
  return base === undefined ? undefined : `${base}/awskeys/compile`;
}

/**
 * Loads the CommonJS bundle as node's require() would (same wrapper, `require`, `module`,
 * require.cache entry, file name in stack traces), but compiled with vm.Script so V8 can start
 * from the code a previous run compiled (cachedData) instead of parsing and compiling again.
 *
 * The cache file is `<cacheDir>/<node version>-<arch>-vm/entry-<hash of the bundle's path>`: one
 * header line naming the bundle's path, size and mtime, then V8's data. V8 itself rejects data from
 * another V8 or other flags (cachedDataRejected) but checks the source only by its length, so a
 * changed bundle is recognized by the header. A miss writes the cache at exit, when it holds every
 * function the run compiled, and only when the run stayed in this bundle (a handover's lean part
 * is not what the hot path runs): through a temporary file and a rename, so a parallel run reads
 * the old file or the new one, never half of one.
 */
function runWithCodeCache(filename, dir) {
  const fs = require('node:fs');
  const path = require('node:path');
  const vm = require('node:vm');
  // node:module itself (module.constructor is the same class) costs time on Node 20.
  const Module = module.constructor;
  let source;
  let header;
  try {
    // By path, not through a descriptor: node reads a path as UTF-8 in one native call, where a
    // descriptor goes through its JS read loop (alone in a new process, 0.21 against 0.49 ms for
    // the 102 KB bundle; this launcher up to the read, 0.78 against 0.91 ms). The stat comes
    // first, so a header can only name an older file than the source it is written with, never a
    // newer one: a bundle replaced in between (an upgrade) is seen as changed by the next run,
    // which then compiles and writes again.
    const { size, mtimeMs } = fs.statSync(filename);
    header = `awskeys code cache 1 ${size} ${mtimeMs} ${filename}\n`;
    source = fs.readFileSync(filename, 'utf8');
  } catch {
    // Missing or unreadable: node's own require reports it as it always has.
    require('../dist/entry.cjs');
    return;
  }
  const cacheFile = dir === undefined ? undefined : `${dir}/${process.version}-${process.arch}-vm/entry-${fnv1a(filename)}`;
  const cachedData = readCodeCache(fs, cacheFile, header);
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __awskeysImportFull, __awskeysNoCodeCache) {${source}\n})`, {
    filename,
    cachedData,
  });
  const dirname = path.dirname(filename);
  const mod = new Module(filename, module);
  mod.filename = filename;
  // The bundle requires through Module.createRequire's require, which has node_modules paths of its
  // own; these would be read only by module.require, which nothing calls (the handover's importer
  // gets real ones).
  mod.paths = [];
  require.cache[filename] = mod;
  // The cache is written once, so what the first run compiled is what every later run starts from:
  // not by a handover, nor by a lean run off the hot path (help: dist/entry.cjs calls noCodeCache).
  let hotPath = true;
  const noCodeCache = () => {
    hotPath = false;
  };
  // A script compiled with vm cannot import() on these nodes (only behind --experimental-vm-modules):
  // the bundle's handover to the full program goes through this import, compiled by node's own
  // loader as part of dist/entry.cjs, so it resolves and fails exactly as the bundle's own would.
  const importFull = () => {
    hotPath = false;
    enableNodeCompileCache();
    const importer = new Module(filename, module);
    importer.filename = filename;
    importer.paths = Module._nodeModulePaths(dirname);
    importer._compile('module.exports = import("./full/full-entry.js");', filename);
    return importer.exports;
  };
  if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected)) {
    process.once('exit', () => {
      if (hotPath) writeCodeCache(fs, cacheFile, header, script);
    });
  }
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(filename), mod, filename, dirname, importFull, noCodeCache);
  mod.loaded = true;
}

/** The cached data for this bundle, or undefined (none yet, unreadable, or for another bundle). */
function readCodeCache(fs, cacheFile, header) {
  if (cacheFile === undefined) return undefined;
  try {
    const data = fs.readFileSync(cacheFile);
    const end = data.indexOf(10);
    if (end < 0 || data.toString('utf8', 0, end + 1) !== header) return undefined;
    return data.subarray(end + 1);
  } catch {
    return undefined;
  }
}

function writeCodeCache(fs, cacheFile, header, script) {
  const temp = `${cacheFile}.${process.pid}.tmp`;
  try {
    makeDirs(fs, require('node:path').dirname(cacheFile), 4);
    fs.writeFileSync(temp, Buffer.concat([Buffer.from(header, 'utf8'), script.createCachedData()]), { flag: 'wx', mode: 0o600 });
    fs.renameSync(temp, cacheFile);
  } catch {
    try {
      fs.unlinkSync(temp);
    } catch {
      // Nothing was written.
    }
  }
}

/**
 * mkdir -p, at most `levels` folders up. Not fs.mkdirSync's `recursive`: where mkdir answers ENOENT
 * although the parent exists (XDG_CACHE_HOME=/proc/self), node's own loop never ends, on Node 20
 * (mkdirSync) and Node 24 (enableCompileCache) alike. Here each level is tried twice at most.
 */
function makeDirs(fs, dir, levels) {
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
    return;
  } catch (err) {
    if (err.code === 'EEXIST') return;
    if (err.code !== 'ENOENT' || levels === 0) throw err;
  }
  makeDirs(fs, require('node:path').dirname(dir), levels - 1);
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if (err.code !== 'EEXIST') throw err;
  }
}

/** A short, stable name for the bundle's path (32-bit FNV-1a): one cache file per install. */
function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

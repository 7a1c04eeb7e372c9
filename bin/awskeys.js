#!/usr/bin/env node
// Tiny launcher: the real program is the bundled entry (npm run build). CommonJS (see
// bin/package.json): an ES module main costs every run about a fifth of node's own start-up
// time in module-loader set-up (docs/env.md, "Speed").
//
// V8's compile cache (Node >= 22.1, decision D33): the bundles' compiled code is kept in the
// user's own cache folder ($XDG_CACHE_HOME/awskeys/compile, else ~/.cache/awskeys/compile), so
// later runs skip compiling dist/entry.cjs. Node makes the folder, checks each entry against the
// source, and answers with a status instead of throwing or warning when it cannot write there
// (read-only home, no HOME): then the run simply compiles, as on Node 20.
const { enableCompileCache } = require('node:module');
if (typeof enableCompileCache === 'function') {
  const { XDG_CACHE_HOME, HOME } = process.env;
  const base = XDG_CACHE_HOME && XDG_CACHE_HOME.startsWith('/') ? XDG_CACHE_HOME : HOME ? `${HOME}/.cache` : undefined;
  if (base !== undefined) {
    try {
      enableCompileCache(`${base}/awskeys/compile`);
    } catch {
      // Never a reason to fail or to say anything: the cache only saves time.
    }
  }
}
require('../dist/entry.cjs');

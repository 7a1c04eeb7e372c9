#!/usr/bin/env node
// Tiny launcher: the real program is the bundled entry (npm run build). CommonJS (see
// bin/package.json): an ES module main costs every run about a fifth of node's own start-up
// time in module-loader set-up (docs/env.md, "Speed").
require('../dist/entry.cjs');

#!/usr/bin/env node
// Tiny launcher: the real program is the bundled entry (npm run build).
import '../dist/entry.js';

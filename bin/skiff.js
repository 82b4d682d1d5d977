#!/usr/bin/env node
'use strict';
// The `skiff` command: runs the bundle that `npm ci` (prepare) or `npm run build:cli` produces.
const path = require('node:path');
const fs = require('node:fs');

const bundle = path.join(__dirname, '..', 'out', 'cli', 'skiff.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write('skiff: the command is not built yet; run `npm ci` or `npm run build:cli` in the Skiff checkout\n');
  process.exit(1);
}
require(bundle);

#!/usr/bin/env node
// In a checkout with dev dependencies the TypeScript source runs through tsx (never stale);
// in a production install (no tsx) the compiled dist/ runs.
const path = require('node:path');
const fs = require('node:fs');
const src = path.join(__dirname, '..', 'src', 'cli', 'main.ts');
let useSource = false;
if (fs.existsSync(src)) {
  try {
    require.resolve('tsx/cjs');
    useSource = true;
  } catch {
    useSource = false;
  }
}
if (useSource) {
  require('tsx/cjs');
  require(src);
} else {
  require(path.join(__dirname, '..', 'dist', 'cli', 'main.js'));
}

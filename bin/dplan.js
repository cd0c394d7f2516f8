#!/usr/bin/env node
// In a checkout with dev dependencies the TypeScript source runs through tsx (never stale);
// in a production install (no tsx) the compiled dist/ runs.
const path = require('node:path');
const fs = require('node:fs');
const src = path.join(__dirname, '..', 'src', 'cli', 'main.ts');
let useSource = false;
if (fs.existsSync(src)) {
  try {
    require.resolve('tsx');
    useSource = true;
  } catch {
    useSource = false;
  }
}
if (useSource) {
  // A child node with tsx's loader, so that both require() and on-demand import() of .ts work.
  const { spawnSync } = require('node:child_process');
  const result = spawnSync(process.execPath, ['--import', 'tsx', src, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status === null ? 1 : result.status);
} else {
  require(path.join(__dirname, '..', 'dist', 'cli', 'main.js')).run(process.argv);
}

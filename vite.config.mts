/** The tab (React + Fluent UI) built by vite into dist/tab, served by the app at /tab/. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import griffel from '@griffel/vite-plugin';
import react from '@vitejs/plugin-react';
import fs from 'node:fs';
import { defineConfig, transformWithOxc, type Plugin } from 'vite';
import { compression } from 'vite-plugin-compression2';

const here = path.dirname(fileURLToPath(import.meta.url));

const root = path.resolve(here, 'src/tab');

/**
 * Puts src/tab/boot.ts, compiled, inline at the end of every page's head: it runs before the tab's
 * code has loaded. (Placed ahead of the module scripts, it starts the request no sooner: the browser's
 * preload scanner has already asked for the script files by then. Measured, so left here.)
 */
function inlineBoot(): Plugin {
  const file = path.join(root, 'boot.ts');
  return {
    name: 'dplan-inline-boot',
    async transformIndexHtml() {
      const { code } = await transformWithOxc(fs.readFileSync(file, 'utf8'), file, { target: 'es2020' });
      return [{ tag: 'script', children: code, injectTo: 'head' }];
    },
  };
}

export default defineConfig({
  root,
  base: '/tab/',
  // Every built file also as .br (brotli 11) and .gz (gzip 9): the server sends these as they are.
  plugins: [
    inlineBoot(),
    // makeStyles compiled at build time (@griffel/vite-plugin, Griffel's own): the page no longer
    // resolves and serialises the app's style rules in its first render, nor loads the code to. In
    // builds only, as Griffel advises: the dev server keeps its quick start.
    { ...griffel(), apply: 'build' },
    react(),
    compression({ algorithms: ['brotliCompress', 'gzip'], threshold: 1024 }),
  ],
  build: {
    outDir: path.resolve(here, 'dist/tab'),
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: { index: path.join(root, 'index.html'), config: path.join(root, 'config.html'), personal: path.join(root, 'personal.html') },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3978' } },
});

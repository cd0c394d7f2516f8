/**
 * Builds the deployment package App Service runs as it is (SCM_DO_BUILD_DURING_DEPLOYMENT=false):
 *
 *   build/dplan-server.zip   dist/ (server and tab, built once), package.json, package-lock.json and
 *                            node_modules with the production dependencies only
 *
 * Usage:  npm run package:server [-- --out build/dplan-server.zip]
 *
 * Build it on the Node major version and platform the web app runs (Linux x64, Node 22): the native
 * SQLite driver is compiled for the Node that installs it. Deploy with
 *   az webapp deploy -g <rg> -n <app> --src-path build/dplan-server.zip --type zip
 * https://learn.microsoft.com/azure/app-service/deploy-zip
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';

const ROOT = path.resolve(__dirname, '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function npm(args: string[], cwd: string): void {
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
}

export function packageServer(options: { out?: string } = {}): { out: string; bytes: number; files: number } {
  const out = path.resolve(ROOT, options.out ?? path.join('build', 'dplan-server.zip'));
  const staging = `${out.replace(/\.zip$/, '')}-staging`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  // Built straight into the package, so the checkout's dist/ (and anything serving it) is left alone.
  process.stderr.write('Building the server and the tab…\n');
  const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);
  execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json', '--outDir', path.join(staging, 'dist')], { cwd: ROOT, stdio: 'inherit' });
  execFileSync(bin('vite'), ['build', '--outDir', path.join(staging, 'dist', 'tab'), '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  for (const f of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(ROOT, f), path.join(staging, f));
  process.stderr.write('Installing the production dependencies…\n');
  npm(['ci', '--omit=dev', '--no-audit', '--no-fund'], staging);
  const zip = new AdmZip();
  zip.addLocalFolder(staging);
  fs.rmSync(out, { force: true });
  zip.writeZip(out);
  const files = zip.getEntries().filter((e) => !e.isDirectory).length;
  fs.rmSync(staging, { recursive: true, force: true });
  const bytes = fs.statSync(out).size;
  process.stderr.write(
    `Wrote ${path.relative(ROOT, out)}: ${files.toLocaleString('en-GB')} files, ${(bytes / 1024 / 1024).toFixed(1)} MB\n`,
  );
  return { out, bytes, files };
}

if (require.main === module) {
  try {
    packageServer(arg('--out') ? { out: arg('--out')! } : {});
  } catch (err) {
    process.stderr.write(`package:server: ${(err as Error).message}\n`);
    process.exit(1);
  }
}

/** The app package zip: its exact contents, and the `npm run package` command's behaviour. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { MANIFEST_DIR, PACKAGE_FILES, buildAppPackage, pngSize, validateManifest } from '../../scripts/package-app';

const ROOT = path.resolve(__dirname, '..', '..');
const APP_ID = '6b1c2f3e-4a5d-4e6f-8a7b-9c0d1e2f3a4b';
const DOMAIN = 'plan.example-council.gov.uk';

let outDir: string;
beforeEach(() => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-package-'));
});
afterEach(() => {
  fs.rmSync(outDir, { recursive: true, force: true });
});

describe('buildAppPackage', () => {
  it('writes a zip holding exactly manifest.json, color.png and outline.png at its root', () => {
    const result = buildAppPackage({ env: { APP_ID, APP_DOMAIN: DOMAIN }, outDir });
    expect(result.zipPath).toBe(path.join(outDir, 'appPackage.zip'));
    const entries = new AdmZip(result.zipPath).getEntries();
    expect(entries.map((e) => e.entryName).sort()).toEqual([...PACKAGE_FILES].sort());
    expect(entries.every((e) => !e.isDirectory)).toBe(true);
  });

  it('zips the manifest it wrote, valid against the schema, and the committed icons', () => {
    const result = buildAppPackage({ env: { APP_ID, APP_DOMAIN: DOMAIN }, outDir });
    const zip = new AdmZip(result.zipPath);
    const zipped = JSON.parse(zip.readAsText('manifest.json')) as Record<string, unknown>;
    expect(zipped).toEqual(JSON.parse(fs.readFileSync(path.join(outDir, 'appPackage', 'manifest.json'), 'utf8')));
    expect(zipped.id).toBe(APP_ID);
    expect(validateManifest(zipped)).toEqual([]);
    for (const icon of ['color.png', 'outline.png']) {
      const bytes = zip.readFile(icon);
      expect(bytes).not.toBeNull();
      expect((bytes as Buffer).equals(fs.readFileSync(path.join(MANIFEST_DIR, icon)))).toBe(true);
    }
    const color = pngSize(zip.readFile('color.png') as Buffer);
    const outline = pngSize(zip.readFile('outline.png') as Buffer);
    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);
  });

  it('writes nothing when a variable is missing', () => {
    expect(() => buildAppPackage({ env: { APP_DOMAIN: DOMAIN }, outDir })).toThrow(/APP_ID is required/);
    expect(fs.readdirSync(outDir)).toEqual([]);
  });

  it('refuses a package whose icon has the wrong size', () => {
    const manifestDir = path.join(outDir, 'manifest');
    fs.mkdirSync(manifestDir);
    for (const file of ['manifest.template.json', 'color.png'])
      fs.copyFileSync(path.join(MANIFEST_DIR, file), path.join(manifestDir, file));
    // A 192×192 image where the 32×32 outline belongs.
    fs.copyFileSync(path.join(MANIFEST_DIR, 'color.png'), path.join(manifestDir, 'outline.png'));
    expect(() => buildAppPackage({ env: { APP_ID, APP_DOMAIN: DOMAIN }, outDir: path.join(outDir, 'build'), manifestDir })).toThrow(
      /outline\.png is 192×192, must be 32×32/,
    );
    expect(fs.existsSync(path.join(outDir, 'build'))).toBe(false);
  });
});

describe('npm run package (scripts/package-app.ts)', () => {
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  // The child must not see a developer's real APP_ID/CLIENT_ID/APP_DOMAIN/PUBLIC_URL.
  const baseEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir() };

  it('fails with exit code 1 and names the missing variable', () => {
    const run = spawnSync(tsx, ['scripts/package-app.ts', '--out', outDir], { cwd: ROOT, env: baseEnv, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/APP_ID is required/);
    expect(run.stderr).toMatch(/APP_DOMAIN is required/);
    expect(fs.existsSync(path.join(outDir, 'appPackage.zip'))).toBe(false);
  });

  it('--dev builds a clearly marked local package', () => {
    const run = spawnSync(tsx, ['scripts/package-app.ts', '--dev', '--out', outDir], { cwd: ROOT, env: baseEnv, encoding: 'utf8' });
    expect(run.stderr).toMatch(/DEV PACKAGE.*placeholder.*Not for production/);
    expect(run.status).toBe(0);
    const manifest = JSON.parse(new AdmZip(path.join(outDir, 'appPackage.zip')).readAsText('manifest.json')) as {
      id: string;
      validDomains: string[];
    };
    expect(manifest.id).toBe('00000000-0000-0000-0000-000000000000');
    expect(manifest.validDomains).toEqual(['localhost:3978']);
  });

  it('reads variables from --env-file', () => {
    const envFile = path.join(outDir, 'package.env');
    fs.writeFileSync(
      envFile,
      [
        `APP_ID=${APP_ID}`,
        `PUBLIC_URL=https://${DOMAIN}`,
        'APP_VERSION=2.3.4',
        'DEVELOPER_NAME=Example Borough Council',
        'PRIVACY_URL=https://www.example.gov.uk/privacy',
        'TERMS_URL=https://www.example.gov.uk/terms',
        '',
      ].join('\n'),
    );
    const run = spawnSync(tsx, ['scripts/package-app.ts', '--env-file', envFile, '--out', outDir], {
      cwd: ROOT,
      env: baseEnv,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(outDir, 'appPackage', 'manifest.json'), 'utf8')) as {
      version: string;
      validDomains: string[];
      developer: unknown;
    };
    expect(manifest.version).toBe('2.3.4');
    expect(manifest.developer).toEqual({
      name: 'Example Borough Council',
      websiteUrl: `https://${DOMAIN}/tab/`,
      privacyUrl: 'https://www.example.gov.uk/privacy',
      termsOfUseUrl: 'https://www.example.gov.uk/terms',
    });
    expect(manifest.validDomains).toEqual([DOMAIN]);
  });

  it('notes listing details left at their defaults', () => {
    const run = spawnSync(tsx, ['scripts/package-app.ts', '--out', outDir], {
      cwd: ROOT,
      env: { ...baseEnv, APP_ID, APP_DOMAIN: DOMAIN, PRIVACY_URL: 'https://www.example.gov.uk/privacy' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/note: DEVELOPER_NAME, TERMS_URL not set/);
  });

  it('rejects an unknown option', () => {
    const run = spawnSync(tsx, ['scripts/package-app.ts', '--prod'], { cwd: ROOT, env: baseEnv, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/unknown option --prod/);
  });
});

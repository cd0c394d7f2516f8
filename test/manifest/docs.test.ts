/**
 * The deployment guide stays true to the code it tells people to run: the commands and files it
 * names exist, its SSO values are the ones the package builds, and it names every variable the
 * package script reads.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readTemplate, renderTemplate, resolveValues } from '../../scripts/package-app';

const ROOT = path.resolve(__dirname, '..', '..');
const guide = fs.readFileSync(path.join(ROOT, 'docs', 'deployment.md'), 'utf8');

describe('docs/deployment.md', () => {
  it('names files and scripts that exist', () => {
    const paths = [...guide.matchAll(/(?:^|[\s(`])((?:infra|manifest|scripts)\/[\w./-]+\.(?:bicepparam|bicep|sh|ps1|json|md|ts))\b/gm)]
      .map((m) => m[1] as string)
      // Files the reader makes from the examples.
      .filter((p) => !p.includes('.council.'));
    expect(paths.length).toBeGreaterThan(4);
    const missing = [...new Set(paths)].filter((p) => !fs.existsSync(path.join(ROOT, p)));
    expect(missing).toEqual([]);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.package).toBe('tsx scripts/package-app.ts');
    expect(guide).toMatch(/npm run package/);
  });

  it('pre-authorises the two Teams client ids', () => {
    expect(guide).toContain('1fec8e78-bce4-4aaf-ab1b-5451cc387264');
    expect(guide).toContain('5e3ce6c0-2b1f-4285-8d4b-75ee78787346');
    expect(guide).toMatch(/access_as_user/);
  });

  it('tells people to set the Application ID URI the package puts in webApplicationInfo', () => {
    expect(guide).toContain('api://<app-domain>/<client-id>');
    const manifest = renderTemplate(
      readTemplate(),
      resolveValues({ APP_ID: '6b1c2f3e-4a5d-4e6f-8a7b-9c0d1e2f3a4b', APP_DOMAIN: 'a.example.org' }),
    );
    expect((manifest.webApplicationInfo as { resource: string }).resource).toBe('api://a.example.org/6b1c2f3e-4a5d-4e6f-8a7b-9c0d1e2f3a4b');
  });

  it('mentions every variable the package script reads', () => {
    const script = fs.readFileSync(path.join(ROOT, 'scripts', 'package-app.ts'), 'utf8');
    const read = [...new Set([...script.matchAll(/env\.([A-Z_]+)/g)].map((m) => m[1] as string))];
    expect(read.length).toBeGreaterThan(8);
    const unmentioned = read.filter((name) => !guide.includes(name));
    expect(unmentioned).toEqual([]);
  });

  it('walks through every step the issue asks for, in order', () => {
    const steps = [
      'Register the app',
      'Deploy the Azure infrastructure',
      'Sites.Selected',
      'dplan provision',
      'dplan import plan.md',
      'Build the Teams app package',
      'Teams admin centre',
      'Add the Plan tab',
      'Map the leads',
    ];
    const positions = steps.map((s) => guide.indexOf(s));
    expect(positions.filter((p) => p < 0)).toEqual([]);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('pre-authorises every Microsoft 365 client Microsoft lists for Teams SSO, in the portal steps and the CLI script', () => {
    // https://learn.microsoft.com/microsoftteams/platform/tabs/how-to/authentication/tab-sso-register-aad#to-configure-authorized-client-application
    const clients = [
      '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
      '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
      '4765445b-32c6-49b0-83e6-1d93765276ca',
      '0ec893e0-5785-4de6-99da-4ed124e5296c',
      'd3590ed6-52b3-4102-aeff-aad2292ab01c',
      'bc59ab01-8403-45c6-8796-ac3ef710b3e3',
      '27922004-5251-4030-b22d-91ecd9a37ea4',
    ];
    const script = guide.slice(guide.indexOf('PRE=""; for C in'), guide.indexOf('preAuthorizedApplications'));
    for (const id of clients) {
      expect(guide.split(id).length - 1).toBeGreaterThanOrEqual(2);
      expect(script).toContain(id);
    }
  });
});

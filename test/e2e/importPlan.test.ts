/**
 * The tab's plan upload in Debian's Chromium against the real server: a co-ordinator chooses a
 * file on the Settings view, checks it (counts, changes, warnings with their lines), imports it,
 * and a refused file says its line. Found by role and label, audited with axe.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { FixedClock } from '../../src/domain/clock';
import { ensureTabBuilt, launchBrowser, runAxe, serious } from '../support/browser';
import { SHARED_PLAN } from '../support/paths';
import { startTabServer, type TabServer } from './tabHarness';

jest.setTimeout(120_000);

describe('importing a plan file from the tab', () => {
  let server: TabServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    ensureTabBuilt();
    server = await startTabServer({ clock: new FixedClock('2018-09-05T10:00:00Z') });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('checks the file first, then imports it; a plan already held changes nothing', async () => {
    await page.goto(`${server.url}/tab/#/settings`);
    const panel = page.getByTestId('import-plan');
    await panel.waitFor();
    await expect(panel.getByRole('button', { name: 'Check file' }).isDisabled()).resolves.toBe(true);
    await panel.getByLabel('Plan file').setInputFiles(SHARED_PLAN);
    await panel.getByRole('button', { name: 'Check file' }).click();
    const status = panel.getByRole('status');
    await status.waitFor();
    await expect(status.innerText()).resolves.toMatch(
      /prevent-delivery-plan-2018-19\.md: "Prevent Delivery Plan" \(London Borough of Tower Hamlets\), 2018-04-01 to 2019-03-31: 31 items \(24 actions, 7 projects\).*would create 0, update 0 and leave 31 unchanged/,
    );
    await expect(panel.getByRole('heading', { name: '12 warnings' }).isVisible()).resolves.toBe(true);
    await expect(panel.getByRole('listitem').first().innerText()).resolves.toMatch(/^Line 97: /);
    expect(serious(await runAxe(page))).toEqual([]);

    await panel.getByRole('button', { name: 'Import 31 items' }).click();
    await panel.getByText(/^Imported prevent-delivery-plan-2018-19\.md:/).waitFor();
    await expect(status.innerText()).resolves.toMatch(/0 created, 0 updated, 31 unchanged/);
  });

  it('says the line of a file it refuses, and writes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(server.dir, 'upload-'));
    const bad = path.join(dir, 'cut.md');
    const text = fs.readFileSync(SHARED_PLAN, 'utf8');
    fs.writeFileSync(bad, text.slice(0, text.indexOf('Develop a Youth Outreach Plan') + 60));
    const before = JSON.stringify(await server.store.listItems((await server.store.listPlans())[0]!.id));
    const panel = page.getByTestId('import-plan');
    await panel.getByLabel('Plan file').setInputFiles(bad);
    await panel.getByRole('button', { name: 'Check file' }).click();
    const alert = panel.getByRole('alert');
    await alert.waitFor();
    await expect(alert.innerText()).resolves.toBe('cut.md:125: table row has 2 of 6 columns (truncated table? the header is at line 120)');
    await expect(panel.getByRole('button', { name: /^Import/ }).count()).resolves.toBe(0);
    expect(JSON.stringify(await server.store.listItems((await server.store.listPlans())[0]!.id))).toBe(before);
    expect(errors).toEqual([]);
  });
});

/**
 * The reporting cycle in the tab (Debian's Chromium, the real server in local mode): the dashboard
 * "as at" a quarter end, the board pack view (a quarter chosen, the Word download), the Settings
 * view's reporting cycle and schedule, owner roles and deputies in the Directory, and the plan's end.
 */
import fs from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import type { Page } from 'playwright-core';
import { FixedClock } from '../../src/domain/clock';
import { runAxe, serious, waitForDialogClosed } from '../support/browser';
import { useTabBrowser, type TabServer } from './tabHarness';

jest.setTimeout(120_000);
const PLAN = 'london-borough-of-tower-hamlets-prevent-delivery-plan-2018-19';

describe('the reporting cycle in the tab', () => {
  const clock = new FixedClock('2018-10-10T10:00:00Z');
  const tab = useTabBrowser({
    clock,
    prepare: async (server) => {
      const items = await server.store.listItems(PLAN);
      const pmf = items.find((i) => i.title.startsWith('Develop a Performance Management Framework'))!;
      // Amber in Q1, Red in Q2 (with a corrective action), Green after the quarter ended.
      let v = (
        await server.store.updateStatus(PLAN, pmf.key, { to: 'amber', note: 'Scoping', by: 'Pat', at: '2018-06-20T10:00:00Z' }, pmf.version)
      ).version;
      v = (
        await server.store.updateStatus(
          PLAN,
          pmf.key,
          {
            to: 'red',
            note: 'Police data not shared yet',
            correctiveAction: 'Escalated to the CSP chair',
            by: 'Pat',
            at: '2018-09-20T10:00:00Z',
          },
          v,
        )
      ).version;
      await server.store.updateStatus(PLAN, pmf.key, { to: 'green', note: 'Agreement signed', by: 'Pat', at: '2018-10-05T10:00:00Z' }, v);
    },
  });
  let server: TabServer;
  let page: Page;
  beforeEach(async () => {
    server = tab.server;
    ({ page } = await tab.open({ viewport: { width: 1366, height: 900 }, acceptDownloads: true }));
  });

  const open = async (view: string, theme = 'light'): Promise<void> => {
    await page.goto(`${server.url}/tab/?theme=${theme}#/${view}`);
    await page.locator('main#main').waitFor();
  };
  const redCount = () => page.locator('[data-testid="rag-overall"] [data-rag="red"]').innerText();

  it('shows the dashboard as at a quarter end, rebuilt from history, with a quick pick for each quarter end', async () => {
    await open('dashboard');
    await page.getByTestId('dashboard').waitFor();
    await expect(redCount()).resolves.toMatch(/^0\s+Red$/);
    const picks = page.getByRole('group', { name: 'Quarter ends' });
    await expect(picks.getByRole('button').allInnerTexts()).resolves.toEqual([
      'Today',
      'Q1 2018-19 (30 Jun 2018)',
      'Q2 2018-19 (30 Sept 2018)',
    ]);
    await picks.getByRole('button', { name: /Q2 2018-19/ }).click();
    await page.getByText('As at 30 Sept 2018 (rebuilt from the history)').waitFor();
    await expect(redCount()).resolves.toMatch(/^1\s+Red$/);
    await expect(picks.getByRole('button', { name: /Q2 2018-19/ }).getAttribute('aria-pressed')).resolves.toBe('true');
    await picks.getByRole('button', { name: /Q1 2018-19/ }).click();
    await page.getByText('As at 30 Jun 2018 (rebuilt from the history)').waitFor();
    await expect(page.locator('[data-testid="rag-overall"] [data-rag="amber"]').innerText()).resolves.toMatch(/^1\s+Amber$/);
  });

  it('shows the board pack for a chosen quarter and downloads it as a Word document', async () => {
    await open('report');
    const report = page.getByTestId('report');
    await report.waitFor();
    await expect(page.getByLabel('Quarter').inputValue()).resolves.toBe('Q2 2018-19');
    const exceptions = report.getByTestId('exceptions');
    await expect(exceptions.innerText()).resolves.toMatch(
      /Performance Management Framework[\s\S]*Red[\s\S]*Police data not shared yet[\s\S]*Escalated to the CSP chair/,
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download Word (.docx)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${PLAN}-board-pack-q2-2018-19.docx`);
    const file = path.join(server.dir, download.suggestedFilename());
    await download.saveAs(file);
    expect(new AdmZip(fs.readFileSync(file)).readAsText('word/document.xml')).toContain('Escalated to the CSP chair');
    await page.getByLabel('Quarter').selectOption('Q1 2018-19');
    await report.getByText(/Q1 2018-19 \(April to June 2018\): position as at 30 Jun 2018/).waitFor();
    await expect(report.getByTestId('exceptions').innerText()).resolves.toMatch(/Amber[\s\S]*Scoping/);
    const [pub] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Public version (.md)' }).click()]);
    const md = path.join(server.dir, pub.suggestedFilename());
    await pub.saveAs(md);
    expect(fs.readFileSync(md, 'utf8')).not.toContain('Scoping');
  });

  it('sets the reporting cycle in Settings and shows what the bot will send in the coming quarter', async () => {
    await open('settings');
    const schedule = page.getByTestId('schedule');
    await schedule.waitFor();
    await expect(schedule.getByRole('heading').innerText()).resolves.toBe('What the bot will send from 10 Oct 2018 to 8 Jan 2019');
    // The Q3 check-in, 14 days before 31 December: every open item of the Prevent Co-ordinator and the projects.
    await expect(
      schedule.locator('tbody tr', { hasText: '17 Dec 2018' }).filter({ hasText: 'Prevent Co-ordinator' }).innerText(),
    ).resolves.toMatch(/\d+ items: \d+ check-in, \d+ overdue.*\(Q3 2018-19\)/);
    await page.getByLabel('Check-ins').selectOption('monthly');
    await page.getByLabel(/Check-in lead time/).fill('7');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await schedule.locator('tbody tr', { hasText: '24 Oct 2018' }).first().waitFor();
    await expect(schedule.innerText()).resolves.toContain('check-in (October 2018)');
    const bad = await page.evaluate(async (url) => {
      const res = await fetch(url, {
        method: 'PUT',
        // Local mode wants the header the tab sends on every change (src/server/localGuard.ts).
        headers: { 'content-type': 'application/json', 'x-requested-with': 'test' },
        body: JSON.stringify({ reminderOffsets: [7], digestDay: 'mon', digestHour: 9, cadence: 'fortnightly' }),
      });
      return [res.status, ((await res.json()) as { message: string }).message] as const;
    }, `${server.url}/api/plans/${PLAN}/settings`);
    expect(bad).toEqual([400, 'The settings were not saved: The check-in cadence is monthly, quarterly or none']);
  });

  it('shows the owner role like any role, and names a deputy and who is away', async () => {
    await open('directory');
    const row = page.locator('[data-testid="directory-row"]', { hasText: 'Prevent Co-ordinator' }).first();
    await expect(row.innerText()).resolves.toMatch(/Prevent Co-ordinator\s+Answers for the items with no lead\s+16/);
    await row.getByRole('button', { name: 'Edit people for Prevent Co-ordinator' }).click();
    const dialog = page.getByRole('dialog');
    const picker = dialog.getByRole('combobox', { name: 'Find someone' });
    const chosen = (name: string) => dialog.getByTestId('people-chosen').getByRole('listitem').filter({ hasText: name });
    await picker.fill('Pat Prevent <pat@example.gov.uk>');
    await page.getByRole('option', { name: 'Add Pat Prevent (pat@example.gov.uk) by e-mail' }).click();
    await chosen('Pat Prevent').getByRole('checkbox', { name: 'Away' }).check();
    await picker.fill('Dee Deputy <dee@example.gov.uk>');
    await page.getByRole('option', { name: 'Add Dee Deputy (dee@example.gov.uk) by e-mail' }).click();
    await chosen('Dee Deputy').getByRole('checkbox', { name: 'Deputy' }).check();
    await dialog.getByRole('button', { name: 'Save people' }).click();
    await waitForDialogClosed(page, row.getByRole('button', { name: 'Edit people for Prevent Co-ordinator' }));
    await expect(row.innerText()).resolves.toMatch(
      /Pat Prevent \(pat@example\.gov\.uk\)\s*E-mail · away[\s\S]*Deputy: Dee Deputy \(dee@example\.gov\.uk\)/,
    );
    const dir = (await server.store.listDirectory(PLAN)).find((e) => e.role === 'Prevent Co-ordinator')!;
    expect(dir.people.map((p) => [p.name, !!p.away, !!p.deputy])).toEqual([
      ['Pat Prevent', true, false],
      ['Dee Deputy', false, true],
    ]);
    expect(serious(await runAxe(page))).toEqual([]);
  });

  it("says the plan's period has ended instead of calling every item overdue", async () => {
    clock.set('2019-04-15T10:00:00Z');
    try {
      await open('dashboard', 'dark');
      await page.getByTestId('period-ended').waitFor();
      await expect(page.getByTestId('period-ended').innerText()).resolves.toMatch(
        /The plan's period ended on 31 Mar 2019\. \d+ items were not reported Complete by then/,
      );
      await expect(page.getByRole('heading', { name: /^Not completed by the end of the plan \(\d+\)$/ }).count()).resolves.toBe(1);
      await expect(page.getByRole('heading', { name: /^Overdue/ }).count()).resolves.toBe(0);
      expect(serious(await runAxe(page))).toEqual([]);
    } finally {
      clock.set('2018-10-10T10:00:00Z');
    }
  });
});

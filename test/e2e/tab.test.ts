/**
 * The tab in Debian's Chromium against the real server (local mode, SQLite seeded from the shared
 * Prevent plan): the acceptance scenarios of the tab issue and an axe-core audit of every view.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { FixedClock } from '../../src/domain/clock';
import { csvToPlan, xlsxToPlan } from '../../src/import/spreadsheet';
import type { StoredItem } from '../../src/store/planStore';
import { runAxe, serious, waitForCount, waitForDialogClosed } from '../support/browser';
import { useTabBrowser, type TabServer } from './tabHarness';

jest.setTimeout(120_000);

describe('the tab in a browser (local mode)', () => {
  const tab = useTabBrowser({ clock: new FixedClock('2018-09-05T10:00:00Z') });
  let server: TabServer;
  let context: BrowserContext;
  let page: Page;
  beforeEach(async () => {
    server = tab.server;
    ({ context, page } = await tab.open({ viewport: { width: 1366, height: 900 }, acceptDownloads: true }));
  });

  const PLAN = 'london-borough-of-tower-hamlets-prevent-delivery-plan-2018-19';
  const open = async (view = 'plan', theme = 'light'): Promise<void> => {
    await page.goto(`${server.url}/tab/?theme=${theme}#/${view}`);
    await page.locator('main#main').waitFor();
  };
  const ROWS = '[data-testid="item-row"]:not([hidden])';
  const rows = () => page.locator(ROWS);
  /** Waits until the plan shows `n` rows (a filter renders in its input event, a beat after playwright has sent it). */
  const rowCount = (n: number): Promise<number> => waitForCount(page, ROWS, n);
  /** Waits until the plan says it shows `n` of its 31 items (the list renders only the rows near the screen). */
  const showing = (n: number): Promise<void> =>
    page
      .getByTestId('result-count')
      .filter({ hasText: new RegExp(`^Showing ${n} of 31 items`) })
      .waitFor();
  /** The row of the item titled `title`, found with Search (the list renders only the rows near the screen). */
  const find = async (title: string) => {
    await page.getByLabel('Search').fill(title);
    const row = rows().filter({ hasText: title });
    await row.first().waitFor();
    return row;
  };

  it('shows the plan when the opening answer lands between the first render and the effect that loads it', async () => {
    // The boot script's request is held until "Loading the plan…" is on the page (the first render
    // has read the early answer and found none), then let go in the same microtask checkpoint, before
    // React's passive effects run: the answer is in when the effect that loads it runs.
    await page.addInitScript(() => {
      const w = window as unknown as { dplanBoot?: { start?: Promise<unknown> }; dplanHeld?: boolean | 'late' };
      let state: typeof w.dplanBoot;
      Object.defineProperty(window, 'dplanBoot', {
        configurable: true,
        get: () => state,
        set: (boot: NonNullable<typeof w.dplanBoot>) => {
          // The boot script sets `start` (its request) on the object after handing it over.
          let held: Promise<unknown> | undefined;
          Object.defineProperty(boot, 'start', {
            configurable: true,
            get: () => held,
            set: (real: Promise<unknown>) => {
              let answered = false;
              void real.then(() => (answered = true));
              held = new Promise((resolve) => {
                const watch = new MutationObserver(() => {
                  if (!document.body?.innerText.includes('Loading the plan')) return;
                  watch.disconnect();
                  // Answered already (the tab's code waited for it, below): let go in this checkpoint.
                  w.dplanHeld = answered ? true : 'late';
                  resolve(real);
                });
                watch.observe(document, { subtree: true, childList: true, characterData: true });
              });
            },
          });
          state = boot;
        },
      });
    });
    // The tab's code runs once the answer has reached the page, so it is in before the first render.
    const answered = page.waitForResponse((r) => r.url().includes('/api/start')).then((r) => r.finished());
    await page.route('**/tab/assets/index-*.js', async (route) => {
      await answered;
      await route.continue();
    });
    await open();
    await rows().first().waitFor({ timeout: 20_000 });
    await expect(page.evaluate(() => (window as unknown as { dplanHeld?: unknown }).dplanHeld)).resolves.toBe(true);
    await showing(31);
  });

  it('shows the 31 items of the plan in 4 objectives, with the local-mode banner', async () => {
    await open();
    await rows().first().waitFor();
    await expect(page.getByTestId('result-count').innerText()).resolves.toBe(
      'Showing 31 of 31 items (24 actions, 7 projects) in 4 objectives',
    );
    // The list renders the rows near the screen: scrolled to the end, every objective has been shown.
    const headings = new Set<string>();
    for (let y = 0; y < 20 && headings.size < 4; y++) {
      for (const h of await page.locator('[data-testid="objective-group"] h3').allInnerTexts()) headings.add(h);
      await page.mouse.wheel(0, 700);
    }
    expect([...headings].sort()).toEqual([
      expect.stringMatching(/^Objective 1: Target social.*\(6 items\)$/),
      expect.stringMatching(/^Objective 2: .*\(7 items\)$/),
      expect.stringMatching(/^Objective 3: .*\(8 items\)$/),
      expect.stringMatching(/^Objective 4: .*\(10 items\)$/),
    ]);
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect(page.getByTestId('local-mode-banner').innerText()).resolves.toMatch(/Local mode — development identity/);
    await expect(page.title()).resolves.toBe('Plan – Prevent Delivery Plan – London Borough of Tower Hamlets');
    // RAG is text and icon as well as colour.
    await expect(rows().first().locator('[data-rag]').innerText()).resolves.toBe('Not reported');
    await expect(rows().first().locator('[data-rag] svg').count()).resolves.toBe(1);
  });

  it('asks the server for the plan once, while its code is still loading, and opens on it', async () => {
    // The tab's scripts are held until the opening request has reached the server: a tab that asked
    // only once its code had run would never get its scripts, and would show no rows.
    const api: string[] = [];
    let opened!: () => void;
    const openingSent = new Promise<void>((resolve) => (opened = resolve));
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (!url.pathname.startsWith('/api/')) return;
      api.push(`${url.pathname}${url.search}`);
      if (url.pathname === '/api/start') opened();
    });
    await page.route('**/tab/assets/*.js', async (route) => {
      await openingSent;
      await route.continue();
    });
    await open();
    await showing(31);
    expect(api).toEqual(['/api/start?mode=channel']);

    // The configured plan (the channel tab's ?plan=) is the one asked for; an unknown one is said plainly.
    api.length = 0;
    await page.goto(`${server.url}/tab/?plan=${PLAN}#/plan`);
    await showing(31);
    expect(api).toEqual([`/api/start?mode=channel&plan=${PLAN}`]);
    await page.goto(`${server.url}/tab/?plan=no-such-plan#/plan`);
    await page.getByText('The plan "no-such-plan" is not on this server. Reconfigure the tab to choose another plan.').waitFor();

    // An opening answer that is not JSON (a proxy's page, say) is said plainly too.
    await page.route('**/api/start?*', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<html>Signed out</html>' }),
    );
    await page.goto(`${server.url}/tab/#/plan`);
    await page.getByText('The server answered with something other than JSON. Reload the tab.').waitFor();
    await page.unroute('**/api/start?*');
  });

  it('filters by lead "Prevent Co-ordinator" to its 9 actions, and by text, status and due window', async () => {
    await open();
    await page.getByLabel('Lead', { exact: true }).selectOption('Prevent Co-ordinator');
    await expect(rowCount(9)).resolves.toBe(9);
    await expect(page.getByTestId('result-count').innerText()).resolves.toMatch(/^Showing 9 of 31 items \(9 actions, 0 projects\)/);
    await expect(rows().count()).resolves.toBe(9);
    await expect(page.locator('[data-testid="item-row"][data-kind="action"]:not([hidden])').count()).resolves.toBe(9);
    await page.getByLabel('Search').fill('champions');
    await expect(rowCount(1)).resolves.toBe(1);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await showing(31);
    await page.getByLabel('Due', { exact: true }).selectOption('no-date');
    await expect(rowCount(1)).resolves.toBe(1); // "Ongoing": the East London Network
    // The tab's "next 30 days" is the API's: the same items.
    const dueSoon = (await (await fetch(`${server.url}/api/plans/${PLAN}/items?due=next-30`)).json()) as StoredItem[];
    expect(dueSoon.length).toBeGreaterThan(1);
    expect(dueSoon.length).toBeLessThan(31);
    await page.getByLabel('Due', { exact: true }).selectOption('next-30');
    await showing(dueSoon.length);
    await expect(rowCount(dueSoon.length)).resolves.toBe(dueSoon.length);
    expect(await rows().evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')))).toEqual(
      expect.arrayContaining(dueSoon.map((i) => i.key)),
    );
    const dues = await page.locator('[data-testid="item-row"] [data-col="due"]').allInnerTexts();
    expect(dues.every((d) => /Sept 2018|Oct 2018/.test(d))).toBe(true);
  });

  it('sets a status with a note: it shows in the history, on the row and on the dashboard', async () => {
    await open();
    const row = await find('Develop a comprehensive Prevent Communication Strategy');
    await row.getByRole('button').click();
    const detail = page.getByRole('dialog', { name: 'Develop a comprehensive Prevent Communication Strategy' });
    await detail.waitFor();
    await detail.getByRole('radio', { name: 'Amber' }).check();
    await detail.getByLabel(/Note/).fill('Draft strategy with the communications team; sign-off moved to October');
    await detail.getByRole('button', { name: 'Save status' }).click();
    await detail.getByText('Status set to Amber.').waitFor();
    const history = detail.getByTestId('history');
    await history.waitFor();
    await expect(history.getByRole('listitem').count()).resolves.toBe(1);
    await expect(history.innerText()).resolves.toMatch(/Not reported →[\s\S]*Amber[\s\S]*Draft strategy with the communications team/);
    await expect(row.locator('[data-rag]').innerText()).resolves.toBe('Amber');
    await page.keyboard.press('Escape');
    await waitForDialogClosed(page, row.getByRole('button'));

    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Dashboard' }).click();
    const dash = page.getByTestId('dashboard');
    await dash.waitFor();
    await expect(dash.locator('[data-testid="rag-overall"] [data-rag="amber"]').innerText()).resolves.toMatch(/^1\s+Amber$/);
    const objective4 = dash.locator('[data-testid="rag-by-objective"] tbody tr', { hasText: 'Objective 4' });
    await expect(objective4.locator('td').allInnerTexts()).resolves.toEqual(['10', '9', '0', '1', '0', '0']);
    const rec5 = dash.locator('[data-testid="recommendations"] tbody tr', { hasText: 'communications strategy' });
    await expect(rec5.innerText()).resolves.toMatch(/Prevent Communication Strategy\s*Amber/);
    await dash.getByText('Show the trend as a table').click();
    const trendRows = dash.locator('table', { hasText: 'Status of items by week' }).locator('tbody tr');
    await expect(trendRows.last().innerText()).resolves.toMatch(/^3 Sept 2018\s+30\s+0\s+1\s+0\s+0$/);
    // The trend runs across the plan's period so far, not just the week with data.
    await expect(trendRows.count()).resolves.toBeGreaterThan(1);
  });

  it('exports CSV and XLSX downloads that reopen with the same rows', async () => {
    await open();
    const items = (await (await fetch(`${server.url}/api/plans/${PLAN}/items`)).json()) as StoredItem[];
    for (const [label, read] of [
      ['Export CSV', async (file: string) => csvToPlan(fs.readFileSync(file, 'utf8'))],
      ['Export XLSX', async (file: string) => xlsxToPlan(fs.readFileSync(file))],
    ] as const) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: label }).click()]);
      const file = path.join(server.dir, download.suggestedFilename());
      await download.saveAs(file);
      expect(download.suggestedFilename()).toMatch(label === 'Export CSV' ? /\.csv$/ : /\.xlsx$/);
      const plan = await read(file);
      expect(plan.items.map((i) => [i.key, i.title, i.leads, i.milestones, i.status])).toEqual(
        items.map((i) => [i.key, i.title, i.leads, i.milestones, i.status]),
      );
      expect(plan.objectives).toHaveLength(4);
    }
    // Filtered to the Prevent Co-ordinator's 9 actions, the export holds those 9.
    await page.getByLabel('Lead', { exact: true }).selectOption('Prevent Co-ordinator');
    await showing(9);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export shown as CSV' }).click(),
    ]);
    const file = path.join(server.dir, `filtered-${download.suggestedFilename()}`);
    await download.saveAs(file);
    const filtered = csvToPlan(fs.readFileSync(file, 'utf8'));
    expect(filtered.items).toHaveLength(9);
    expect(filtered.items.every((i) => i.leads.includes('Prevent Co-ordinator'))).toBe(true);
  });

  it('follows ?theme=dark, prints the board report light, and works as a configurable tab setup page outside Teams', async () => {
    await open('plan', 'dark');
    await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('dark');
    const bg = await page
      .locator('.fui-FluentProvider')
      .first()
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(bg).not.toBe('rgb(255, 255, 255)');
    // The board report prints on white paper whatever the screen theme, without the buttons.
    await open('report', 'dark');
    await page.getByTestId('report').waitFor();
    await page.emulateMedia({ media: 'print' });
    await expect(
      page
        .locator('.fui-FluentProvider')
        .first()
        .evaluate((el) => getComputedStyle(el).backgroundColor),
    ).resolves.toBe('rgb(255, 255, 255)');
    await expect(page.getByRole('button', { name: 'Print or save as PDF' }).isVisible()).resolves.toBe(false);
    await expect(page.getByRole('navigation', { name: 'Views' }).isVisible()).resolves.toBe(false);
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${server.url}/tab/config.html`);
    await expect(page.getByTestId('config-url').innerText()).resolves.toBe(`${server.url}/tab/?plan=${PLAN}`);
  });

  it('lets the co-ordinator edit an item, and shows the latest version when someone else changed it first', async () => {
    await open();
    const row = await find('Develop a Youth Outreach Plan');
    await row.getByRole('button').click();
    const detail = page.getByTestId('item-detail');
    await detail.getByRole('button', { name: 'Edit item' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit item' });
    await dialog.getByLabel('Title').fill('Develop and publish a Youth Outreach Plan');
    await dialog.getByRole('button', { name: 'Save item' }).click();
    await detail.getByText('Item saved.').waitFor();
    // The detail is given back: the edit dialog gone, its controls reachable by role, focus on "Edit item" again.
    await waitForDialogClosed(page, detail.getByRole('button', { name: 'Edit item' }), dialog);
    await page.getByLabel('Search').fill('Develop and publish a Youth Outreach Plan');
    await expect(rowCount(1)).resolves.toBe(1);

    // Someone else reports on the item (e.g. through the bot) while the page still holds the old version.
    const key = (await rows().first().getAttribute('data-key')) as string;
    const current = (await server.store.getItem(PLAN, key))!;
    await server.store.updateStatus(
      PLAN,
      key,
      { to: 'red', note: 'Reported from Teams chat', by: 'youth@example.gov.uk', at: '2018-09-05T09:00:00Z' },
      current.version,
    );
    await detail.getByRole('radio', { name: 'Green' }).check();
    await detail.getByRole('button', { name: 'Save status' }).click();
    await detail.getByText(/Someone else changed this item/).waitFor();
    await expect(detail.locator('[data-rag]').first().innerText()).resolves.toBe('Red');
    await expect(page.locator(`[data-testid="item-row"][data-key="${key}"] [data-rag]`).innerText()).resolves.toBe('Red');
  });

  it('lets the co-ordinator name people for a lead role in the directory', async () => {
    await open('directory');
    const row = page.locator('[data-testid="directory-row"]', { hasText: 'Counter Extremism Co-ordinator' });
    await expect(row.innerText()).resolves.toMatch(/No one named[\s\S]*Cannot be reached/);
    await row.getByRole('button', { name: 'Edit people for Counter Extremism Co-ordinator' }).click();
    const dialog = page.getByRole('dialog');
    // Local mode has no Graph: someone new is added by e-mail through the picker.
    await dialog.getByRole('combobox', { name: 'Find someone' }).fill('Chris Counter <chris@example.gov.uk>');
    await page.getByRole('option', { name: 'Add Chris Counter (chris@example.gov.uk) by e-mail' }).click();
    await dialog.getByTestId('people-chosen').getByText('Chris Counter').waitFor();
    await dialog.getByRole('button', { name: 'Save people' }).click();
    await waitForDialogClosed(page, row.getByRole('button', { name: 'Edit people for Counter Extremism Co-ordinator' }));
    // Named now, by e-mail only: the bot reaches Chris by e-mail (local mode's outbox), so the role waits for his report.
    await row.getByText('Waiting for a report').waitFor();
    const text = await row.innerText();
    expect(text).toMatch(/Chris Counter \(chris@example\.gov\.uk\)\s*E-mail — no report yet/);
    expect(text).not.toMatch(/cannot be reached/i);
    // Local mode searches the people already in the directory, as you type.
    const other = page.locator('[data-testid="directory-row"]', { hasText: 'Prevent Co-ordinator' }).first();
    await other.getByRole('button', { name: /Edit people/ }).click();
    await page.getByRole('dialog').getByRole('combobox', { name: 'Find someone' }).fill('chris');
    await page.getByRole('option', { name: 'Chris Counter (chris@example.gov.uk)' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await waitForDialogClosed(page, other.getByRole('button', { name: /Edit people/ }));
  });

  it('gives the page back to screen readers, and focus to "Edit item", after the edit dialog closes on a slow CPU', async () => {
    // A busy machine, made repeatable: Chromium runs the page 4 times slower. The tab used to unmount
    // the dialog on a fixed timer, before Fluent had removed aria-hidden from the page, leaving the
    // whole tab hidden from assistive technology.
    await open();
    await (await find('Develop a Performance Management Framework')).getByRole('button').click();
    const detail = page.getByTestId('item-detail');
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const edit = detail.getByRole('button', { name: 'Edit item' });
    for (const close of ['Cancel', 'Save item'] as const) {
      await edit.click();
      const dialog = page.getByRole('dialog', { name: 'Edit item' });
      await dialog.getByLabel('Description').fill(`Described before ${close}`);
      await dialog.getByRole('button', { name: close }).click();
      await waitForDialogClosed(page, edit, dialog);
      await expect(detail.getByRole('radio').count()).resolves.toBe(4);
    }
    // And the whole tab once the detail has closed too.
    await page.keyboard.press('Escape');
    await waitForDialogClosed(page, rows().first().getByRole('button'));
    await expect(page.locator('#root').getAttribute('aria-hidden')).resolves.toBeNull();
    await cdp.detach();
  });

  it('picks up answers given elsewhere (the bot) when the tab comes back into view', async () => {
    await open();
    const row = await find('Develop a Performance Management Framework for Prevent');
    await expect(row.locator('[data-rag]').innerText()).resolves.toBe('Not reported');
    const key = (await row.getAttribute('data-key')) as string;
    const item = (await server.store.getItem(PLAN, key))!;
    await server.store.updateStatus(
      PLAN,
      key,
      { to: 'green', by: 'pat@example.gov.uk', at: '2018-09-05T09:30:00Z', note: 'From the Teams card' },
      item.version,
    );
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await row.locator('[data-rag="green"]').waitFor();
  });

  it('opens the item a link names (?item=)', async () => {
    const items = (await (await fetch(`${server.url}/api/plans/${PLAN}/items?q=champions`)).json()) as StoredItem[];
    await page.goto(`${server.url}/tab/?theme=light&item=${items[0]!.key}`);
    await expect(page.getByTestId('item-detail').getByRole('heading', { level: 2 }).innerText()).resolves.toMatch(/Prevent Champions/);
  });

  it('falls back to local mode when framed by a page that is not Teams (teams-js initialise times out after 15 s)', async () => {
    // A page of the app's own origin (CSP frame-ancestors lets only Teams, Microsoft 365 and the app itself frame the tab).
    const host = `${server.url}/framing-test-page`;
    await page.route(host, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><title>host</title><iframe title="tab" src="${server.url}/tab/?theme=light" style="width:1200px;height:800px"></iframe>`,
      }),
    );
    await page.goto(host);
    const frame = page.frameLocator('iframe');
    // Framed, it may be a slow Teams client: up to 15 s, saying so meanwhile, then local mode.
    await frame.getByRole('status').getByText('Connecting to Microsoft Teams…').waitFor();
    await frame.getByTestId('local-mode-banner').waitFor({ timeout: 30_000 });
    await frame
      .getByTestId('result-count')
      .filter({ hasText: /^Showing 31 of 31 items/ })
      .waitFor();
    await expect(frame.locator('[data-testid="item-row"]').count()).resolves.toBeGreaterThan(0);
    await page.unroute(host);
  });

  it('cannot be framed by another site (clickjacking)', async () => {
    // Chromium says why it refused the frame: the CSP frame-ancestors directive.
    const refusal = page.waitForEvent('console', { predicate: (m) => /frame-ancestors/.test(m.text()), timeout: 15_000 });
    await page.setContent(`<iframe title="tab" src="${server.url}/tab/?theme=light" style="width:1200px;height:800px"></iframe>`);
    expect((await refusal).text()).toMatch(
      /violates the following Content Security Policy directive: "frame-ancestors [^"]*https:\/\/teams\.microsoft\.com[^"]*"\. The request has been blocked/,
    );
    const frame = page.frames().find((f) => f !== page.mainFrame());
    const rendered = frame
      ? await frame
          .locator('[data-testid="item-row"]')
          .count()
          .catch(() => 0)
      : 0;
    expect(rendered).toBe(0);
  });

  it('shows a lead only the actions a lead has: report on their own items, no export or edit', async () => {
    await server.store.setPeople(PLAN, 'Communications Manager', [
      { id: 'casey@example.gov.uk', name: 'Casey Comms', email: 'casey@example.gov.uk' },
    ]);
    // Local mode: X-Dev-User makes the tab's requests act as that person.
    await page.setExtraHTTPHeaders({ 'x-dev-user': 'casey@example.gov.uk' });
    await open();
    await rows().first().waitFor();
    await expect(page.locator('header').innerText()).resolves.toMatch(/Lead: Communications Manager/);
    await expect(page.getByRole('button', { name: 'Export CSV' }).count()).resolves.toBe(0);
    await (await find('Prevent Communication Strategy')).getByRole('button').click();
    await page
      .getByTestId('item-detail')
      .getByRole('heading', { level: 2, name: /Prevent Communication Strategy/ })
      .waitFor();
    await expect(page.getByTestId('status-form').count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: 'Edit item' }).count()).resolves.toBe(0);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await (await find('Elected Members')).getByRole('button').click();
    await page.getByText('Only this item’s leads or a co-ordinator can report its status.').waitFor();
    await expect(page.getByTestId('status-form').count()).resolves.toBe(0);

    // The personal "My actions" tab lists what Casey leads, and reports from there.
    await page.goto(`${server.url}/tab/personal.html?theme=light`);
    const mine = page.getByTestId('my-actions');
    await mine.waitFor();
    await expect(mine.locator('[data-testid="item-row"]').allInnerTexts()).resolves.toEqual([
      expect.stringMatching(/^Develop a comprehensive Prevent Communication Strategy/),
    ]);
    await mine.getByRole('button', { name: /Prevent Communication Strategy/ }).click();
    await page.getByTestId('item-detail').getByRole('radio', { name: 'Green' }).check();
    await page.getByTestId('item-detail').getByRole('button', { name: 'Save status' }).click();
    await page.getByText('Status set to Green.').waitFor();
    await expect(mine.locator('[data-testid="item-row"] [data-rag]').innerText()).resolves.toBe('Green');
  });

  describe('axe-core audit (WCAG 2.2 AA): no serious or critical violations', () => {
    for (const theme of ['light', 'dark', 'contrast']) {
      it(`every view in the ${theme} theme`, async () => {
        const found: Record<string, unknown> = {};
        for (const view of ['plan', 'dashboard', 'directory', 'settings', 'report']) {
          await open(view, theme);
          await page.waitForSelector('main h2');
          if (view === 'plan') {
            await rows().first().getByRole('button').click();
            await page.getByTestId('item-detail').waitFor();
            await page.getByRole('button', { name: 'Edit item' }).click();
            await page.getByRole('dialog', { name: 'Edit item' }).waitFor();
            const inDialog = serious(await runAxe(page));
            if (inDialog.length) found['edit dialog'] = inDialog;
            await page.getByRole('button', { name: 'Cancel' }).click();
            await waitForDialogClosed(
              page,
              page.getByRole('button', { name: 'Edit item' }),
              page.getByRole('dialog', { name: 'Edit item' }),
            );
            const inDetail = serious(await runAxe(page));
            if (inDetail.length) found['item detail'] = inDetail;
            await page.keyboard.press('Escape');
            await waitForDialogClosed(page, rows().first().getByRole('button'));
          }
          if (view === 'dashboard') await page.getByText('Show the trend as a table').click();
          if (view === 'directory') {
            const opener = page.getByRole('button', { name: /^Edit people for/ }).first();
            await opener.click();
            await page.getByRole('dialog').getByRole('combobox', { name: 'Find someone' }).fill('pat@partner.org');
            await page.getByRole('option', { name: 'Add pat@partner.org by e-mail' }).waitFor();
            const inDialog = serious(await runAxe(page));
            if (inDialog.length) found['people dialog'] = inDialog;
            await page.keyboard.press('Escape');
            await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
            await waitForDialogClosed(page, opener);
          }
          const bad = serious(await runAxe(page));
          if (bad.length) found[view] = bad;
        }
        await page.goto(`${server.url}/tab/config.html?theme=${theme}`);
        await page.getByTestId('config-url').waitFor();
        const bad = serious(await runAxe(page));
        if (bad.length) found.config = bad;
        await page.goto(`${server.url}/tab/personal.html?theme=${theme}`);
        await page.getByTestId('my-actions').waitFor();
        const personal = serious(await runAxe(page));
        if (personal.length) found.personal = personal;
        expect(found).toEqual({});
      });
    }
  });
});

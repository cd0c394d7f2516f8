/**
 * The other views on a phone (375×667) and a laptop (1280×800), in the three Teams themes, and at
 * 320 px (WCAG's reflow width, light theme): the
 * Dashboard, the Directory (with its people picker open), Settings and the Board pack fit the screen
 * (the document is exactly as wide as the viewport) and axe (WCAG 2.2 AA) finds nothing serious.
 * The Plan, the detail and My actions are in tabLayout.test.ts.
 *
 * Then what a co-ordinator does there: opens an item from the dashboard (and comes back), finds a
 * person with the people picker and adds them, adds an external partner by e-mail (kept as
 * mailto:<address>), and meets a Settings error in plain words beside its field.
 */
import type { Page } from 'playwright-core';
import { FixedClock } from '../../src/domain/clock';
import { runAxe, serious, waitForDialogClosed, waitForFocus, waitUntil } from '../support/browser';
import { useTabBrowser, type TabServer } from './tabHarness';

jest.setTimeout(240_000);

const THEMES = ['light', 'dark', 'contrast'] as const;
const SIZES: ReadonlyArray<{ name: string; width: number; height: number; phone: boolean; themes: readonly (typeof THEMES)[number][] }> = [
  { name: 'phone', width: 375, height: 667, phone: true, themes: THEMES },
  { name: 'laptop', width: 1280, height: 800, phone: false, themes: THEMES },
  { name: 'small phone', width: 320, height: 568, phone: true, themes: ['light'] },
];

describe('every view at phone and laptop sizes, in the three Teams themes', () => {
  const tab = useTabBrowser({
    clock: new FixedClock('2018-09-05T10:00:00Z'),
    prepare: async (server) => {
      // Someone already in the directory, for the people picker to find in local mode.
      const [plan] = await server.store.listPlans();
      await server.store.setPeople(plan!.id, 'Community Safety Manager', [
        { id: 'local:sam-safety', name: 'Sam Safety', email: 'sam@example.gov.uk' },
      ]);
      // Reports from the day before: two Red and an Amber in objective 1, a Red in objective 2.
      const items = await server.store.listItems(plan!.id);
      const inObjective = (n: number) => items.filter((i) => i.objectives.includes(n));
      const reports = [
        [inObjective(1)[0]!, 'red'],
        [inObjective(1)[1]!, 'red'],
        [inObjective(1)[2]!, 'amber'],
        [inObjective(2).find((i) => !i.objectives.includes(1))!, 'red'],
      ] as const;
      for (const [item, to] of reports) {
        await server.store.updateStatus(
          plan!.id,
          item.key,
          { to, note: 'Reported', by: 'lead@example.gov.uk', at: '2018-09-04T09:00:00Z' },
          item.version,
        );
      }
    },
  });
  let server: TabServer;
  let page: Page;
  beforeAll(() => {
    server = tab.server;
  });

  const width = (): Promise<{ document: number; viewport: number }> =>
    page.evaluate(() => ({ document: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth }));

  for (const size of SIZES) {
    for (const theme of size.themes) {
      it(`${size.name} ${size.width}×${size.height}, ${theme}: Dashboard, Directory, Settings and Board pack fit and pass axe`, async () => {
        ({ page } = await tab.open({ viewport: { width: size.width, height: size.height } }));
        const found: Record<string, unknown> = {};
        const wide: Record<string, unknown> = {};
        /** `modal`: a dialog is open and the page behind it is scroll-locked (its scroll bar gone): nothing may stick out. */
        const check = async (what: string, modal = false): Promise<void> => {
          const w = await width();
          const fits = modal
            ? w.document <= w.viewport && w.viewport === size.width
            : w.document === size.width && w.viewport === size.width;
          if (!fits) {
            // Name what sticks out, so that a failure says where to look.
            wide[what] = {
              ...w,
              widest: await page.evaluate((limit) => {
                const out: string[] = [];
                for (const el of Array.from(document.querySelectorAll('body *'))) {
                  const r = el.getBoundingClientRect();
                  if (r.right > limit + 0.5 && out.length < 5)
                    out.push(`${el.tagName.toLowerCase()}.${String(el.className).slice(0, 40)} ${Math.round(r.right)}`);
                }
                return out;
              }, size.width),
            };
          }
          const bad = serious(await runAxe(page));
          if (bad.length) found[what] = bad.map((v) => ({ id: v.id, nodes: v.nodes.slice(0, 3).map((n) => n.target) }));
        };

        await page.goto(`${server.url}/tab/?theme=${theme}#/dashboard`);
        await page.getByTestId('trend-chart').waitFor();
        await page.getByText('Show the trend as a table').click();
        await page.getByRole('table', { name: "Status of items by week (the chart's data)" }).waitFor();
        await check('dashboard');

        await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Directory' }).click();
        await page.getByTestId('directory-row').first().waitFor();
        await check('directory');
        // Every state pill ("Cannot be reached" the longest) holds its words: nothing spills out of it or off the screen.
        const spilt = await page
          .locator('[data-testid="directory-row"] .fui-Badge')
          .evaluateAll(
            (pills, limit) =>
              pills
                .filter(
                  (p) =>
                    p.scrollWidth > p.clientWidth + 1 || p.scrollHeight > p.clientHeight + 1 || p.getBoundingClientRect().right > limit,
                )
                .map((p) => p.textContent),
            size.width,
          );
        expect(spilt).toEqual([]);
        await page.locator('[data-testid="directory-row"] .fui-Badge', { hasText: 'Cannot be reached' }).first().waitFor();
        const opener = page.getByRole('button', { name: /^Edit people for/ }).first();
        await opener.click();
        const dialog = page.getByRole('dialog');
        await dialog.getByRole('combobox', { name: 'Find someone' }).fill('sam');
        await page.getByRole('listbox').getByRole('option').first().waitFor();
        await check('people picker', true);
        await page.keyboard.press('Escape');
        await dialog.getByRole('button', { name: 'Cancel' }).click();
        await waitForDialogClosed(page, opener);

        await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Settings' }).click();
        await page.getByTestId('settings').waitFor();
        await page.getByRole('button', { name: 'Save settings' }).waitFor();
        await check('settings');

        await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Board report' }).click();
        await page.getByTestId('report').waitFor();
        await check('board pack');

        expect({ wide, found }).toEqual({ wide: {}, found: {} });
      });
    }
  }

  describe('acting from these views (laptop, light)', () => {
    beforeEach(async () => {
      ({ page } = await tab.open({ viewport: { width: 1280, height: 800 } }));
    });

    it('opens an overdue, upcoming, output or recommendation item from the dashboard in the detail, and closing it comes back', async () => {
      await page.goto(`${server.url}/tab/#/dashboard`);
      const dash = page.getByTestId('dashboard');
      await dash.waitFor();
      for (const list of ['overdue', 'upcoming', 'outputs', 'recommendations']) {
        const link = dash.getByTestId(list).locator('a[data-item-link]').first();
        const key = await link.getAttribute('data-item-link');
        const title = (await link.innerText()).trim();
        await expect(link.getAttribute('href')).resolves.toBe(`#/plan/${encodeURIComponent(key!)}`);
        await link.click();
        const detail = page.getByRole('dialog', { name: title });
        await detail.getByRole('heading', { level: 2, name: title }).waitFor();
        await expect(page.evaluate(() => window.location.hash)).resolves.toBe(`#/plan/${encodeURIComponent(key!)}`);
        await page.keyboard.press('Escape');
        await detail.waitFor({ state: 'detached' });
        await dash.waitFor();
        await expect(page.evaluate(() => window.location.hash)).resolves.toBe('#/dashboard');
      }
      // The status tiles carry an icon and their name, and every bar its week's date.
      await expect(dash.locator('[data-testid="rag-overall"] [data-rag="red"]').innerText()).resolves.toMatch(/^\d+\s+Red$/);
      await expect(dash.locator('[data-testid="rag-overall"] [data-rag="red"] svg').count()).resolves.toBe(1);
      const labels = await page.getByTestId('trend-chart').locator('text').allTextContents();
      expect(labels).toContain('3 Sept');
      expect(labels.join(' ')).not.toMatch(/W\d/);
    });

    it('shows the items a status tile or count stands for in the Plan, and keeps those filters in the address', async () => {
      await page.goto(`${server.url}/tab/#/dashboard`);
      const dash = page.getByTestId('dashboard');
      const red = dash.locator('[data-testid="rag-overall"] [data-rag="red"] a');
      await expect(red.getAttribute('href')).resolves.toBe('#/plan?status=red');
      const tileCount = Number((await red.innerText()).match(/^\d+/)![0]);
      expect(tileCount).toBe(3);
      // A count of nothing shows nothing: no link.
      await expect(dash.locator('[data-testid="rag-overall"] [data-rag="complete"] a').count()).resolves.toBe(0);
      await red.click();
      const count = page.getByTestId('result-count');
      await count.getByText(/^Showing 3 of \d+ items/).waitFor();
      await expect(page.getByTestId('filter-status').inputValue()).resolves.toBe('red');
      await expect(page.evaluate(() => window.location.hash)).resolves.toBe('#/plan?status=red');

      // An item opened from the filtered list comes back to it.
      const row = page.getByTestId('item-row').first();
      await row.getByRole('button').first().click();
      const detail = page.getByRole('dialog');
      await detail.waitFor();
      await expect(page.evaluate(() => window.location.hash)).resolves.toMatch(/^#\/plan\/[^?]+\?status=red$/);
      await page.keyboard.press('Escape');
      await detail.waitFor({ state: 'detached' });
      await expect(page.evaluate(() => window.location.hash)).resolves.toBe('#/plan?status=red');
      await count.getByText(/^Showing 3 of /).waitFor();

      // The address follows the filters once they settle, so a reload shows the same list.
      const word = (await row.getByRole('button').first().innerText()).trim().split(/\s+/)[0]!.toLowerCase();
      await page.getByLabel('Search').fill(word);
      await page.waitForFunction((w) => window.location.hash === `#/plan?status=red&q=${w}`, word);
      const narrowed = await count.innerText();
      expect(narrowed).toMatch(/^Showing [123] of /);
      await page.reload();
      await count.getByText(narrowed).waitFor();
      await expect(page.getByLabel('Search').inputValue()).resolves.toBe(word);
      await expect(page.getByTestId('filter-status').inputValue()).resolves.toBe('red');

      // An item opened at once after typing (before the address has followed) comes back to that list too.
      const shorter = word.slice(0, -1);
      await page.getByLabel('Search').fill(shorter);
      await page.getByTestId('item-row').first().getByRole('button').first().click();
      await detail.waitFor();
      // However long the item stays open (past the moment the address would have followed the list)…
      await page.waitForFunction((q) => window.location.hash.endsWith(`?status=red&q=${q}`), shorter);
      await page.keyboard.press('Escape');
      await detail.waitFor({ state: 'detached' });
      await page.waitForFunction(() => window.location.hash.startsWith('#/plan?'));
      await expect(page.evaluate(() => window.location.hash)).resolves.toBe(`#/plan?status=red&q=${shorter}`);
      await expect(page.getByLabel('Search').inputValue()).resolves.toBe(shorter);

      // Back returns to the dashboard: filter changes replaced the entry, they added no steps.
      await page.goBack();
      await dash.waitFor();
      await expect(page.evaluate(() => window.location.hash)).resolves.toBe('#/dashboard');

      // A count by objective and status, and an objective's total, show those items.
      const byObjective = dash.getByTestId('rag-by-objective');
      await byObjective.getByRole('link', { name: '2 Red in objective 1' }).click();
      await count.getByText(/^Showing 2 of /).waitFor();
      await expect(page.getByTestId('filter-objective').inputValue()).resolves.toBe('1');
      await expect(page.getByTestId('filter-status').inputValue()).resolves.toBe('red');
      await expect(page.evaluate(() => window.location.hash)).resolves.toBe('#/plan?objective=1&status=red');
      // The view's own link shows the whole plan, and Back the filtered list again, search text too.
      await page.getByLabel('Search').fill('youth');
      await page.waitForFunction(() => window.location.hash === '#/plan?objective=1&status=red&q=youth');
      await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Plan' }).click();
      await count.getByText(/^Showing (\d+) of \1 items/).waitFor();
      await expect(page.getByLabel('Search').inputValue()).resolves.toBe('');
      await expect(page.getByTestId('filter-objective').inputValue()).resolves.toBe('');
      await page.goBack();
      await expect(page.evaluate(() => window.location.hash)).resolves.toBe('#/plan?objective=1&status=red&q=youth');
      await page.waitForFunction(() => document.querySelector<HTMLInputElement>('input[data-testid="filter-text"]')?.value === 'youth');
      await expect(page.getByTestId('filter-objective').inputValue()).resolves.toBe('1');
      await page.goBack();
      await byObjective.getByRole('link', { name: /^\d+ items in objective 2$/ }).click();
      await expect(page.getByTestId('filter-objective').inputValue()).resolves.toBe('2');
      await expect(page.getByTestId('filter-status').inputValue()).resolves.toBe('');

      // As at another day the figures are history: nothing links to today's Plan.
      await page.goto(`${server.url}/tab/#/dashboard`);
      await dash.getByTestId('as-at').fill('2018-09-04');
      await dash
        .getByTestId('as-at-line')
        .getByText(/^As at 4 Sept 2018/)
        .waitFor();
      await expect(dash.locator('[data-testid="rag-overall"] [data-rag="red"]').innerText()).resolves.toMatch(/^3\s+Red$/);
      await expect(dash.locator('[data-testid="rag-overall"] a, [data-testid="rag-by-objective"] a').count()).resolves.toBe(0);
    });

    it('finds a person with the picker and adds them; keeps an external partner added by e-mail', async () => {
      await page.goto(`${server.url}/tab/#/directory`);
      const row = page.locator('[data-testid="directory-row"]', { hasText: 'Counter Extremism Co-ordinator' });
      const opener = row.getByRole('button', { name: 'Edit people for Counter Extremism Co-ordinator' });
      await opener.click();
      const dialog = page.getByRole('dialog', { name: 'People for Counter Extremism Co-ordinator' });
      const picker = dialog.getByRole('combobox', { name: 'Find someone' });
      await picker.pressSequentially('sa');
      await page.getByRole('option', { name: 'Sam Safety (sam@example.gov.uk)' }).click();
      await dialog.getByTestId('people-chosen').getByText('Sam Safety').waitFor();
      await expect(picker.inputValue()).resolves.toBe('');
      await picker.fill('Ria Partner <Ria@Partner.org>');
      await page.getByRole('option', { name: 'Add Ria Partner (ria@partner.org) by e-mail' }).click();
      await dialog.getByTestId('people-chosen').getByText('Ria Partner').waitFor();
      await dialog.getByRole('button', { name: 'Save people' }).click();
      await waitForDialogClosed(page, opener);
      await row.getByText('Sam Safety').waitFor();
      await expect(row.locator('[data-person="mailto:ria@partner.org"]').innerText()).resolves.toMatch(
        /^Ria Partner \(ria@partner\.org\)\s*E-mail/,
      );
      const [plan] = await server.store.listPlans();
      const entry = (await server.store.listDirectory(plan!.id)).find((e) => e.role === 'Counter Extremism Co-ordinator');
      expect(entry?.people).toEqual([
        { id: 'local:sam-safety', name: 'Sam Safety', email: 'sam@example.gov.uk' },
        { id: 'mailto:ria@partner.org', name: 'Ria Partner', email: 'ria@partner.org' },
      ]);
      // Kept: after a reload the partner is still there, with the badge.
      await page.reload();
      await row.locator('[data-person="mailto:ria@partner.org"]').getByTestId('email-badge').waitFor();
    });

    it('shows a Settings error in plain words beside its field, described by it, with focus on it', async () => {
      await page.goto(`${server.url}/tab/#/settings`);
      const lead = page.getByLabel(/Check-in lead time/);
      await lead.fill('99');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('The settings were not saved: check the field marked below.').waitFor();
      await waitForFocus(lead);
      await expect(lead.getAttribute('aria-invalid')).resolves.toBe('true');
      // The field's message is what the control is described by (read with it), in words: no field names.
      const described = await lead.evaluate((el) =>
        (el.getAttribute('aria-describedby') ?? '')
          .split(' ')
          .map((id) => document.getElementById(id)?.textContent ?? '')
          .join(' '),
      );
      expect(described).toContain('The check-in lead time is at most 60 days');
      expect(described).not.toMatch(/leadDays/);
      await lead.fill('14');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('Settings saved.').waitFor();
      await waitUntil(page, () => document.querySelector('[aria-invalid="true"]') === null, null);
      // Outside Teams the digest channel is typed (there is no team to list channels from).
      await page.getByLabel('Digest channel id').waitFor();
    });
  });
});

/**
 * The tab on a phone (375×667) and a laptop (1280×800), in the three Teams themes, and on the smallest
 * phone WCAG's reflow asks for (320 px wide, light theme): the Plan view,
 * an item's detail and My actions fit the screen (the document is exactly as wide as the viewport),
 * the detail opens over the list and closes with Escape and with Back leaving the list where it was
 * and focus on the row, axe (WCAG 2.2 AA) finds nothing serious, and a change of view with a dialog
 * open leaves no dialog behind and the page visible to screen readers.
 */
import type { Page } from 'playwright-core';
import { FixedClock } from '../../src/domain/clock';
import { runAxe, serious, waitForDialogClosed, waitForFocus, waitUntil } from '../support/browser';
import { useTabBrowser, type TabServer } from './tabHarness';

jest.setTimeout(180_000);

const THEMES = ['light', 'dark', 'contrast'] as const;
const SIZES: ReadonlyArray<{ name: string; width: number; height: number; phone: boolean; themes: readonly (typeof THEMES)[number][] }> = [
  { name: 'phone', width: 375, height: 667, phone: true, themes: THEMES },
  { name: 'laptop', width: 1280, height: 800, phone: false, themes: THEMES },
  { name: 'small phone', width: 320, height: 568, phone: true, themes: ['light'] },
];

describe('the tab at phone and laptop sizes, in the three Teams themes', () => {
  const tab = useTabBrowser({ clock: new FixedClock('2018-09-05T10:00:00Z') });
  let server: TabServer;
  let page: Page;
  beforeAll(() => {
    server = tab.server;
  });

  /** The document is no wider than the viewport: nothing to scroll sideways. */
  const overflow = (): Promise<{ document: number; viewport: number }> =>
    page.evaluate(() => ({ document: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth }));
  const audit = async (found: Record<string, unknown>, what: string): Promise<void> => {
    const bad = serious(await runAxe(page));
    if (bad.length) found[what] = bad.map((v) => ({ id: v.id, nodes: v.nodes.slice(0, 3).map((n) => n.target) }));
  };
  const rows = () => page.locator('[data-testid="item-row"]');

  for (const size of SIZES) {
    for (const theme of size.themes) {
      describe(`${size.name} ${size.width}×${size.height}, ${theme}`, () => {
        beforeEach(async () => {
          ({ page } = await tab.open({ viewport: { width: size.width, height: size.height } }));
        });

        it('the Plan view, the detail and My actions fit the screen and pass axe; the detail keeps the list in place', async () => {
          const found: Record<string, unknown> = {};
          await page.goto(`${server.url}/tab/?theme=${theme}#/plan`);
          await rows().first().waitFor();
          await expect(overflow()).resolves.toEqual({ document: size.width, viewport: size.width });
          // Every cell of a row is on screen (on a phone the row is a card).
          const right = await rows()
            .first()
            .locator('[role="cell"], [role="rowheader"]')
            .evaluateAll((cells) => Math.max(...cells.map((c) => c.getBoundingClientRect().right)));
          expect(right).toBeLessThanOrEqual(size.width);
          if (size.phone) {
            // The filters are folded behind a button that counts those set.
            await expect(page.getByLabel('Lead', { exact: true }).isVisible()).resolves.toBe(false);
            const toggle = page.getByTestId('filters-toggle');
            await toggle.click();
            await page.getByLabel('Lead', { exact: true }).selectOption('Prevent Co-ordinator');
            await expect(toggle.innerText()).resolves.toMatch(/Filters\s*1/);
            await page.getByRole('button', { name: 'Clear filters' }).click();
            await toggle.click();
          }
          await audit(found, 'plan');

          // Scrolled down the list, open an item on screen: the list stays where it is.
          await page.evaluate(() => window.scrollTo(0, 700));
          const row = rows().nth(2);
          const opener = row.getByRole('button');
          await opener.scrollIntoViewIfNeeded();
          const title = await opener.innerText();
          const at = await page.evaluate(() => window.scrollY);
          await opener.click();
          const detail = page.getByRole('dialog', { name: title });
          await detail.waitFor();
          await detail.getByRole('heading', { level: 2, name: title }).waitFor();
          await expect(page.evaluate(() => window.location.hash)).resolves.toMatch(/^#\/plan\/.+/);
          await expect(overflow()).resolves.toMatchObject({ viewport: size.width });
          expect((await overflow()).document).toBeLessThanOrEqual(size.width);
          if (size.phone) await detail.getByRole('button', { name: 'Back' }).waitFor();
          await audit(found, 'detail');

          // Escape closes it: same scroll, focus on the row.
          await page.keyboard.press('Escape');
          await waitForDialogClosed(page, opener);
          await expect(page.evaluate(() => window.scrollY)).resolves.toBe(at);
          await expect(page.evaluate(() => window.location.hash)).resolves.toBe('#/plan');

          // Back closes it too.
          await opener.click();
          await detail.waitFor();
          await page.goBack();
          await waitForDialogClosed(page, opener);
          await expect(page.evaluate(() => window.scrollY)).resolves.toBe(at);
          await expect(page.locator('#root').getAttribute('aria-hidden')).resolves.toBeNull();

          await page.goto(`${server.url}/tab/personal.html?theme=${theme}`);
          await page.getByTestId('my-actions').waitFor();
          await rows().first().waitFor();
          await expect(overflow()).resolves.toEqual({ document: size.width, viewport: size.width });
          await audit(found, 'my actions');
          expect(found).toEqual({});
        });

        it('closes the dialogs and gives the page back when the view changes, or Back is pressed, with a dialog open', async () => {
          const found: Record<string, unknown> = {};
          await page.goto(`${server.url}/tab/?theme=${theme}#/plan`);
          const opener = rows().first().getByRole('button');
          await opener.click();
          const detail = page.getByTestId('item-detail');
          await detail.getByRole('button', { name: 'Edit item' }).click();
          await page.getByRole('dialog', { name: 'Edit item' }).waitFor();
          // A link elsewhere in Teams, or the address changed: the Dashboard, with nothing left hidden.
          await page.evaluate(() => {
            window.location.hash = '#/dashboard';
          });
          await page.getByTestId('dashboard').waitFor();
          await page.getByRole('dialog').waitFor({ state: 'detached' });
          await waitUntil(page, () => document.querySelector('[aria-hidden="true"] main, main[aria-hidden="true"]') === null, null);
          await expect(page.locator('#root').getAttribute('aria-hidden')).resolves.toBeNull();
          await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Plan' }).waitFor();
          await audit(found, 'dashboard after a dialog');

          // Back from an item's Edit dialog: both close, the plan is reachable again.
          await page.goto(`${server.url}/tab/?theme=${theme}#/plan`);
          await opener.click();
          await detail.getByRole('button', { name: 'Edit item' }).click();
          await page.getByRole('dialog', { name: 'Edit item' }).waitFor();
          await page.goBack();
          await waitUntil(page, () => document.querySelectorAll('[role="dialog"]').length === 0, null);
          await waitForFocus(opener);
          await expect(page.locator('#root').getAttribute('aria-hidden')).resolves.toBeNull();
          await audit(found, 'plan after Back from a dialog');

          // The view changes while a dialog is still closing: closed and gone from the page, which it has
          // not yet given back to screen readers. The new view waits for it: unmounted with the old view,
          // it left the whole tab aria-hidden. The CPU is slowed so that this moment lasts; the Dashboard
          // is asked for the moment the detail leaves the page, if the page is hidden still.
          const cdp = await page.context().newCDPSession(page);
          await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
          let raced = false;
          for (let attempt = 0; attempt < 5 && !raced; attempt++) {
            await page.goto(`${server.url}/tab/?theme=${theme}#/plan`);
            await opener.click();
            await detail.waitFor();
            await page.evaluate(() => {
              const w = window as unknown as { dplanRaced?: boolean };
              const watch = new MutationObserver(() => {
                if (document.querySelector('[data-testid="item-detail"]')) return;
                watch.disconnect();
                w.dplanRaced = document.querySelector('#root[aria-hidden="true"]') !== null;
                window.location.hash = '#/dashboard';
              });
              watch.observe(document.body, { subtree: true, childList: true });
            });
            await page.keyboard.press('Escape');
            await page.getByTestId('dashboard').waitFor();
            await waitUntil(page, () => document.querySelector('#root[aria-hidden="true"]') === null, null);
            raced = await page.evaluate(() => (window as unknown as { dplanRaced?: boolean }).dplanRaced === true);
          }
          await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
          await cdp.detach();
          expect(raced).toBe(true);
          expect(found).toEqual({});
        });
      });
    }
  }
});

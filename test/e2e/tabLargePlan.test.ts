/**
 * The Plan view on a 2,000-item plan (bench/generatePlan.ts), in Chromium against the real server:
 * only the rows near the screen are in the page, wherever the person scrolls to the rows there are
 * on screen (no gap above, below or between), rows keep their place in their objective's table for
 * screen readers, and a search or a change of the header above the list (the phone's filter panel)
 * keeps the rows where the screen is.
 */
import type { Page } from 'playwright-core';
import { FixedClock } from '../../src/domain/clock';
import { parsePlanDocument } from '../../src/import/planDocument';
import { generatePlanDocument } from '../../bench/generatePlan';
import { useTabBrowser } from './tabHarness';

jest.setTimeout(180_000);

const ITEMS = 2000;

describe('the tab on a 2,000-item plan', () => {
  const tab = useTabBrowser({
    clock: new FixedClock('2018-09-05T10:00:00Z'),
    seed: async (store) => void (await store.importPlan(parsePlanDocument(generatePlanDocument(ITEMS), 'large.md'))),
  });

  /** What is at a few heights of the viewport: the item row there (its key and place), or what else. */
  const onScreen = (page: Page) =>
    page.evaluate(() => {
      const h = window.innerHeight;
      return [0.15, 0.5, 0.85].map((f) => {
        const hit = document.elementFromPoint(Math.round(window.innerWidth / 2), Math.round(h * f));
        const row = hit?.closest('[data-testid="item-row"]');
        const head = hit?.closest('[data-testid="objective-group"]');
        return row
          ? { row: row.getAttribute('data-key'), place: Number(row.getAttribute('aria-rowindex')) }
          : { other: head ? 'group' : (hit?.tagName ?? 'nothing') };
      });
    });

  /** Waits until every probed height shows something of the plan (a row, or an objective's heading). */
  const filled = (page: Page) =>
    page.waitForFunction(() =>
      [0.15, 0.5, 0.85].every((f) => {
        const hit = document.elementFromPoint(Math.round(window.innerWidth / 2), Math.round(window.innerHeight * f));
        return !!hit?.closest('[data-testid="item-row"], [data-testid="objective-group"]');
      }),
    );

  for (const size of [
    { name: 'laptop', width: 1280, height: 800 },
    { name: 'phone', width: 375, height: 667 },
  ]) {
    it(`keeps a screenful of rows in the page and shows the rows wherever it is scrolled to (${size.name})`, async () => {
      const { page } = await tab.open({ viewport: { width: size.width, height: size.height } });
      await page.goto(`${tab.server.url}/tab/?theme=light#/plan`);
      await page
        .getByTestId('result-count')
        .filter({ hasText: `Showing ${ITEMS} of ${ITEMS} items` })
        .waitFor();
      await page.locator('[data-testid="item-row"]').first().waitFor();
      expect(await page.locator('[data-testid="item-row"]').count()).toBeLessThan(80);
      // The list is as tall as the whole plan: the page scrolls through all 2,000.
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      expect(height).toBeGreaterThan(ITEMS * 40);

      const seen = new Set<string>();
      for (const at of [0.25, 0.5, 0.98]) {
        await page.evaluate((y) => window.scrollTo(0, y), Math.round(height * at));
        await filled(page);
        const probes = await onScreen(page);
        for (const p of probes) if ('row' in p) seen.add(p.row!);
        // Deep in the plan, rows fill the screen: in order, top to bottom, within one objective or across.
        const rows = probes.filter((p): p is { row: string; place: number } => 'row' in p);
        expect(rows.length).toBeGreaterThan(0);
        expect(await page.locator('[data-testid="item-row"]').count()).toBeLessThan(80);
      }
      expect(seen.size).toBeGreaterThan(3);

      // A search for the title of a row seen deep in the plan: it is on screen at the top.
      const key = [...seen].at(-1)!;
      const title = (await page.locator(`[data-testid="item-row"][data-key="${key}"] button`).first().textContent())!;
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.getByTestId('filter-text').fill(title);
      await page
        .getByTestId('result-count')
        .filter({ hasNotText: `Showing ${ITEMS} of` })
        .waitFor();
      const found = page.locator(`[data-testid="item-row"][data-key="${key}"]`);
      await found.waitFor();
      const box = (await found.boundingBox())!;
      expect(box.y).toBeLessThan(size.height); // it starts on the first screen
    });
  }

  it('keeps the rows on screen when something above the list changes height (the filter panel on a phone)', async () => {
    const { page } = await tab.open({ viewport: { width: 375, height: 667 } });
    await page.goto(`${tab.server.url}/tab/?theme=light#/plan`);
    await page.locator('[data-testid="item-row"]').first().waitFor();
    const listTop = () => page.getByTestId('item-list').evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
    const before = await listTop();
    await page.getByTestId('filters-toggle').click();
    await page.getByTestId('filter-lead').waitFor();
    const after = await listTop();
    expect(after).toBeGreaterThan(before + 100);
    // Scrolled to where the list now starts plus a few screens: the rows there are on screen.
    await page.evaluate((y) => window.scrollTo(0, y), after + 3 * 667);
    await filled(page);
    const probes = await onScreen(page);
    expect(probes.filter((p) => 'row' in p).length).toBeGreaterThan(0);
  });

  /** How many items the items API gives for a search (the tab must show the same count). */
  const apiCount = async (text: string): Promise<number> => {
    const plans = (await (await fetch(`${tab.server.url}/api/plans`)).json()) as Array<{ id: string }>;
    const items = (await (
      await fetch(`${tab.server.url}/api/plans/${plans[0]!.id}/items?q=${encodeURIComponent(text)}`)
    ).json()) as unknown[];
    return items.length;
  };

  it('shows the result for all that was typed when keys come faster than the list, and Clear empties the search box', async () => {
    const { page } = await tab.open({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${tab.server.url}/tab/?theme=light#/plan`);
    await page.locator('[data-testid="item-row"]').first().waitFor();
    const search = page.getByTestId('filter-text');
    await search.focus();
    // No delay between keys: each keystroke's list may be overtaken by the next one's.
    await page.keyboard.type('1 2');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('12');
    const expected = await apiCount('1 12');
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(ITEMS);
    await page
      .getByTestId('result-count')
      .filter({ hasText: `Showing ${expected} of ${ITEMS} items` })
      .waitFor();
    await expect(search.inputValue()).resolves.toBe('1 12');

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page
      .getByTestId('result-count')
      .filter({ hasText: `Showing ${ITEMS} of ${ITEMS} items` })
      .waitFor();
    await expect(search.inputValue()).resolves.toBe('');
    await expect(page.getByRole('button', { name: 'Clear filters' }).isDisabled()).resolves.toBe(true);
  });

  it('starts no animation and reads no media query while a person types in Search', async () => {
    const { page } = await tab.open({ viewport: { width: 1280, height: 800 } });
    // Counts the page's matchMedia calls (each parses its query and makes a new list).
    await page.addInitScript(() => {
      const w = window as unknown as { matchMediaCalls: number };
      w.matchMediaCalls = 0;
      const original = window.matchMedia.bind(window);
      window.matchMedia = (query: string) => {
        w.matchMediaCalls++;
        return original(query);
      };
    });
    await page.goto(`${tab.server.url}/tab/?theme=light#/plan`);
    await page.locator('[data-testid="item-row"]').first().waitFor();
    const calls = () => page.evaluate(() => (window as unknown as { matchMediaCalls: number }).matchMediaCalls);
    const before = await calls();
    const clear = page.getByRole('button', { name: 'Clear filters' });
    await expect(clear.isDisabled()).resolves.toBe(true);
    // Every transition that starts on Clear, whenever it starts and however short it is.
    await clear.evaluate((b) => {
      const w = window as unknown as { clearTransitions: string[] };
      w.clearTransitions = [];
      b.addEventListener('transitionrun', (e) => w.clearTransitions.push((e as TransitionEvent).propertyName));
    });

    await page.getByTestId('filter-text').focus();
    await page.keyboard.press('1');
    await page
      .getByTestId('result-count')
      .filter({ hasNotText: `Showing ${ITEMS} of` })
      .waitFor();
    await expect(clear.isDisabled()).resolves.toBe(false);
    for (const key of ['2', 'Backspace', '3']) await page.keyboard.press(key);
    await page
      .getByTestId('result-count')
      .filter({ hasText: `Showing ${await apiCount('13')} of ${ITEMS} items` })
      .waitFor();
    // The first keystroke enabled Clear: its colours changed at once (Fluent's Button fades them over
    // 100 ms, animations painted on the main thread while the person types on).
    await expect(page.evaluate(() => (window as unknown as { clearTransitions: string[] }).clearTransitions)).resolves.toEqual([]);
    expect(await calls()).toBe(before);
  });
});

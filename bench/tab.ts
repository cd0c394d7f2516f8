/**
 * Tab benchmarks: the built JS size (gzipped), and in Debian's Chromium against the real server
 * with a 2,000-item plan, the time to render the plan and to apply a filter (from the input event
 * to the rendered result, measured in the page with performance.measure), plus the pure filter+sort.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { filterItems, sortItems } from '../src/domain/filters';
import { parsePlanDocument } from '../src/import/planDocument';
import { ensureTabBuilt, launchBrowser, REPO_ROOT } from '../test/support/browser';
import { startTabServer } from '../test/e2e/tabHarness';
import { generatePlanDocument } from './generatePlan';
import { medianMs, type BenchRow } from './table';

const ITEMS = 2000;

function gz(file: string): number {
  return zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
}

/** JS sizes: everything built, and what index.html loads before the app runs (entry + modulepreloads). */
export function bundleSizes(): { totalGz: number; initialGz: number; totalRaw: number; files: number } {
  const dist = path.join(REPO_ROOT, 'dist', 'tab');
  const assets = path.join(dist, 'assets');
  const js = fs.readdirSync(assets).filter((f) => f.endsWith('.js'));
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const initial = new Set([...html.matchAll(/(?:src|href)="\/tab\/assets\/([^"]+\.js)"/g)].map((m) => m[1] as string));
  let totalGz = 0;
  let initialGz = 0;
  let totalRaw = 0;
  for (const f of js) {
    const size = gz(path.join(assets, f));
    totalGz += size;
    totalRaw += fs.statSync(path.join(assets, f)).size;
    if (initial.has(f)) initialGz += size;
  }
  return { totalGz, initialGz, totalRaw, files: js.length };
}

export async function benchTab(): Promise<BenchRow[]> {
  ensureTabBuilt();
  const sizes = bundleSizes();
  const rows: BenchRow[] = [
    {
      name: 'tab JS, gzipped (all chunks)',
      value: Math.round(sizes.totalGz / 1024),
      unit: 'KiB',
      note: `${sizes.files} files, ${Math.round(sizes.totalRaw / 1024)} KiB minified`,
    },
    {
      name: 'tab JS, gzipped (loaded by index.html)',
      value: Math.round(sizes.initialGz / 1024),
      unit: 'KiB',
      note: 'teams-js is loaded only inside Teams',
    },
  ];

  const plan = parsePlanDocument(generatePlanDocument(ITEMS), 'bench.md');
  const today = '2018-09-05';
  rows.push({
    name: `filter + sort ${plan.items.length} items (domain, Node)`,
    value: await medianMs(
      () => sortItems(filterItems(plan.items, { lead: 'Prevent Co-ordinator', text: 'training' }, today), 'due', 'asc', today),
      9,
    ),
    unit: 'ms',
  });

  const server = await startTabServer({ seed: async (store) => void (await store.importPlan(plan)) });
  const browser = await launchBrowser();
  try {
    const renders: number[] = [];
    const firsts: number[] = [];
    const loads: number[] = [];
    const filters: number[] = [];
    const searches: number[] = [];
    for (let run = 0; run < 3; run++) {
      const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
      await page.goto(`${server.url}/tab/?theme=light`);
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-testid="item-row"]:not([hidden])').length === n,
        plan.items.length,
        { timeout: 60_000 },
      );
      await page.waitForFunction(() => performance.getEntriesByName('dplan:render').length > 0);
      const timing = await page.evaluate(() => ({
        first: performance.getEntriesByName('dplan:first-render')[0]?.duration ?? NaN,
        render: performance.getEntriesByName('dplan:render')[0]?.duration ?? NaN,
        rendered: performance.getEntriesByName('dplan:rendered')[0]?.startTime ?? NaN,
      }));
      renders.push(timing.render);
      firsts.push(timing.first);
      loads.push(timing.rendered);
      const lead = page.getByLabel('Lead', { exact: true });
      for (const choice of ['Prevent Co-ordinator', '', 'Communications Manager', '']) {
        await lead.selectOption(choice);
        await page.waitForFunction(() => performance.getEntriesByName('dplan:filter').length > 0);
        filters.push(
          await page.evaluate(() => {
            const d = performance.getEntriesByName('dplan:filter').at(-1)?.duration ?? NaN;
            performance.clearMeasures('dplan:filter');
            return d;
          }),
        );
      }
      const search = page.getByLabel('Search');
      for (const text of ['training', '']) {
        await search.fill(text);
        await page.waitForFunction(() => performance.getEntriesByName('dplan:filter').length > 0);
        searches.push(
          await page.evaluate(() => {
            const d = performance.getEntriesByName('dplan:filter').at(-1)?.duration ?? NaN;
            performance.clearMeasures('dplan:filter');
            return d;
          }),
        );
      }
      await page.close();
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    const round = (x: number): number => Math.round(x * 10) / 10;
    rows.push(
      {
        name: `tab: first rows of a ${plan.items.length}-item plan (script start → first 150 rows)`,
        value: round(median(firsts)),
        unit: 'ms',
        note: 'median of 3 page loads, includes the API calls',
      },
      {
        name: `tab: render ${plan.items.length}-item plan (script start → all rows in DOM)`,
        value: round(median(renders)),
        unit: 'ms',
        note: 'median of 3 page loads, includes the API calls',
      },
      {
        name: `tab: page load → ${plan.items.length} rows rendered`,
        value: round(median(loads)),
        unit: 'ms',
        note: 'from navigation start',
      },
      {
        name: `tab: filter ${plan.items.length} items by lead (input → rendered)`,
        value: round(median(filters)),
        unit: 'ms',
        note: `median of ${filters.length}`,
      },
      {
        name: `tab: free-text search ${plan.items.length} items (input → rendered)`,
        value: round(median(searches)),
        unit: 'ms',
        note: `median of ${searches.length}`,
      },
    );
  } finally {
    await browser.close();
    await server.close();
  }
  return rows;
}

if (require.main === module) {
  void benchTab().then((rows) => {
    for (const r of rows) process.stdout.write(`${r.name}: ${r.value} ${r.unit}${r.note ? ` (${r.note})` : ''}\n`);
  });
}

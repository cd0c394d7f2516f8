/**
 * Browser tests drive Debian's Chromium through playwright-core (no downloaded browsers here), and
 * the tab is built by vite once when dist/tab is missing or older than its sources.
 *
 * playwright-core has no `expect` with retrying assertions, so the waits here are its auto-waiting
 * primitives: a locator's `waitFor`, and `waitForFunction` (re-run on every animation frame). Tests
 * wait for what a person can observe (a role and name, a text, focus, a count of rows), never for a
 * fixed time or a library's internals, so they pass on a busy 2-core machine.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TAB_DIST = path.join(REPO_ROOT, 'dist', 'tab');

/** How Chromium runs here (headless is Playwright's to add, or the caller's): no sandbox, GPU, updates or first-run work. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS] });
}

function newestMtime(dir: string): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** True when dist/tab is missing or older than src/tab, src/domain, the store port or vite.config.mts. */
export function tabIsStale(): boolean {
  const built = path.join(TAB_DIST, 'index.html');
  if (!fs.existsSync(built)) return true;
  const builtAt = fs.statSync(built).mtimeMs;
  const sources = Math.max(
    newestMtime(path.join(REPO_ROOT, 'src', 'tab')),
    newestMtime(path.join(REPO_ROOT, 'src', 'domain')),
    fs.statSync(path.join(REPO_ROOT, 'vite.config.mts')).mtimeMs,
  );
  return sources > builtAt;
}

/** Builds the tab (serialised by a lock file, so parallel runs do not build over each other). */
export function ensureTabBuilt(): void {
  if (!tabIsStale()) return;
  execFileSync('flock', ['/tmp/dplan-tab-build.lock', 'sh', '-c', 'npx vite build --logLevel warn'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    // The production build, as npm start serves it: under jest NODE_ENV is "test", which would build React's development code.
    env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  });
}

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/** Waits until `predicate`, run in the page or frame with `arg`, returns something truthy. */
export async function waitUntil<Arg>(target: Page | Frame, predicate: (arg: Arg) => unknown, arg: Arg): Promise<void> {
  await target.waitForFunction(predicate as (arg: unknown) => unknown, arg);
}

/** Waits until exactly `n` elements match `selector`; returns the count. */
export async function waitForCount(target: Page | Frame, selector: string, n: number): Promise<number> {
  await waitUntil(target, ({ selector, n }) => document.querySelectorAll(selector).length === n, { selector, n });
  return target.locator(selector).count();
}

/** Waits until the element `locator` names has focus. */
export async function waitForFocus(locator: Locator): Promise<void> {
  await locator.locator(':scope:focus').waitFor();
}

/**
 * Waits until a modal dialog has gone the way a person using a screen reader notices: no dialog in
 * the accessibility tree, the page's controls reachable by role again (not aria-hidden), and focus
 * back on `opener`, the control that opened it. `dialog` names the one that closes when another (the
 * item detail drawer) stays open.
 */
export async function waitForDialogClosed(page: Page | Frame, opener: Locator, dialog: Locator = page.getByRole('dialog')): Promise<void> {
  await dialog.waitFor({ state: 'detached' });
  await opener.waitFor();
  await waitForFocus(opener);
}

/**
 * Settles the page for an audit: the pointer parked in the corner (no hover state), then every
 * finite animation and transition run to its end (including those parking the pointer started).
 * Endless ones (a spinner) do not hold it up; one that never ends fails the audit with its name.
 */
async function settle(target: Page | Frame): Promise<void> {
  const page = 'mainFrame' in target ? target : target.page();
  await page.mouse.move(0, 0);
  const still = await target.evaluate(async () => {
    const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));
    const running = (): Animation[] =>
      document
        .getAnimations()
        .filter((a) => a.playState === 'running' && Number.isFinite(Number(a.effect?.getComputedTiming().endTime ?? Infinity)));
    for (let round = 0; round < 20; round++) {
      // Two frames: styles changed by the last round (or the pointer) have started their transitions.
      await nextFrame();
      await nextFrame();
      const now = running();
      if (now.length === 0) return [];
      await Promise.all(now.map((a) => a.finished.catch(() => undefined)));
    }
    return running().map((a) => (a as CSSAnimation).animationName ?? (a as CSSTransition).transitionProperty ?? a.id);
  });
  if (still.length) throw new Error(`The page did not settle for the audit: still animating ${still.join(', ')}`);
}

/** Runs axe-core in the page or frame (WCAG 2.2 AA tags) once it has settled, and returns its violations. */
export async function runAxe(target: Page | Frame): Promise<AxeViolation[]> {
  await settle(target);
  const loaded = await target.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await target.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  return target.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  }, AXE_TAGS);
}

/** Violations that fail the audit: serious or critical. */
export function serious(violations: AxeViolation[]): AxeViolation[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

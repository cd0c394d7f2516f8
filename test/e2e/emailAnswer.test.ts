/**
 * Partners outside Teams (acceptance of issue 13, e-mail part): two external partners held by e-mail
 * only get the day's request by e-mail in a prompt run (sent through Graph sendMail, read from the
 * emulator); one opens the e-mailed link in Chromium at 375 px, answers two items (the first refused
 * for a missing note, then corrected), and the plan's history shows both as reported by e-mail.
 * Forged, expired (the app's clock), reused and other-item links are refused and change nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { FixedClock } from '../../src/domain/clock';
import { readPlanFile } from '../../src/import/readPlanFile';
import { createLogger } from '../../src/logger';
import { SqlitePlanStore } from '../../src/store/sqlite/sqlitePlanStore';
import { startGraphEmulator, type GraphEmulator } from '../graph-emulator/emulator';
import { launchBrowser, runAxe, serious, waitForFocus } from '../support/browser';
import { SHARED_PLAN } from '../support/paths';

const SENDER = 'delivery-plan@towerhamlets.example.gov.uk';
const MPS = { id: 'mailto:dc.jones@met.police.uk', name: 'Insp. Dana Jones (MPS)', email: 'Dana.Jones@met.police.uk' };
const ELFT = { id: 'mailto:r.okafor@elft.nhs.uk', name: 'Dr Ruth Okafor (ELFT)', email: 'r.okafor@elft.nhs.uk' };
const MPS_ITEMS = ['a4-9c56894c', 'a4-a982676d'];
const ELFT_ITEM = 'a3-907ce0ae';
// Saturday 16 June 2018, 09:00 London: the quarterly check-in of the partners' items.
const clock = new FixedClock('2018-06-16T08:00:00Z');

let dir: string;
let graph: GraphEmulator;
let running: RunningApp;
let store: SqlitePlanStore;
let planId: string;
let browser: Browser;
let mpsLink: string;
let elftLink: string;

function linkIn(html: string): string {
  const href = /<a href="([^"]+\/answer\/[^"]+)"/.exec(html)?.[1];
  if (!href) throw new Error('no answer link in the mail');
  return href.replace(/&#x26;/g, '&');
}

/** Everything a refused link must leave as it was: the items and their history. */
async function snapshot(): Promise<string> {
  return JSON.stringify({ items: await store.listItems(planId), history: await store.history(planId) });
}

async function post(link: string, form: Record<string, string>): Promise<{ status: number; text: string }> {
  const res = await fetch(link, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
  return { status: res.status, text: await res.text() };
}

async function formFor(itemKey: string): Promise<Record<string, string>> {
  const item = (await store.getItem(planId, itemKey))!;
  return { item: itemKey, version: item.version, rag: 'green', note: 'On track' };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-email-answer-'));
  graph = await startGraphEmulator({ token: 'emulator-token' });
  graph.mail.addMailbox(SENDER);
  const mailToken = graph.addApp({ appId: 'dplan-app', roles: ['Mail.Send'] });
  graph.mail.restrictApp('dplan-app', [SENDER]);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOCAL_MODE: 'true',
    LOG_LEVEL: 'silent',
    SQLITE_PATH: path.join(dir, 'plan.sqlite'),
    BOT_DB_PATH: path.join(dir, 'bot.sqlite'),
    SETTINGS_DB_PATH: path.join(dir, 'settings.sqlite'),
    SCHEDULER: 'false',
    GRAPH_BASE_URL: graph.baseUrl,
    GRAPH_TOKEN: mailToken,
    MAIL_SENDER: SENDER,
    ANSWER_LINK_SECRET: 'an-answer-link-key-for-tests-only-0123456789',
  });
  store = new SqlitePlanStore(config.SQLITE_PATH);
  planId = (await store.importPlan(await readPlanFile(SHARED_PLAN))).planId;
  await store.setPeople(planId, 'Inspector (Local Operations/MPS)', [MPS]);
  await store.setPeople(planId, 'Service Director, Adult Mental Health, ELFT', [ELFT]);
  running = await startApp({ config, store, logger: createLogger('silent'), clock }, { port: 0 });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await running?.close();
  await store?.close();
  await graph?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('partners outside Teams answer by e-mail', () => {
  it('a prompt run e-mails both partners their items, says so in the ledger, and sends nothing twice', async () => {
    const report = await running.bot.runPrompts('2018-06-16', { planId });
    const cards = report.cards.filter((c) => c.recipient.startsWith('mailto:'));
    expect(cards.map((c) => [c.recipient, c.outcome])).toEqual(
      expect.arrayContaining([
        [MPS.id, 'sent'],
        [ELFT.id, 'sent'],
      ]),
    );
    const toMps = graph.mail.sent.filter((m) => m.to[0]!.address === MPS.email);
    const toElft = graph.mail.sent.filter((m) => m.to[0]!.address === ELFT.email);
    expect(toMps).toHaveLength(1);
    expect(toElft).toHaveLength(1);
    expect(toMps[0]).toMatchObject({ from: SENDER, contentType: 'HTML', subject: expect.stringMatching(/update on 2 items$/) });
    for (const key of MPS_ITEMS)
      expect(toMps[0]!.content).toContain((await store.getItem(planId, key))!.title.slice(0, 40).replace(/&/g, '&#x26;'));
    expect(toMps[0]!.content).toMatch(/Sunday 31 March 2019/);
    mpsLink = linkIn(toMps[0]!.content);
    elftLink = linkIn(toElft[0]!.content);
    expect(mpsLink.startsWith(`${running.url}/answer/`)).toBe(true);

    const rows = (await running.runtime.ledger.between(planId, '2018-06-16', '2018-06-16')).filter((r) => r.personId.startsWith('mailto:'));
    expect(rows.map((r) => [r.personId, r.state, r.detail])).toEqual(
      expect.arrayContaining([
        [MPS.id, 'sent', `e-mailed from ${SENDER}`],
        [ELFT.id, 'sent', `e-mailed from ${SENDER}`],
      ]),
    );
    // The directory's "cannot be reached" counts them as reached.
    const unreachable = await running.bot.unreachableLeads((await store.getPlan(planId))!, await store.listItems(planId));
    expect(unreachable.map((u) => u.who)).not.toEqual(expect.arrayContaining([MPS.name]));
    expect(unreachable.map((u) => u.who)).not.toEqual(expect.arrayContaining([ELFT.name]));

    const again = await running.bot.runPrompts('2018-06-16', { planId });
    expect(again.cards.filter((c) => c.recipient.startsWith('mailto:')).map((c) => c.outcome)).toEqual(['already-sent', 'already-sent']);
    expect(graph.mail.sent).toHaveLength(2);
  });

  it('refuses forged, expired and other-item links with a clear page, changing nothing', async () => {
    const before = await snapshot();
    const [head, payload, signature] = mpsLink.slice(mpsLink.lastIndexOf('/') + 1).split('.');
    const forged = `${running.url}/answer/${head}.${payload}.${signature!.slice(0, -4)}AAAA`;
    const forgedGet = await fetch(forged);
    expect(forgedGet.status).toBe(400);
    expect(await forgedGet.text()).toContain('This link does not work');
    expect((await post(forged, await formFor(MPS_ITEMS[1]!))).status).toBe(400);

    const other = await post(mpsLink, await formFor(ELFT_ITEM));
    expect(other.status).toBe(403);
    expect(other.text).toContain('This link is not for that item');
    expect((await post(elftLink, await formFor(MPS_ITEMS[0]!))).status).toBe(403);

    clock.set('2018-07-01T08:00:01Z'); // 15 days on: past the 14 days a link works
    try {
      const expired = await fetch(mpsLink);
      expect(expired.status).toBe(410);
      expect(await expired.text()).toContain('This link has expired');
      expect((await post(mpsLink, await formFor(MPS_ITEMS[1]!))).status).toBe(410);
    } finally {
      clock.set('2018-06-16T08:00:00Z');
    }
    expect(await snapshot()).toBe(before);
  });

  describe('in Chromium at 375 px', () => {
    let page: Page;

    beforeAll(async () => {
      page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    });

    afterAll(async () => {
      await page?.close();
    });

    async function fitsTheScreen(): Promise<void> {
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    }

    it('answers two items: a Red without a note is refused beside the field and kept, then recorded once corrected', async () => {
      const [first, second] = await Promise.all(MPS_ITEMS.map(async (k) => (await store.getItem(planId, k))!));
      await page.goto(mpsLink);
      await page.getByRole('heading', { level: 1, name: /Your update on the/ }).waitFor();
      await fitsTheScreen();
      expect(serious(await runAxe(page))).toEqual([]);

      const one = page.getByRole('region', { name: first!.title });
      await one.getByRole('radio', { name: 'Red' }).check();
      await one.getByRole('textbox', { name: 'Corrective action' }).fill('Weekly briefings with the ward teams');
      await one.getByRole('button', { name: 'Send my update on this item' }).click();

      const refusedSection = page.getByRole('region', { name: first!.title });
      await refusedSection.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
      await refusedSection.getByText('A note is required for Red', { exact: false }).first().waitFor();
      // The error summary takes focus, so a screen reader hears what to fix first.
      await waitForFocus(refusedSection.getByRole('alert').filter({ hasText: 'There is a problem' }));
      expect(await refusedSection.getByRole('radio', { name: 'Red' }).isChecked()).toBe(true);
      expect(await refusedSection.getByRole('textbox', { name: 'Corrective action' }).inputValue()).toBe(
        'Weekly briefings with the ward teams',
      );
      expect(await refusedSection.getByRole('textbox', { name: 'Note' }).getAttribute('aria-invalid')).toBe('true');
      await fitsTheScreen();
      expect(serious(await runAxe(page))).toEqual([]);
      expect((await store.getItem(planId, first!.key))!.status).toBe(first!.status);

      await refusedSection.getByRole('textbox', { name: 'Note' }).fill('Two schools have not yet had WRAP training; dates agreed.');
      await refusedSection.getByRole('button', { name: 'Send my update on this item' }).click();
      await page.getByRole('status').filter({ hasText: 'Your update was recorded' }).waitFor();
      await page.getByRole('region', { name: first!.title }).getByText('You sent your update (Red)').waitFor();

      const two = page.getByRole('region', { name: second!.title });
      await two.getByRole('radio', { name: 'Green' }).check();
      await two.getByRole('button', { name: 'Send my update on this item' }).click();
      await page.getByRole('region', { name: second!.title }).getByText('You sent your update (Green)').waitFor();
      await fitsTheScreen();
      expect(serious(await runAxe(page))).toEqual([]);

      // The tab's API shows both in history, reported by the partner by e-mail.
      const history = (await (await fetch(`${running.url}/api/plans/${planId}/history`)).json()) as Array<Record<string, unknown>>;
      const byEmail = history.filter((h) => h.via === 'email');
      expect(byEmail.map((h) => [h.itemKey, h.to, h.by, h.byId])).toEqual(
        expect.arrayContaining([
          [first!.key, 'red', MPS.name, MPS.id],
          [second!.key, 'green', MPS.name, MPS.id],
        ]),
      );
      expect(byEmail).toHaveLength(2);
    });

    it('refuses the link once both items are answered (reused), changing nothing', async () => {
      const before = await snapshot();
      const reopened = await page.goto(mpsLink);
      expect(reopened!.status()).toBe(410);
      await page.getByRole('heading', { level: 1, name: 'This link has already been used' }).waitFor();
      expect(serious(await runAxe(page))).toEqual([]);
      const again = await post(mpsLink, await formFor(MPS_ITEMS[1]!));
      expect(again.status).toBe(410);
      expect(again.text).toContain('You have already answered this item');
      expect(await snapshot()).toBe(before);
    });
  });
});

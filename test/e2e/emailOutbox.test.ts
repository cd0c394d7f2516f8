/**
 * E-mail in local mode and at the edges: the configuration refuses a mailbox without a link key; the
 * Directory API takes a partner held by e-mail only (mailto:) and counts them as reachable; "Send
 * prompt now" writes their mail to the local outbox (GET /api/outbox), whose link opens the answer
 * page; a refused update keeps what was typed; a co-ordinator's report in between is not lost.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { FixedClock } from '../../src/domain/clock';
import { readPlanFile } from '../../src/import/readPlanFile';
import { createLogger } from '../../src/logger';
import { SqlitePlanStore } from '../../src/store/sqlite/sqlitePlanStore';
import { SHARED_PLAN } from '../support/paths';

const ROLE = 'Borough Commander, London Fire Brigade';
let dir: string;
let running: RunningApp;
let store: SqlitePlanStore;
let planId: string;
const clock = new FixedClock('2018-08-01T09:00:00Z');

async function api(method: string, url: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${running.url}${url}`, {
    method,
    headers: { 'x-requested-with': 'dplan-test', ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-email-outbox-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOCAL_MODE: 'true',
    LOG_LEVEL: 'silent',
    SQLITE_PATH: path.join(dir, 'plan.sqlite'),
    BOT_DB_PATH: path.join(dir, 'bot.sqlite'),
    SETTINGS_DB_PATH: path.join(dir, 'settings.sqlite'),
    SCHEDULER: 'false',
  });
  store = new SqlitePlanStore(config.SQLITE_PATH);
  planId = (await store.importPlan(await readPlanFile(SHARED_PLAN))).planId;
  running = await startApp({ config, store, logger: createLogger('silent'), clock }, { port: 0 });
});

afterAll(async () => {
  await running?.close();
  await store?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('configuration', () => {
  it('refuses a mailbox without a link key, and a key shorter than 32 characters', () => {
    expect(() => loadConfig({ MAIL_SENDER: 'plan@council.gov.uk' })).toThrow(/ANSWER_LINK_SECRET .*required when MAIL_SENDER is set/);
    expect(() => loadConfig({ MAIL_SENDER: 'plan@council.gov.uk', ANSWER_LINK_SECRET: 'short' })).toThrow(
      /ANSWER_LINK_SECRET: at least 32/,
    );
    expect(() => loadConfig({ MAIL_SENDER: 'not a mailbox', ANSWER_LINK_SECRET: 'x'.repeat(32) })).toThrow(/MAIL_SENDER/);
    expect(loadConfig({ MAIL_SENDER: 'plan@council.gov.uk', ANSWER_LINK_SECRET: 'x'.repeat(32) }).ANSWER_LINK_DAYS).toBe(14);
  });
});

describe('a partner held by e-mail only, in local mode', () => {
  let link: string;
  let itemKey: string;

  it('is taken by the Directory API (mailto: id, lower-cased) and not listed as unreachable; a bad mailto: id is refused', async () => {
    const bad = await api('PUT', `/api/plans/${planId}/directory`, {
      roles: [{ role: ROLE, people: [{ id: 'mailto:nobody', name: 'X' }] }],
    });
    expect(bad.status).toBe(400);
    const put = await api('PUT', `/api/plans/${planId}/directory`, {
      roles: [
        {
          role: ROLE,
          people: [{ id: 'mailto:Sam.Fire@LONDON-fire.gov.uk', name: 'Sam Fire (LFB)', email: 'Sam.Fire@london-fire.gov.uk' }],
        },
      ],
    });
    expect(put.status).toBe(200);
    expect((await store.listDirectory(planId)).find((e) => e.role === ROLE)!.people).toEqual([
      { id: 'mailto:sam.fire@london-fire.gov.uk', name: 'Sam Fire (LFB)', email: 'Sam.Fire@london-fire.gov.uk' },
    ]);
    const view = (await api('GET', `/api/plans/${planId}/directory`)).body as unknown as Array<{
      role: string;
      state: string;
      people: Array<{ unreachable?: string }>;
    }>;
    const role = view.find((r) => r.role === ROLE)!;
    expect(role.state).not.toBe('unreachable');
    expect(role.people[0]!.unreachable).toBeUndefined();
  });

  it('"Send prompt now" writes the mail to the local outbox, and its link opens the answer page', async () => {
    itemKey = (await store.listItems(planId)).find((i) => i.leads.includes(ROLE))!.key;
    const sent = await api('POST', `/api/plans/${planId}/items/${itemKey}/prompt`);
    expect(sent.status).toBeLessThan(300);
    expect(sent.body).toMatchObject({ sent: 1 });
    const outbox = (await api('GET', '/api/outbox')).body as {
      messages: Array<{ to: { address: string }; html: string; subject: string }>;
    };
    expect(outbox.messages).toHaveLength(1);
    expect(outbox.messages[0]!.to.address).toBe('Sam.Fire@london-fire.gov.uk');
    link = /<a href="([^"]+)"/.exec(outbox.messages[0]!.html)![1]!;
    expect(link.startsWith(`${running.url}/answer/`)).toBe(true);
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('lang="en-GB"');
    expect(html).toContain('Send my update on this item');
  });

  it('keeps what was typed when the rules refuse it, and records after a co-ordinator who reported meanwhile', async () => {
    const page = await (await fetch(link)).text();
    const hidden = Object.fromEntries([...page.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
    const form = { ...hidden, rag: 'amber', note: '', correctiveAction: 'Crews booked for the autumn' };
    const refused = await fetch(link, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
    expect(refused.status).toBe(422);
    const text = await refused.text();
    expect(text).toContain('A note is required for Amber');
    expect(text).toContain('Crews booked for the autumn');
    expect(text).toMatch(/value="amber" id="[^"]+" checked/);

    // The co-ordinator reports in the tab before the partner sends again.
    const item = (await store.getItem(planId, itemKey))!;
    const coord = await fetch(`${running.url}/api/plans/${planId}/items/${itemKey}/status`, {
      method: 'POST',
      headers: { 'x-requested-with': 'dplan-test', 'content-type': 'application/json', 'if-match': item.version },
      body: JSON.stringify({ to: 'green' }),
    });
    expect(coord.status).toBeLessThan(300);
    const ok = await fetch(link, {
      method: 'POST',
      body: new URLSearchParams({ ...form, note: 'Two crews short until October' }),
      redirect: 'manual',
    });
    expect(ok.status).toBe(303);
    const history = await store.history(planId, itemKey);
    expect(history.filter((h) => h.via === 'email').map((h) => [h.to, h.by, h.note])).toEqual([
      ['amber', 'Sam Fire (LFB)', 'Two crews short until October'],
    ]);
    expect(history.some((h) => h.via === 'tab' && h.to === 'green')).toBe(true);
  });
});

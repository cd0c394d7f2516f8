/**
 * The tab's "Send prompt now" reaches the bot: POST /api/plans/:id/items/:key/prompt on the running
 * app sends a prompt card to each lead of the item (captured at a local Teams stand-in), once per
 * person per day, and names the leads it cannot reach. The directory's "cannot be reached" comes
 * from the bot too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { FixedClock } from '../../src/domain/clock';
import { readPlanFile } from '../../src/import/readPlanFile';
import { createLogger } from '../../src/logger';
import { startApp, type RunningApp } from '../../src/app';
import { SqlitePlanStore } from '../../src/store/sqlite/sqlitePlanStore';
import { cardOf, cardText, startTeamsStandIn, type StandIn } from '../bot/support/teamsStandIn';
import { expectValidCards } from '../support/validateCard';
import { SHARED_PLAN } from '../support/paths';

let dir: string;
let teams: StandIn;
let running: RunningApp;
let store: SqlitePlanStore;
let planId: string;
const clock = new FixedClock('2018-08-01T09:00:00Z'); // Wednesday 1 August 2018, 10:00 London

async function api(method: string, url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${running.url}${url}`, { method, headers: { 'x-requested-with': 'dplan-test' } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-prompt-now-'));
  teams = await startTeamsStandIn();
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
  await store.setPeople(planId, 'Communications Manager', [
    { id: 'aad-dan', name: 'Dan Comms' },
    { id: 'aad-eve', name: 'Eve Away' },
  ]);
  running = await startApp({ config, store, logger: createLogger('silent'), clock }, { port: 0 });
  // Dan has the app (a 1:1 conversation with the bot); Eve never installed it.
  const res = await fetch(`${running.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      id: 'in-1',
      type: 'installationUpdate',
      action: 'add',
      channelId: 'msteams',
      serviceUrl: teams.url,
      from: { id: '29:dan', aadObjectId: 'aad-dan', name: 'Dan Comms' },
      recipient: { id: '28:bot', name: 'Delivery Plan' },
      conversation: { id: 'a:dan-1on1', conversationType: 'personal', tenantId: 't1' },
      channelData: { tenant: { id: 't1' } },
    }),
  });
  expect(res.status).toBeLessThan(300);
});

afterAll(async () => {
  await running?.close();
  await store?.close();
  await teams?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('Send prompt now', () => {
  it("sends the item's prompt card to each lead the bot can reach and names the one it cannot", async () => {
    const comms = (await store.listItems(planId)).find((i) => i.leads.includes('Communications Manager'))!;
    const before = teams.sends('a:dan-1on1').length;
    const first = await api('POST', `/api/plans/${planId}/items/${comms.key}/prompt`);
    expect(first.status).toBe(202);
    expect(first.body).toEqual({
      sent: 1,
      alreadySent: 0,
      unreachable: ['Eve Away: the app is not installed for them (no 1:1 conversation with the bot)'],
    });
    const sent = teams.sends('a:dan-1on1').slice(before);
    expect(sent).toHaveLength(1);
    const card = cardOf(sent[0]!)!;
    expect(cardText(card)).toContain('Develop a comprehensive Prevent Communication Strategy');
    expect(cardText(card)).toContain('Friday 31 August 2018 (in 30 days)');
    await expectValidCards([card]);
  });

  it('sends nothing more when pressed again the same day', async () => {
    const comms = (await store.listItems(planId)).find((i) => i.leads.includes('Communications Manager'))!;
    const before = teams.calls.length;
    const again = await api('POST', `/api/plans/${planId}/items/${comms.key}/prompt`);
    expect(again.body).toMatchObject({ sent: 0, alreadySent: 1 });
    expect(teams.calls.length).toBe(before);
  });

  it('words an Ongoing item without inventing a due date, and reports roles with nobody in them', async () => {
    const network = (await store.listItems(planId)).find((i) => i.recurring)!;
    const res = await api('POST', `/api/plans/${planId}/items/${network.key}/prompt`);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      sent: 0,
      alreadySent: 0,
      unreachable: ['Prevent Co-ordinator: nobody in the lead directory for this role'],
    });
    await store.setPeople(planId, 'Prevent Co-ordinator', [{ id: 'aad-dan', name: 'Dan Comms' }]);
    const before = teams.sends('a:dan-1on1').length;
    expect((await api('POST', `/api/plans/${planId}/items/${network.key}/prompt`)).body).toEqual({
      sent: 1,
      alreadySent: 0,
      unreachable: [],
    });
    const card = cardOf(teams.sends('a:dan-1on1')[before]!)!;
    expect(cardText(card)).toContain('Support the development of the East London Network');
    expect(cardText(card)).toContain('Ongoing: no due date (asked for an update by the co-ordinator)');
    await expectValidCards([card]);
  });

  it('says 404 for an unknown item and sends nothing', async () => {
    const before = teams.calls.length;
    const res = await api('POST', `/api/plans/${planId}/items/a9-00000000/prompt`);
    expect(res.status).toBe(404);
    expect(teams.calls.length).toBe(before);
  });

  it('feeds the directory\'s "cannot be reached" from the bot', async () => {
    const res = await fetch(`${running.url}/api/plans/${planId}/directory`);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain('Eve Away');
    expect(text).toContain('the app is not installed for them');
  });
});

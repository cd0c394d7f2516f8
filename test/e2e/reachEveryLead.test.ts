/**
 * Acceptance (issue 13, the Teams part): the shared plan with its 17 lead roles, 15 of them mapped to
 * 15 people of the tenant by Entra object id, none of whom has the app and none of whom the bot has
 * ever heard from. A prompt run on the first check-in (16 June 2018, every open item asked) reaches
 * every one of them in Teams: Teams refuses the 1:1 chat (403, app not installed), the bot installs
 * the app for them through Graph (the emulator records it), creates the chat and sends the card.
 * The ledger says how each was reached; a re-run sends nothing twice and installs nothing twice.
 * The two remaining roles are external partners held by e-mail only (MPS, LFB): Teams cannot reach
 * them (the e-mail branch of delivery.ts is another part of issue 13).
 * Then: someone not in the tenant, and someone whose Teams policy blocks the app, are reported in
 * the ledger and the digest in fixed words. Last, the Plan tab is set up in a channel that is not the
 * team's General channel (the set-up page sends its channel and team ids from the Teams context):
 * the weekly digest arrives in that channel, as a new thread the bot starts there.
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
import { CARD_ITEM } from '../../src/bot/ledger';
import { startGraphEmulator, type GraphEmulator } from '../graph-emulator/emulator';
import { cardOf, cardText, startTeamsStandIn, type StandIn } from '../bot/support/teamsStandIn';
import { SHARED_PLAN } from '../support/paths';

const TENANT = '11111111-2222-3333-4444-555555555555';
const CATALOG_APP_ID = 'c0ffee00-aaaa-4bbb-8ccc-000000000013';
const MANIFEST_ID = '6f1c2a4e-1111-4222-8333-944455556666';
const PARTNER_ROLES = ['Inspector (Local Operations/MPS)', 'Borough Commander, London Fire Brigade'];
const clock = new FixedClock('2018-06-16T07:00:00Z'); // Saturday 16 June 2018, 08:00 London: the Q1 check-in

/** An Entra object id for the n-th person. */
const oid = (n: number) => `0000000${n.toString(16)}-0000-4000-8000-00000000aa${n.toString().padStart(2, '0')}`;

let dir: string;
let teams: StandIn;
let graph: GraphEmulator;
let running: RunningApp;
let store: SqlitePlanStore;
let planId: string;
let roles: string[];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-reach-'));
  teams = await startTeamsStandIn();
  graph = await startGraphEmulator({ token: 'default-emulator-token', tenantId: TENANT });
  graph.addCatalogApp({ id: CATALOG_APP_ID, externalId: MANIFEST_ID, displayName: 'Delivery Plan' });
  // Teams lets the bot create a chat only with users the app is installed for (recorded by Graph).
  teams.appInstalledFor = (user) => graph.users.hasApp(user, CATALOG_APP_ID);
  const token = graph.addApp({ appId: MANIFEST_ID, roles: ['TeamsAppInstallation.ReadWriteSelfForUser.All'] });
  const config = loadConfig({
    NODE_ENV: 'test',
    LOCAL_MODE: 'true',
    LOG_LEVEL: 'silent',
    SQLITE_PATH: path.join(dir, 'plan.sqlite'),
    BOT_DB_PATH: path.join(dir, 'bot.sqlite'),
    SCHEDULER: 'false',
    TENANT_ID: TENANT,
    BOT_SERVICE_URL: teams.url,
    GRAPH_BASE_URL: graph.baseUrl,
    GRAPH_TOKEN: token,
    TEAMS_APP_ID: CATALOG_APP_ID,
  });
  store = new SqlitePlanStore(config.SQLITE_PATH);
  planId = (await store.importPlan(await readPlanFile(SHARED_PLAN))).planId;
  roles = [...new Set((await store.listItems(planId)).flatMap((i) => i.leads))].sort();
  const tenantRoles = roles.filter((r) => !PARTNER_ROLES.includes(r));
  // 15 people for 15 roles, each in the tenant, none with the app.
  for (const [n, role] of tenantRoles.entries()) {
    graph.users.addUser(oid(n + 1));
    await store.setPeople(planId, role, [{ id: oid(n + 1), name: `Lead ${n + 1}`, email: `lead${n + 1}@council.example` }]);
  }
  for (const [n, role] of PARTNER_ROLES.entries())
    await store.setPeople(planId, role, [
      { id: `partner${n + 1}@police.example`, name: `Partner ${n + 1}`, email: `partner${n + 1}@police.example` },
    ]);
  running = await startApp({ config, store, logger: createLogger('silent'), clock }, { port: 0 });
});

afterAll(async () => {
  await running?.close();
  await store?.close();
  await teams?.close();
  await graph?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('reaching every lead of the shared plan in a real tenant', () => {
  it('has 17 lead roles: 15 people in the tenant, 2 partners by e-mail', () => {
    expect(roles).toHaveLength(17);
    expect(roles.filter((r) => !PARTNER_ROLES.includes(r))).toHaveLength(15);
  });

  it('installs the app through Graph for each of the 15, creates the chat and sends one card each; the ledger says how', async () => {
    const report = await running.bot.runPrompts('2018-06-16');
    const people = Array.from({ length: 15 }, (_, i) => oid(i + 1));
    // Each was refused once (403, app not installed), installed through Graph, then created.
    for (const id of people) expect(graph.users.hasApp(id, CATALOG_APP_ID)).toBe(true);
    expect(graph.users.requests.map((r) => r.status)).toEqual(people.map(() => 201));
    for (const id of people) {
      const tries = teams.creations().filter((c) => JSON.stringify(c.body).includes(id));
      expect(tries).toHaveLength(2);
      expect(tries[0]!.body).toMatchObject({
        isGroup: false,
        members: [{ id }],
        tenantId: TENANT,
        channelData: { tenant: { id: TENANT } },
      });
      const cards = teams.sends(`a:created-${id}`);
      expect(cards).toHaveLength(1);
      expect(cardText(cardOf(cards[0]!))).toMatch(/Update needed|Check-in/);
    }
    // The ledger: one card per person, sent, saying how they were reached.
    const rows = (await running.runtime.ledger.between(planId, '2018-06-16', '2018-06-16')).filter((r) => r.itemKey === CARD_ITEM);
    const byPerson = new Map(rows.map((r) => [r.personId, r]));
    for (const id of people) expect(byPerson.get(id)).toMatchObject({ state: 'sent', detail: 'reached: installed the app, then sent' });
    // The partners held by e-mail only are not reached in Teams (the e-mail branch is issue 13's other part).
    for (const n of [1, 2]) expect(byPerson.get(`partner${n}@police.example`)?.state).toBe('unreachable');
    expect(report.totals.sent).toBe(15);
    // The bot now keeps each chat: the digest's "cannot be reached" lists only the partners.
    const plan = (await store.getPlan(planId))!;
    const unreachable = await running.bot.unreachableLeads(plan, await store.listItems(planId));
    expect(unreachable.map((u) => u.who).sort()).toEqual(['Partner 1', 'Partner 2']);
  });

  it('sends nothing twice and installs nothing twice when the run is repeated', async () => {
    const sends = teams.sends().length;
    const creations = teams.creations().length;
    const installs = graph.users.requests.length;
    const again = await running.bot.runPrompts('2018-06-16');
    expect(again.totals.sent ?? 0).toBe(0);
    expect(teams.sends().length).toBe(sends);
    expect(teams.creations().length).toBe(creations);
    expect(graph.users.requests.length).toBe(installs);
  });

  it('reports a person the tenant does not hold, and one whose Teams policy blocks the app, in fixed words', async () => {
    const item = (await store.listItems(planId)).find((i) => i.leads.length === 1 && !PARTNER_ROLES.includes(i.leads[0]!))!;
    const role = item.leads[0]!;
    const blocked = oid(16);
    graph.users.addUser(blocked, { blockedByPolicy: true });
    await store.setPeople(planId, role, [
      { id: oid(17), name: 'Gone Person' },
      { id: blocked, name: 'Blocked Person' },
    ]);
    const report = await running.bot.promptNow(planId, item.key, 'test');
    expect(report.sent).toBe(0);
    expect(report.unreachable.join('\n')).toMatch(/Gone Person: user not found: /);
    expect(report.unreachable.join('\n')).toMatch(/Blocked Person: not allowed by policy: /);
    expect(graph.users.hasApp(blocked)).toBe(false);
    const digest = await running.bot.runDigest(new Date('2018-06-18T08:30:00Z'), { dryRun: true, planId });
    const text = JSON.stringify(digest[0]!.content.unreachable);
    expect(text).toContain('Gone Person');
    expect(text).toContain('Blocked Person');
  });
});

describe("the digest in the plan's channel", () => {
  const TEAM = '19:team-prevent@thread.tacv2';
  const CHANNEL = '19:prevent-partnership@thread.tacv2';

  async function api(method: string, url: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${running.url}${url}`, {
      method,
      headers: { 'x-requested-with': 'dplan-test', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('posts the digest in the channel the tab was set up in, though it is not General', async () => {
    // Teams: the team has the General channel (the team's id) and the partnership's channel.
    teams.teamChannels.set(TEAM, TEAM);
    teams.teamChannels.set(CHANNEL, TEAM);
    // Adding the tab adds the app to the team: the bot hears of it in the team's General channel.
    teams.teamsWithBot.add(TEAM);
    const added = await fetch(`${running.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'conversationUpdate',
        id: 'team-install',
        channelId: 'msteams',
        serviceUrl: teams.url,
        from: { id: '29:someone', aadObjectId: oid(1) },
        recipient: { id: '28:dplan-bot', name: 'Delivery Plan' },
        conversation: { id: TEAM, conversationType: 'channel', tenantId: TENANT },
        channelData: { tenant: { id: TENANT }, team: { id: TEAM }, eventType: 'teamMemberAdded' },
        membersAdded: [{ id: '28:dplan-bot' }],
      }),
    });
    expect(added.status).toBe(200);
    // The set-up page (a co-ordinator; local mode's developer is one) keeps the channel with the plan.
    const bad = await api('PUT', `/api/plans/${planId}/channel`, { channelId: 'General', teamId: TEAM });
    expect(bad.status).toBe(400);
    const linked = await api('PUT', `/api/plans/${planId}/channel`, { channelId: CHANNEL, teamId: TEAM });
    expect(linked.status).toBe(200);
    expect(linked.body.digestChannel).toBe(CHANNEL);

    const [report] = await running.bot.runDigest(new Date('2018-06-18T08:30:00Z'), { planId });
    expect(report).toMatchObject({ outcome: 'sent', sentTo: CHANNEL });
    const threads = teams.creations().filter((c) => (c.body as { isGroup?: boolean }).isGroup);
    expect(threads).toHaveLength(1);
    expect(threads[0]!.body).toMatchObject({ isGroup: true, channelData: { channel: { id: CHANNEL } }, tenantId: TENANT });
    const card = (threads[0]!.body as { activity: { attachments: Array<{ content: unknown }> } }).activity.attachments[0]!.content;
    expect(cardText(card)).toContain('weekly digest');
    // Nothing went to General.
    expect(teams.sends(TEAM)).toHaveLength(0);
    // Once a day: the scheduler's next tick posts nothing more.
    await running.bot.runDigest(new Date('2018-06-18T09:30:00Z'), { planId });
    expect(teams.creations().filter((c) => (c.body as { isGroup?: boolean }).isGroup)).toHaveLength(1);
  });

  it("tells the co-ordinators why when the app is not in that channel's team", async () => {
    teams.teamsWithBot.delete(TEAM);
    const [report] = await running.bot.runDigest(new Date('2018-06-25T08:30:00Z'), { planId });
    expect(report!.outcome).toBe('failed');
    expect(report!.detail).toMatch(/403/);
  });
});

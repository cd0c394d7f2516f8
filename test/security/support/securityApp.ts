/**
 * The real app for the hostile-input suites: startApp on port 0 with a temp SQLite store seeded
 * from the shared plan (readPlanFile), a lead directory, and a local stand-in for the Teams service
 * URL. Suites drive it over HTTP only; the store is read directly just to snapshot it (items,
 * history, directory) so each refusal can be shown to have written nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config';
import { FixedClock } from '../../../src/domain/clock';
import { readPlanFile } from '../../../src/import/readPlanFile';
import { createLogger } from '../../../src/logger';
import { startApp, type RunningApp } from '../../../src/app';
import { SqlitePlanStore } from '../../../src/store/sqlite/sqlitePlanStore';
import { startTeamsStandIn, type StandIn } from '../../bot/support/teamsStandIn';
import { SHARED_PLAN } from '../../support/paths';

/** Items of the shared plan the suites use (keys are stable: derived from the plan text). */
export const ITEMS = {
  /** Led by the Prevent Co-ordinator (Ann); output 0 has a numeric target (50). */
  ann: 'a2-97caae44',
  /** Led by the Communications Manager (Dan): not Ann's. */
  dan: 'a4-40e7a1e7',
  /** Led by the Head of Integrated Youth and Community Service (Bob); outputs 0 and 1 have targets. */
  bob: 'a4-9f09ae1d',
} as const;

export const PEOPLE = {
  ann: { id: '29:ann', aadObjectId: 'aad-ann', name: 'Ann Lead', email: 'ann@council.example' },
  bob: { id: '29:bob', aadObjectId: 'aad-bob', name: 'Bob Youth', email: 'bob@council.example' },
  dan: { id: '29:dan', aadObjectId: 'aad-dan', name: 'Dan Comms', email: 'dan@council.example' },
  /** In nobody's directory entry and not a co-ordinator. */
  stranger: { id: '29:stranger', aadObjectId: 'aad-stranger', name: 'Sam Stranger', email: 'sam@elsewhere.example' },
  cora: { id: '29:cora', aadObjectId: 'aad-cora', name: 'Cora Coordinator', email: 'cora@council.example' },
} as const;
export type Who = keyof typeof PEOPLE;

export const BOT = { id: '28:dplan-bot', name: 'Delivery Plan' };
export const TENANT = '11111111-2222-3333-4444-555555555555';

export interface SecurityApp {
  url: string;
  planId: string;
  store: SqlitePlanStore;
  clock: FixedClock;
  running: RunningApp;
  teams: StandIn;
  /** Items, history, directory and plans, serialised: equal before and after means nothing was written. */
  snapshot(): Promise<string>;
  /** GET /healthz answers 200 {ok: true}. */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

export async function startSecurityApp(env: Record<string, string> = {}): Promise<SecurityApp> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-security-'));
  const teams = await startTeamsStandIn();
  for (const p of Object.values(PEOPLE))
    teams.members.set(p.id, { id: p.id, name: p.name, aadObjectId: p.aadObjectId, userPrincipalName: p.email });
  const config = loadConfig({
    NODE_ENV: 'test',
    LOCAL_MODE: 'true',
    LOG_LEVEL: 'silent',
    SQLITE_PATH: path.join(dir, 'plan.sqlite'),
    SETTINGS_DB_PATH: path.join(dir, 'settings.sqlite'),
    BOT_DB_PATH: path.join(dir, 'bot.sqlite'),
    COORDINATOR_IDS: PEOPLE.cora.email,
    PUBLIC_URL: 'https://plan.example.gov.uk',
    SCHEDULER: 'false',
    ...env,
  });
  const store = new SqlitePlanStore(config.SQLITE_PATH);
  const planId = (await store.importPlan(await readPlanFile(SHARED_PLAN))).planId;
  const person = (p: (typeof PEOPLE)[Who]) => ({ id: p.aadObjectId, name: p.name, email: p.email });
  await store.setPeople(planId, 'Prevent Co-ordinator', [person(PEOPLE.ann)]);
  await store.setPeople(planId, 'Head of Integrated Youth and Community Service', [person(PEOPLE.bob)]);
  await store.setPeople(planId, 'Communications Manager', [person(PEOPLE.dan)]);
  // A Monday in the plan year: milestones of 30 September 2018 are ahead, 31 July 2018 behind.
  const clock = new FixedClock('2018-09-03T09:00:00Z');
  const running = await startApp({ config, store, logger: createLogger('silent'), clock }, { port: 0 });
  return {
    url: running.url,
    planId,
    store,
    clock,
    running,
    teams,
    snapshot: async () =>
      JSON.stringify({
        plans: await store.listPlans(),
        items: await store.listItems(planId),
        history: await store.history(planId),
        directory: await store.listDirectory(planId),
      }),
    healthy: async () => {
      const res = await fetch(`${running.url}/healthz`);
      return res.status === 200 && ((await res.json()) as { ok?: boolean }).ok === true;
    },
    close: async () => {
      await running.bot.idle();
      await running.close();
      await store.close();
      await teams.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Raw HTTP: the body is sent exactly as given (a string), so tests can send what JSON.stringify never would. */
export async function send(
  url: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any; text: string; headers: Headers }> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    // As the tab sends it: a local-mode server takes changes only with it (src/server/localGuard.ts).
    headers: { 'x-requested-with': 'dplan-test', ...init.headers },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const text = await res.text();
  let body: unknown = undefined;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
  return { status: res.status, body, text, headers: res.headers };
}

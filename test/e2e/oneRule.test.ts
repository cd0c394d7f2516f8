/**
 * One rule, one place: the same report gets the same answer from the bot's card (an Action.Execute
 * POSTed to /api/messages) and from the tab (POST /api/plans/:id/items/:key/status). Each case runs
 * through both surfaces of the real app, each on its own fresh copy of the shared plan, and both must
 * come out the same: recorded or refused, with the same problems in the same words, and the same
 * history left behind.
 */
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { FixedClock } from '../../src/domain/clock';
import { planContentHash } from '../../src/domain/contentHash';
import type { StatusUpdate } from '../../src/domain/model';
import { readPlanFile } from '../../src/import/readPlanFile';
import { createLogger } from '../../src/logger';
import type { StoredItem } from '../../src/store/planStore';
import { SqlitePlanStore } from '../../src/store/sqlite/sqlitePlanStore';
import { cardText, startTeamsStandIn, type StandIn } from '../bot/support/teamsStandIn';
import { SHARED_PLAN } from '../support/paths';

const TENANT = 'tenant-1';
const ITEM_TITLE = 'Host two Community Roundtable events';
/** Ann leads the item (Prevent Co-ordinator); Casey leads another role; Cora co-ordinates and leads nothing. */
const PEOPLE = {
  ann: { aad: 'aad-ann', email: 'ann@council.example', name: 'Ann Lead' },
  casey: { aad: 'aad-casey', email: 'casey@council.example', name: 'Casey Comms' },
  cora: { aad: 'aad-cora', email: 'cora@council.example', name: 'Cora Coordinator' },
};
type Who = keyof typeof PEOPLE;

interface Case {
  name: string;
  who: Who;
  report: { rag: string; note?: string; figures?: Record<string, string>; revisedDate?: string };
  /** What happens to the item between the person's view and their answer. */
  meanwhile?: 'another report' | 'plan edit';
  /** The item key, when not the roundtable item. */
  key?: string;
}

const CASES: Case[] = [
  {
    name: 'Green with a figure against a numeric target',
    who: 'ann',
    report: { rag: 'green', note: 'Venue booked', figures: { 0: '20' } },
  },
  { name: 'Red without a note', who: 'ann', report: { rag: 'red' } },
  { name: 'Amber without a note', who: 'ann', report: { rag: 'amber', note: '  ' } },
  { name: 'Red with a revised date', who: 'ann', report: { rag: 'red', note: 'Venue lost', revisedDate: '2018-11-30' } },
  { name: 'Amber with a revised date', who: 'ann', report: { rag: 'amber', note: 'At risk', revisedDate: '2018-11-30' } },
  { name: 'Red with a revised date in the past', who: 'ann', report: { rag: 'red', note: 'Late', revisedDate: '2018-08-01' } },
  { name: 'a figure over the limit', who: 'ann', report: { rag: 'green', figures: { 0: '1000000000000' } } },
  { name: 'a figure for an output with no target', who: 'ann', report: { rag: 'green', figures: { 1: '3' } } },
  { name: 'a note over 2,000 characters', who: 'ann', report: { rag: 'green', note: 'x'.repeat(2001) } },
  { name: 'no status at all', who: 'ann', report: { rag: '' } },
  { name: 'a person who does not lead the item', who: 'casey', report: { rag: 'green', note: 'Not mine' } },
  { name: 'a co-ordinator who leads nothing', who: 'cora', report: { rag: 'complete', note: 'Closed at the board' } },
  { name: 'a stale version: the plan changed since', who: 'ann', report: { rag: 'green', note: 'ok' }, meanwhile: 'plan edit' },
  { name: 'a stale version: someone reported since', who: 'ann', report: { rag: 'green', note: 'ok' }, meanwhile: 'another report' },
  { name: 'an item that is not in the plan', who: 'ann', report: { rag: 'green' }, key: 'a9-00000000' },
];

/** What a surface answered, in the same terms for both. */
interface Answer {
  kind: 'recorded' | 'invalid' | 'forbidden' | 'stale' | 'not-found';
  /** The problems or the reason, in the words the person sees. */
  words: string[];
}

let teams: StandIn;
beforeAll(async () => {
  teams = await startTeamsStandIn();
});
afterAll(async () => {
  await teams.close();
});

async function freshApp(): Promise<{
  running: RunningApp;
  store: SqlitePlanStore;
  planId: string;
  item: StoredItem;
  close(): Promise<void>;
}> {
  const store = new SqlitePlanStore(':memory:');
  const { planId } = await store.importPlan(await readPlanFile(SHARED_PLAN));
  await store.setPeople(planId, 'Prevent Co-ordinator', [{ id: PEOPLE.ann.aad, name: PEOPLE.ann.name, email: PEOPLE.ann.email }]);
  await store.setPeople(planId, 'Communications Manager', [{ id: PEOPLE.casey.aad, name: PEOPLE.casey.name, email: PEOPLE.casey.email }]);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOCAL_MODE: 'true',
    SQLITE_PATH: ':memory:',
    SETTINGS_DB_PATH: ':memory:',
    COORDINATOR_IDS: `${PEOPLE.cora.aad},${PEOPLE.cora.email}`,
  });
  const running = await startApp(
    { config, store, logger: createLogger('silent'), clock: new FixedClock('2018-09-05T10:00:00Z') },
    { port: 0 },
  );
  const item = (await store.listItems(planId)).find((i) => i.title.startsWith(ITEM_TITLE))!;
  return {
    running,
    store,
    planId,
    item,
    close: async () => {
      await running.close();
      await store.close();
    },
  };
}

/** Brings the item to the case's "meanwhile" state, after the person's view was taken. */
async function meanwhile(c: Case, app: Awaited<ReturnType<typeof freshApp>>): Promise<void> {
  const { store, planId, item } = app;
  if (c.meanwhile === 'another report') {
    await store.updateStatus(
      planId,
      item.key,
      { to: 'amber', note: 'From the board', by: 'Someone Else', at: '2018-09-05T09:00:00.000Z' },
      item.version,
    );
  } else if (c.meanwhile === 'plan edit') {
    await store.updateItem(planId, item.key, { outcomes: ['A changed outcome'] }, item.version);
  }
}

/** The card surface: the prompt card's own data as the bot would have sent it, answered by the person. */
async function byCard(c: Case): Promise<{ answer: Answer; history: StatusUpdate[] }> {
  const app = await freshApp();
  try {
    const { item, planId } = app;
    // A card made before cards carried a content fingerprint cannot prove only reports came in since:
    // the same basis the tab gives, so that "stale" means the same on both surfaces.
    const data: Record<string, unknown> = {
      planId,
      itemKey: c.key ?? item.key,
      version: item.version,
      ...(c.meanwhile === 'plan edit' ? { content: planContentHash(item), seen: '' } : {}),
      rag: c.report.rag,
      note: c.report.note ?? '',
      revisedDate: c.report.revisedDate ?? '',
      ...Object.fromEntries(Object.entries(c.report.figures ?? {}).map(([i, v]) => [`figure_${i}`, v])),
    };
    await meanwhile(c, app);
    const person = PEOPLE[c.who];
    const res = await fetch(`${app.running.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'invoke',
        name: 'adaptiveCard/action',
        id: `in-${c.name}`,
        channelId: 'msteams',
        serviceUrl: teams.url,
        from: { id: `29:${c.who}`, aadObjectId: person.aad, name: person.name },
        recipient: { id: '28:bot', name: 'Delivery Plan' },
        conversation: { id: `a:${c.who}`, conversationType: 'personal', tenantId: TENANT },
        channelData: { tenant: { id: TENANT } },
        value: { action: { type: 'Action.Execute', verb: 'recordStatus', data }, trigger: 'manual' },
      }),
    });
    expect(res.status).toBe(200);
    const card = ((await res.json()) as { value: { body: Array<Record<string, unknown>> } }).value;
    await app.running.bot.idle();
    return { answer: cardAnswer(card), history: await app.store.history(planId) };
  } finally {
    await app.close();
  }
}

/** The attention banner of a refused item on a card, if any: its title says why, its lines are the problems. */
function bannerOf(card: unknown): { items?: Array<{ text: string }> } | undefined {
  let found: { items?: Array<{ text: string }> } | undefined;
  const walk = (x: unknown) => {
    if (found) return;
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as { type?: string; style?: string; items?: Array<{ text: string }> };
      if (o.type === 'Container' && o.style === 'attention' && /^Not recorded/.test(o.items?.[0]?.text ?? '')) found = o;
      else Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return found;
}

/** A refused item on the card carries an attention banner: its title says why, its lines are the problems. */
function cardAnswer(card: { body: Array<Record<string, unknown>> }): Answer {
  const banner = bannerOf(card);
  if (!banner) {
    const text = cardText(card);
    if (/This item is no longer in the plan/.test(text)) return { kind: 'not-found', words: [] };
    expect(text).toMatch(/Recorded: /);
    return { kind: 'recorded', words: [] };
  }
  const [title, ...lines] = (banner.items ?? []).map((t) => t.text);
  if (/please correct this/.test(title!)) return { kind: 'invalid', words: lines };
  if (/not a lead for this item/.test(title!)) return { kind: 'forbidden', words: [lines[0]!] };
  if (/^Not recorded: (this item was changed|someone reported|a newer card)/.test(title!)) return { kind: 'stale', words: [] };
  throw new Error(`An unexpected refusal: ${title}`);
}

/** The tab surface: the person's view is the item they opened; they report with its version. */
async function byTab(c: Case): Promise<{ answer: Answer; history: StatusUpdate[] }> {
  const app = await freshApp();
  try {
    const { item, planId } = app;
    await meanwhile(c, app);
    const res = await fetch(`${app.running.url}/api/plans/${planId}/items/${c.key ?? item.key}/status`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-requested-with': 'dplan-test',
        'x-dev-user': PEOPLE[c.who].email,
        'if-match': `"${item.version}"`,
      },
      body: JSON.stringify({
        to: c.report.rag,
        ...(c.report.note !== undefined ? { note: c.report.note } : {}),
        ...(c.report.figures ? { figures: c.report.figures } : {}),
        ...(c.report.revisedDate ? { revisedDate: c.report.revisedDate } : {}),
      }),
    });
    const body = (await res.json()) as { message?: string; problems?: Array<{ message: string }> };
    const answer: Answer =
      res.status === 200
        ? { kind: 'recorded', words: [] }
        : res.status === 400
          ? { kind: 'invalid', words: (body.problems ?? []).map((p) => p.message) }
          : res.status === 403
            ? { kind: 'forbidden', words: [body.message!] }
            : res.status === 409
              ? { kind: 'stale', words: [] }
              : res.status === 404
                ? { kind: 'not-found', words: [] }
                : { kind: 'invalid', words: [`unexpected ${res.status}`] };
    return { answer, history: await app.store.history(planId) };
  } finally {
    await app.close();
  }
}

/**
 * History as both surfaces must leave it: how the report came in aside, and the reporter as the
 * person (local mode's tab identity is the e-mail address; the card gives the Teams display name).
 */
function comparable(history: StatusUpdate[]): unknown[] {
  const person = (by: string) => Object.entries(PEOPLE).find(([, p]) => p.name === by || p.email === by)?.[0] ?? by;
  return history.map(({ via: _via, byId: _byId, by, ...rest }) => ({ ...rest, by: person(by) }));
}

describe('the same report gets the same answer from the card and from the tab', () => {
  const expected: Record<string, Answer['kind']> = {
    'Green with a figure against a numeric target': 'recorded',
    'Red without a note': 'invalid',
    'Amber without a note': 'invalid',
    'Red with a revised date': 'recorded',
    'Amber with a revised date': 'invalid',
    'Red with a revised date in the past': 'invalid',
    'a figure over the limit': 'invalid',
    'a figure for an output with no target': 'invalid',
    'a note over 2,000 characters': 'invalid',
    'no status at all': 'invalid',
    'a person who does not lead the item': 'forbidden',
    'a co-ordinator who leads nothing': 'recorded',
    'a stale version: the plan changed since': 'stale',
    'a stale version: someone reported since': 'stale',
    'an item that is not in the plan': 'not-found',
  };

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const [card, tab] = [await byCard(c), await byTab(c)];
    expect(card.answer.kind).toBe(expected[c.name]);
    expect(tab.answer).toEqual(card.answer);
    expect(comparable(tab.history)).toEqual(comparable(card.history));
    if (card.answer.kind !== 'recorded') {
      // A refusal changes nothing but what happened meanwhile.
      expect(card.history.filter((u) => u.by !== 'Someone Else')).toEqual([]);
    }
  });

  it('records a revised date as a move of the milestone, the same from both', async () => {
    const c = CASES.find((x) => x.name === 'Red with a revised date')!;
    for (const surface of [byCard, byTab]) {
      const { history } = await surface(c);
      expect(history).toEqual([
        expect.objectContaining({ to: 'red', note: 'Venue lost', revisedDate: '2018-11-30', revisedFrom: '2018-09-30' }),
      ]);
    }
  });
});

/**
 * The bot's words, fixed (issue 12): each one through the bot as a person meets it. (Cards alone are
 * in cards.test.ts: "1 day ago", figures with units, summaries cut at a word, Amber contrast, the help
 * example, the status card.)
 */
import { loadConfig } from '../../src/config';
import { FixedClock } from '../../src/domain/clock';
import { readPlanFile } from '../../src/import/readPlanFile';
import { createLogger } from '../../src/logger';
import { createBotRuntime, type BotRuntime } from '../../src/bot/runtime';
import type { IncomingActivity } from '../../src/bot/activity';
import { SqlitePlanStore } from '../../src/store/sqlite/sqlitePlanStore';
import { SHARED_PLAN } from '../support/paths';
import { cardOf, cardText, startTeamsStandIn, type StandIn } from './support/teamsStandIn';

const GUID = '3f2a1b9c-0d4e-4f5a-8b6c-7d8e9f0a1b2c';
let teams: StandIn;
let store: SqlitePlanStore;
let rt: BotRuntime;
let planId: string;
const clock = new FixedClock('2018-09-03T07:00:00Z'); // Monday 3 September 2018, 08:00 London

function message(text: string): IncomingActivity {
  return {
    type: 'message',
    text,
    serviceUrl: teams.url,
    from: { id: '29:ann', aadObjectId: 'aad-ann', name: 'Ann Lead' },
    recipient: { id: '28:bot' },
    conversation: { id: 'a:ann', conversationType: 'personal' },
  };
}

beforeAll(async () => {
  teams = await startTeamsStandIn();
  store = new SqlitePlanStore(':memory:');
  planId = (await store.importPlan(await readPlanFile(SHARED_PLAN))).planId;
  await store.setPeople(planId, 'Prevent Co-ordinator', [{ id: 'aad-ann', name: 'Ann Lead' }]);
  // One co-ordinator named by e-mail (in the directory as Cora), one by an Entra object id only; neither installed the app.
  await store.setPeople(planId, 'Communications Manager', [{ id: 'aad-cora', name: 'Cora Coordinator', email: 'cora@council.example' }]);
  rt = createBotRuntime({
    config: loadConfig({
      NODE_ENV: 'test',
      LOCAL_MODE: 'true',
      BOT_DB_PATH: ':memory:',
      SETTINGS_DB_PATH: ':memory:',
      COORDINATOR_IDS: `cora@council.example,${GUID}`,
    }),
    store,
    logger: createLogger('silent'),
    clock,
  });
  await rt.bot.remember({ ...message(''), type: 'installationUpdate', action: 'add' });
  await rt.conversations.save(
    { key: 'channel:19:plan', kind: 'channel', conversationId: '19:plan', serviceUrl: teams.url, teamId: '19:plan' },
    clock.now().toISOString(),
  );
});

afterAll(async () => {
  await rt.close();
  await store.close();
  await teams.close();
});

it('names an unreachable co-ordinator in the digest in words, never by a raw id', async () => {
  await rt.bot.runPrompts('2018-09-03');
  const [digest] = await rt.bot.runDigest(new Date('2018-09-03T08:00:00Z'));
  const coordinators = digest!.content.unreachable.filter((u) => u.who.startsWith('Co-ordinator'));
  expect(coordinators.map((u) => u.who).sort()).toEqual([
    'Co-ordinator Cora Coordinator',
    'Co-ordinator whose name the bot does not know yet',
  ]);
  for (const u of coordinators) {
    expect(u.why).toMatch(
      /^could not be sent (the list of leads Teams cannot reach|the "needs your attention" card): the app is not installed for them/,
    );
    expect(u.why).not.toMatch(/notice:|for the co-ordinator/);
  }
  expect(JSON.stringify(digest!.card)).not.toContain(GUID);
});

it('does not send the same unreachable list twice in one morning (digest, then "needs your attention")', async () => {
  const me = 'cora@council.example';
  await rt.conversations.save(
    {
      key: 'user:aad-cora',
      kind: 'personal',
      userId: '29:cora',
      aadObjectId: 'aad-cora',
      name: 'Cora Coordinator',
      conversationId: 'a:cora',
      serviceUrl: teams.url,
    },
    clock.now().toISOString(),
  );
  // Learned from the conversation's members when she installed the app: she is named by UPN in COORDINATOR_IDS.
  await rt.conversations.setUpn('user:aad-cora', me);
  // Monday 10 September: the morning run finds roles with nobody, and tells Cora; then the digest.
  clock.set('2018-09-10T07:00:00Z');
  await rt.bot.runPrompts('2018-09-10');
  clock.set('2018-09-10T08:00:00Z');
  await rt.bot.runDigest(clock.now());
  const toCora = teams.sends('a:cora').map((c) => cardText(cardOf(c)));
  const lists = toCora.filter((t) => /Leads Teams could not reach\n.*nobody in the lead directory/.test(t));
  expect(lists).toHaveLength(1);
  const attention = toCora.filter((t) => t.includes('Overdue or Red for two weeks or more'));
  expect(attention).toHaveLength(1);
  expect(attention[0]).toMatch(/\d+ leads are listed in this week's digest\./);
  expect(attention[0]).not.toContain('nobody in the lead directory');
});

it('answers text it does not understand by saying so, with what it does understand', async () => {
  const card = await rt.bot.handleMessage(message('can you chase the youth team'));
  const text = cardText(card);
  expect(text).toContain('I did not understand "can you chase the youth team"');
  expect(text).toContain('my actions');
  expect(text).not.toMatch(/^Delivery Plan bot$/m);
  // A title in the text is offered as a status command.
  expect(cardText(await rt.bot.handleMessage(message('champions')))).toMatch(
    /status a4-[0-9a-f]{8}: Develop staff network of "Prevent Champions"/,
  );
  // The help example names one of Ann's own items.
  const help = cardText(await rt.bot.handleMessage(message('help')));
  const mine = (await store.listItems(planId)).filter((i) => i.leads.includes('Prevent Co-ordinator'))[0]!;
  expect(help).toContain(`status ${mine.key}`);
});

it('lists "my actions" overdue first, the longest overdue at the top', async () => {
  clock.set('2018-10-15T09:00:00Z');
  const text = cardText(await rt.bot.handleMessage(message('my actions')));
  const overdue = [...text.matchAll(/overdue since (\w+ \d+ \w+ \d{4})/g)].map((m) => Date.parse(m[1]!.replace(/^\w+ /, '')));
  expect(overdue.length).toBeGreaterThan(2);
  expect(overdue).toEqual([...overdue].sort((a, b) => a - b));
  // June's item (Prevent representation at the boards) before July's, though "Develop…" sorts first by title.
  expect(text.indexOf('Develop and strengthen relations')).toBeLessThan(text.indexOf('Develop a Partnership Community Engagement Plan'));
});

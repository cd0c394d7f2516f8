/**
 * The send queue's poison path (STATE_STORE=azure), through the running app: a card's message that
 * its workers kept failing on (taken more than MAX_DEQUEUES times) goes to the poison queue, its card
 * is marked failed and the co-ordinator is told; a message the app cannot read at all goes to the
 * poison queue at once, saying so, and holds up none of the messages received with it.
 */
import type { QueueClient } from '@azure/storage-queue';
import { startApp, type RunningApp } from '../../src/app';
import { CARD_ITEM, REASON_CARD } from '../../src/bot/ledger';
import { MAX_DEQUEUES } from '../../src/bot/sendWorker';
import { loadConfig, type Config } from '../../src/config';
import { FixedClock } from '../../src/domain/clock';
import { promptIdOf } from '../../src/domain/reminders';
import { readPlanFile } from '../../src/import/readPlanFile';
import { createLogger } from '../../src/logger';
import { AzureConversationStore } from '../../src/state/azure/azureConversationStore';
import { AzureSendLedger } from '../../src/state/azure/azureSendLedger';
import { UNREADABLE } from '../../src/state/azure/azureSendQueue';
import { openStorageAccount, stateName } from '../../src/state/azure/storageAccount';
import type { QueuedSend } from '../../src/state/sendQueue';
import { SqlitePlanStore } from '../../src/store/sqlite/sqlitePlanStore';
import { startTeamsStandIn, type StandIn } from '../bot/support/teamsStandIn';
import { startAzurite, type Azurite } from '../support/azurite';
import { SHARED_PLAN } from '../support/paths';
import { waitUntil } from '../support/waitUntil';

jest.setTimeout(120_000);

const TENANT = '11111111-2222-3333-4444-555555555516';
const COORDINATOR = 'aad-coordinator';
const DAY = '2018-06-16';

let azurite: Azurite;
let teams: StandIn;
let store: SqlitePlanStore;
let running: RunningApp | undefined;
let config: Config;

beforeAll(async () => {
  azurite = await startAzurite();
  teams = await startTeamsStandIn();
  config = loadConfig({
    NODE_ENV: 'test',
    LOCAL_MODE: 'true',
    LOG_LEVEL: 'silent',
    SQLITE_PATH: ':memory:',
    SCHEDULER: 'false',
    STATE_STORE: 'azure',
    AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    STATE_PREFIX: 'poison',
    TENANT_ID: TENANT,
    BOT_SERVICE_URL: teams.url,
    COORDINATOR_IDS: COORDINATOR,
  });
  store = new SqlitePlanStore(':memory:');
});

afterAll(async () => {
  await running?.close();
  await store?.close();
  await teams?.close();
  await azurite?.stop();
});

const text = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

async function drain(queue: QueueClient): Promise<Array<Record<string, unknown>>> {
  const got = await queue.receiveMessages({ numberOfMessages: 32 });
  return got.receivedMessageItems.map((m) => JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as Record<string, unknown>);
}

it('moves a card its workers kept failing on, and a message it cannot read, to the poison queue; marks the card failed and tells the co-ordinator', async () => {
  const planId = (await store.importPlan(await readPlanFile(SHARED_PLAN))).planId;
  const account = openStorageAccount(config);
  const [sends, poison] = [stateName(config, 'sends').toLowerCase(), stateName(config, 'sends-poison').toLowerCase()];
  await account.ensure({ tables: [stateName(config, 'ledger'), stateName(config, 'conversations')], queues: [sends, poison] });
  // The co-ordinator has the app (their chat is stored).
  await new AzureConversationStore(account.table(stateName(config, 'conversations'))).save(
    {
      key: `user:${COORDINATOR}`,
      kind: 'personal',
      userId: '29:coordinator',
      aadObjectId: COORDINATOR,
      name: 'Cora Ordinator',
      conversationId: 'a:coordinator',
      serviceUrl: teams.url,
      tenantId: TENANT,
      botId: '28:bot',
    },
    `${DAY}T06:00:00.000Z`,
  );
  // A prompt run queued a card for a lead.
  const key = {
    planId,
    itemKey: CARD_ITEM,
    milestone: '',
    reason: REASON_CARD,
    personId: 'aad-lead',
    personName: 'Lee Lead',
    dateKey: DAY,
  };
  const cardId = promptIdOf(key);
  const ledger = new AzureSendLedger(account.table(stateName(config, 'ledger')), 'run');
  expect(await ledger.claim({ ...key, id: cardId }, `${DAY}T07:00:00.000Z`, [], { queued: true })).toBe(true);
  const send: QueuedSend = {
    cardId,
    planId,
    date: DAY,
    person: { id: 'aad-lead', name: 'Lee Lead' },
    request: { planId, date: DAY, items: [], summary: 'Your actions' },
    card: { type: 'AdaptiveCard', version: '1.5', body: [] },
  };
  const queue = account.queue(sends);
  await queue.sendMessage('not a card at all');
  await queue.sendMessage(text(send));
  // Workers took the card's message MAX_DEQUEUES times and never finished with it (each time it came back).
  for (let n = 0; n < MAX_DEQUEUES; n++) {
    const got = (await queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 60 })).receivedMessageItems;
    expect(got.map((m) => m.messageText)).toContain(text(send));
    for (const m of got) await queue.updateMessage(m.messageId, m.popReceipt, undefined, 0);
  }

  running = await startApp({ config, store, logger: createLogger('silent'), clock: new FixedClock(`${DAY}T07:05:00.000Z`) }, { port: 0 });

  await waitUntil(async () => (await ledger.get(cardId))?.state === 'failed', { timeoutMs: 60_000, what: 'the card marked failed' });
  expect((await ledger.get(cardId))?.detail).toBe(`the send queue gave up on this card after ${MAX_DEQUEUES} attempts`);
  await waitUntil(() => teams.sends('a:coordinator').length === 1, { timeoutMs: 30_000, what: "the co-ordinator's notice" });
  expect(JSON.stringify(teams.sends('a:coordinator')[0]!.body)).toContain('Lee Lead');
  expect(teams.sends().filter((c) => c.conversationId !== 'a:coordinator')).toHaveLength(0);
  await waitUntil(async () => ((await queue.getProperties()).approximateMessagesCount ?? 0) === 0, {
    timeoutMs: 30_000,
    what: 'the send queue empty',
  });
  const poisoned = await drain(account.queue(poison));
  expect(poisoned).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        cardId,
        why: `the send queue gave up on this card after ${MAX_DEQUEUES} attempts`,
        dequeueCount: MAX_DEQUEUES + 1,
      }),
      expect.objectContaining({ why: UNREADABLE, messageText: 'not a card at all' }),
    ]),
  );
  expect(poisoned).toHaveLength(2);
});

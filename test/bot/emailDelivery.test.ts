/**
 * Delivery's e-mail branch (bot/delivery.ts → bot/emailDelivery.ts): who is e-mailed, what the ledger
 * is told, and an honest outcome when the mail does not go.
 */
import { AnswerLinkSigner } from '../../src/auth/answerLink';
import { openBotDb } from '../../src/bot/botDb';
import { SqliteConversationStore } from '../../src/bot/conversations';
import { Delivery, type DeliveryRequest } from '../../src/bot/delivery';
import { EmailDelivery } from '../../src/bot/emailDelivery';
import type { TeamsSender } from '../../src/bot/sender';
import { AmbiguousWriteError, MissingGrantError } from '../../src/graph/graphErrors';
import type { Mailer, MailMessage } from '../../src/graph/mailer';
import { readPlanFile } from '../../src/import/readPlanFile';
import { createLogger } from '../../src/logger';
import { SqlitePlanStore } from '../../src/store/sqlite/sqlitePlanStore';
import { SHARED_PLAN } from '../support/paths';

const now = () => new Date('2018-06-16T08:00:00Z');
const logger = createLogger('silent');
const signer = new AnswerLinkSigner('s'.repeat(40), 14, now);
let store: SqlitePlanStore;
let planId: string;
let request: DeliveryRequest;

class FakeMailer implements Mailer {
  readonly from = 'plan@council.gov.uk';
  sent: MailMessage[] = [];
  fail?: Error;
  async send(message: MailMessage): Promise<void> {
    if (this.fail) throw this.fail;
    this.sent.push(message);
  }
}

/** A sender that must not be called (nobody here has a Teams conversation). */
const noTeams = {
  send: () => {
    throw new Error('Teams was called');
  },
} as unknown as TeamsSender;

function deliveryWith(mailer: Mailer, fallback: boolean): Delivery {
  const email = new EmailDelivery({ store, mailer, signer, answerUrl: (t) => `https://plan.example/answer/${t}`, logger, now, fallback });
  return new Delivery({ conversations: new SqliteConversationStore(openBotDb(':memory:')), sender: noTeams, logger, now, email });
}

const card = () => ({ type: 'AdaptiveCard', version: '1.5', body: [] }) as never;

beforeAll(async () => {
  store = new SqlitePlanStore(':memory:');
  planId = (await store.importPlan(await readPlanFile(SHARED_PLAN))).planId;
  const item = (await store.listItems(planId)).find((i) => i.leads.some((l) => l.includes('ELFT')))!;
  request = {
    planId,
    date: '2018-06-16',
    items: [{ itemKey: item.key, reason: 'check-in', period: { label: 'Q1 2018-19', end: '2018-06-30' } }],
    summary: 'x',
  };
});

afterAll(async () => {
  await store.close();
});

describe('delivering by e-mail', () => {
  it('e-mails a partner held by e-mail only, with a link for exactly the items asked, and says so', async () => {
    const mailer = new FakeMailer();
    const outcome = await deliveryWith(mailer, false).deliver(
      { id: 'mailto:r.okafor@elft.nhs.uk', name: 'Dr Okafor', email: 'R.Okafor@elft.nhs.uk' },
      request,
      card,
    );
    expect(outcome).toMatchObject({
      outcome: 'sent',
      conversationId: 'mailto:r.okafor@elft.nhs.uk',
      detail: 'e-mailed from plan@council.gov.uk',
    });
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]!.to).toEqual({ address: 'R.Okafor@elft.nhs.uk', name: 'Dr Okafor' });
    expect(mailer.sent[0]!.html).toContain('Quarterly check-in for Q1 2018-19 (the quarter ends Saturday 30 June 2018)');
    const token = /answer\/([^"]+)"/.exec(mailer.sent[0]!.html)![1]!;
    expect(signer.verify(token)).toMatchObject({
      ok: true,
      link: { planId, personId: 'mailto:r.okafor@elft.nhs.uk', itemKeys: [request.items[0]!.itemKey] },
    });
  });

  it('e-mails a tenant lead Teams cannot reach only with a real mailbox (fallback), never through the local outbox', async () => {
    const lead = { id: 'aad-1', name: 'Lee Lead', email: 'lee@council.gov.uk' };
    const real = new FakeMailer();
    expect(await deliveryWith(real, true).deliver(lead, request, card)).toMatchObject({ outcome: 'sent' });
    expect(real.sent).toHaveLength(1);
    const local = new FakeMailer();
    expect(await deliveryWith(local, false).deliver(lead, request, card)).toMatchObject({ outcome: 'unreachable' });
    expect(local.sent).toHaveLength(0);
  });

  it('is failed when Graph refuses, uncertain when the connection drops after sending', async () => {
    const partner = { id: 'mailto:a@met.police.uk', name: 'A', email: 'a@met.police.uk' };
    const refused = new FakeMailer();
    refused.fail = new MissingGrantError('Mail.Send', 'POST', '/users/x/sendMail', 'ErrorAccessDenied');
    expect(await deliveryWith(refused, true).deliver(partner, request, card)).toMatchObject({ outcome: 'failed' });
    const dropped = new FakeMailer();
    dropped.fail = new AmbiguousWriteError('POST', '/users/x/sendMail', new Error('socket hang up'));
    expect(await deliveryWith(dropped, true).deliver(partner, request, card)).toMatchObject({ outcome: 'uncertain' });
  });

  it('says why a partner cannot be reached when e-mail is not set up', async () => {
    const delivery = new Delivery({ conversations: new SqliteConversationStore(openBotDb(':memory:')), sender: noTeams, logger, now });
    expect(await delivery.reach({ id: 'mailto:a@met.police.uk', name: 'A', email: 'a@met.police.uk' })).toEqual({
      ok: false,
      why: 'held by e-mail only, and e-mail is not set up (MAIL_SENDER)',
    });
  });
});

/**
 * A lead's answer on a prompt card (an `adaptiveCard/action` invoke): a thin adapter over the
 * recordStatus use case. It reads the card's data, asks the use case, and answers with a receipt or a
 * refusal card; every open prompt card for the item (every recipient) is then replaced by the receipt.
 * A `refreshPrompt` invoke (Teams showing the card again) gets the current card.
 */
import type { Logger } from '../logger';
import type { StoredItem } from '../store/planStore';
import { recordStatus, type ReportBasis, type Refusal } from '../usecases/recordStatus';
import { reportInputFromCard } from '../domain/statusReport';
import { cardAttachment, cardResponse, targetOf, type CardActionResponse, type IncomingActivity } from './activity';
import { reportingDeps, type BotDeps } from './botDeps';
import { ACTION_DATA_KEYS, VERB_RECORD, VERB_REFRESH, type Card, type PromptActionData } from './cards/common';
import { promptCard } from './cards/promptCard';
import { receiptCard } from './cards/receiptCard';
import { refusalCard } from './cards/refusalCard';
import type { ConversationTarget } from './sender';
import { actorFromActivity } from './identity';
import type { LedgerRow } from './ledger';

/** Why a card action is not one the bot answers, naming what is wrong (type, verb or missing fields). */
function unknownAction(action: { type?: string; verb?: string } | undefined, ids: Record<string, string | undefined>): string {
  const instead = 'Report in the plan tab instead, or answer the next prompt the bot sends.';
  const quote = (v: unknown) => `"${String(v).slice(0, 40)}"`;
  if (!action || action.type !== 'Action.Execute')
    return `This is not a Delivery Plan card button (an Action.Execute; this is ${action?.type ? quote(action.type) : 'no action at all'}). ${instead}`;
  if (action.verb !== VERB_RECORD && action.verb !== VERB_REFRESH)
    return `${action.verb ? quote(action.verb) : 'An action with no verb'} is not something the Delivery Plan bot does (it knows ${VERB_RECORD} and ${VERB_REFRESH}). ${instead}`;
  const missing = Object.entries(ids)
    .filter(([, v]) => !v)
    .map(([k]) => k);
  return `This card has no ${missing.join(', ')} (as text), so the bot cannot tell which item it is about: it is damaged or was not sent by the Delivery Plan bot. ${instead}`;
}

/** The card's data as the bot sent it, or undefined when it is not one of ours. */
function actionDataOf(data: Record<string, unknown>): PromptActionData | undefined {
  const str = (k: string) => (typeof data[k] === 'string' ? (data[k] as string) : undefined);
  const planId = str('planId');
  const itemKey = str('itemKey');
  const version = str('version');
  if (!planId || !itemKey || !version) return undefined;
  const out: PromptActionData = { planId, itemKey, version };
  for (const k of ['promptId', 'content', 'seen'] as const) {
    const v = str(k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

export class CardAnswers {
  private readonly log: Logger;

  constructor(private readonly deps: BotDeps) {
    this.log = deps.logger.child({ component: 'cardAnswer' });
  }

  async handle(activity: IncomingActivity): Promise<CardActionResponse> {
    const action = activity.value?.action;
    const data = (action?.data ?? {}) as Record<string, unknown>;
    const card = actionDataOf(data);
    if (!action || action.type !== 'Action.Execute' || !card || (action.verb !== VERB_RECORD && action.verb !== VERB_REFRESH)) {
      const str = (k: string) => (typeof data[k] === 'string' ? (data[k] as string) : undefined);
      const ids = { planId: str('planId'), itemKey: str('itemKey'), version: str('version') };
      return {
        statusCode: 400,
        type: 'application/vnd.microsoft.error',
        value: { code: 'BadRequest', message: unknownAction(action, ids) },
      };
    }
    const prompt = card.promptId ? this.deps.ledger.get(card.promptId) : undefined;
    if (action.verb === VERB_REFRESH) return this.refresh(activity, card, prompt);

    // No prototype: a "__proto__" key in the data stays a key, not the source of inherited values.
    const values = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(data)) if (!ACTION_DATA_KEYS.includes(k)) values[k] = v;
    const basis: ReportBasis = {
      version: card.version,
      ...(card.content !== undefined ? { content: card.content } : {}),
      ...(card.seen !== undefined ? { seen: card.seen } : {}),
      superseded: () => !!(prompt && this.deps.ledger.newerPrompt(prompt)),
    };
    const who = (directory: Parameters<typeof actorFromActivity>[1]) =>
      actorFromActivity(activity, directory, this.deps.coordinatorIds, this.deps.sender);
    const result = await recordStatus(reportingDeps(this.deps), who, card.planId, card.itemKey, reportInputFromCard(values), basis);
    const link = this.deps.links(card.planId);

    if (result.outcome === 'refused') return cardResponse(this.refusal(result.refusal, result, values, card, prompt));
    if (result.outcome === 'already-recorded') {
      return cardResponse(receiptCard({ ...(result.plan ? { plan: result.plan } : {}), item: result.item, deepLink: link }));
    }
    const { plan, item, entry, earlier } = result;
    const before = earlier.length > 0 ? { earlier: earlier.map((u) => ({ by: u.by, to: u.to, at: u.at })) } : {};
    const receipt = receiptCard({ ...(plan ? { plan } : {}), item, deepLink: link, ...before, toAnswerer: true });
    // Every open prompt card for this item (every recipient, every day) becomes the receipt; after a
    // race, so do the cards the earlier report just replaced, so that none shows only the earlier one.
    const { ledger } = this.deps;
    const open = ledger.markAnswered(card.planId, card.itemKey, entry.at, entry.by);
    const raced = earlier.length > 0 ? ledger.answeredSince(card.planId, card.itemKey, earlier.map((u) => u.at).sort()[0]!) : [];
    const rows = [...open, ...raced.filter((r) => !open.some((o) => o.id === r.id))];
    const forOthers = receiptCard({ ...(plan ? { plan } : {}), item, deepLink: link, ...before });
    this.deps.background.inOrder(`${card.planId}|${card.itemKey}`, () => this.replaceCards(rows, forOthers));
    return cardResponse(receipt);
  }

  private async refresh(activity: IncomingActivity, card: PromptActionData, prompt: LedgerRow | undefined): Promise<CardActionResponse> {
    const { store } = this.deps;
    const [plan, item] = await Promise.all([store.getPlan(card.planId), store.getItem(card.planId, card.itemKey)]);
    if (!item) return cardResponse(refusalCard({ reason: { kind: 'not-found', message: '' }, values: {} }));
    const withPlan = plan ? { plan } : {};
    if (item.version !== card.version && item.lastUpdate) {
      return cardResponse(receiptCard({ ...withPlan, item, deepLink: this.deps.links(card.planId) }));
    }
    return cardResponse(
      promptCard({
        ...withPlan,
        item,
        ...(prompt ? { milestone: prompt.milestone, reason: prompt.reason } : {}),
        ...(card.promptId ? { promptId: card.promptId } : {}),
        refreshUserIds: [activity.from.id],
      }),
    );
  }

  private refusal(
    refusal: Refusal,
    result: { plan?: Parameters<typeof refusalCard>[0]['plan']; item?: StoredItem },
    values: Record<string, unknown>,
    card: PromptActionData,
    prompt: LedgerRow | undefined,
  ): Card {
    return refusalCard({
      ...(result.plan ? { plan: result.plan } : {}),
      ...(result.item ? { item: result.item } : {}),
      reason: refusal,
      values,
      ...(prompt ? { milestone: prompt.milestone, promptReason: prompt.reason } : {}),
      ...(card.promptId ? { promptId: card.promptId } : {}),
      // No `refresh` on a refusal: an automatic refresh would replace the values it keeps.
    });
  }

  private async replaceCards(
    rows: Array<{ id: string; conversationId?: string; serviceUrl?: string; activityId?: string }>,
    card: Card,
  ): Promise<void> {
    for (const row of rows) {
      if (!row.conversationId || !row.serviceUrl || !row.activityId) continue;
      const ref = this.deps.conversations.findPersonByConversation(row.conversationId);
      const target: ConversationTarget = ref ? targetOf(ref) : { serviceUrl: row.serviceUrl, conversationId: row.conversationId };
      try {
        await this.deps.sender.update(target, row.activityId, cardAttachment(card));
      } catch (err) {
        this.log.warn({ ledgerId: row.id, err: (err as Error).message }, 'could not replace a prompt card with the receipt');
      }
    }
  }
}

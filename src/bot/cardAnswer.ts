/**
 * Answers on cards (`adaptiveCard/action` invokes): thin adapters over the recordStatus use case.
 *
 * - `recordStatus`: one item's Record button (its inputs are the ones named with its slot). The reply
 *   is the whole card again: that item as a receipt or with the reason it was not recorded, every
 *   other item as it was (with what the person typed). Every other card that asked about the item
 *   (other people, other days) is then replaced so that it shows the receipt too.
 * - `recordAll`: every item on the card with something typed, each through recordStatus once.
 * - `refreshCard` (and `refreshPrompt` from single-item cards): Teams asks for the card as it is now.
 */
import { londonDate } from '../domain/calendar';
import type { Logger } from '../logger';
import type { StoredItem } from '../store/planStore';
import type { RecordOutcome, ReportBasis } from '../usecases/recordStatus';
import { recordStatuses, MAX_ANSWERS, type ItemAnswer } from '../usecases/recordStatuses';
import { reportInputFromCard } from '../domain/statusReport';
import { cardAttachment, cardResponse, targetOf, type CardActionResponse, type IncomingActivity } from './activity';
import { reportingDeps, type BotDeps } from './botDeps';
import { CardRenderer, type RenderOptions } from './cardRender';
import {
  ACTION_DATA_KEYS,
  VERB_RECORD,
  VERB_RECORD_ALL,
  VERB_REFRESH,
  VERB_REFRESH_CARD,
  type Card,
  type PromptActionData,
} from './cards/common';
import { fitDailyCard, unpackBasis } from './cards/dailyCard';
import { slotValues, type CardEntry, type EntryState } from './cards/itemSection';
import { notFoundCard } from './cards/refusalCard';
import type { ConversationTarget } from './sender';
import { actorFromActivity } from './identity';
import type { LedgerRow } from './ledger';

const VERBS = [VERB_RECORD, VERB_REFRESH, VERB_RECORD_ALL, VERB_REFRESH_CARD];

/** Why a card action is not one the bot answers, naming what is wrong (type, verb or missing fields). */
function unknownAction(action: { type?: string; verb?: string } | undefined, ids: Record<string, string | undefined>): string {
  const instead = 'Report in the plan tab instead, or answer the next card the bot sends.';
  const quote = (v: unknown) => `"${String(v).slice(0, 40)}"`;
  if (!action || action.type !== 'Action.Execute')
    return `This is not a Delivery Plan card button (an Action.Execute; this is ${action?.type ? quote(action.type) : 'no action at all'}). ${instead}`;
  if (!VERBS.includes(action.verb ?? ''))
    return `${action.verb ? quote(action.verb) : 'An action with no verb'} is not something the Delivery Plan bot does (it knows ${VERBS.join(', ')}). ${instead}`;
  const missing = Object.entries(ids)
    .filter(([, v]) => !v)
    .map(([k]) => k);
  return `This card has no ${missing.join(', ')} (as text), so the bot cannot tell which item it is about: it is damaged or was not sent by the Delivery Plan bot. ${instead}`;
}

const str = (data: Record<string, unknown>, k: string) => (typeof data[k] === 'string' ? (data[k] as string) : undefined);

/** An item's action data as the bot sent it, or undefined when it is not one of ours. */
function actionDataOf(data: Record<string, unknown>): PromptActionData | undefined {
  const planId = str(data, 'planId');
  const itemKey = str(data, 'itemKey');
  const version = str(data, 'version');
  if (!planId || !itemKey || !version) return undefined;
  const out: PromptActionData = { planId, itemKey, version };
  for (const k of ['promptId', 'content', 'seen'] as const) {
    const v = str(data, k);
    if (v !== undefined) out[k] = v;
  }
  const slot = str(data, 'slot');
  if (slot !== undefined && /^i\d{1,3}$/.test(slot)) out.slot = slot;
  return out;
}

function badRequest(message: string): CardActionResponse {
  return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message } };
}

export class CardAnswers {
  private readonly log: Logger;
  private readonly renderer: CardRenderer;

  constructor(private readonly deps: BotDeps) {
    this.log = deps.logger.child({ component: 'cardAnswer' });
    this.renderer = new CardRenderer(deps);
  }

  async handle(activity: IncomingActivity): Promise<CardActionResponse> {
    const action = activity.value?.action;
    const data = (action?.data && typeof action.data === 'object' && !Array.isArray(action.data) ? action.data : {}) as Record<
      string,
      unknown
    >;
    const verb = action?.type === 'Action.Execute' ? action.verb : undefined;
    if (verb === VERB_REFRESH_CARD || verb === VERB_RECORD_ALL) {
      const planId = str(data, 'planId');
      const promptId = str(data, 'promptId');
      if (!planId || (verb === VERB_REFRESH_CARD && !promptId))
        return badRequest(unknownAction(action, { planId, ...(verb === VERB_REFRESH_CARD ? { promptId } : {}) }));
      return verb === VERB_REFRESH_CARD ? this.refreshCard(activity, planId, promptId!) : this.recordAll(activity, planId, promptId, data);
    }
    const card = actionDataOf(data);
    if (!action || verb === undefined || !card || !VERBS.includes(verb)) {
      return badRequest(
        unknownAction(action, { planId: str(data, 'planId'), itemKey: str(data, 'itemKey'), version: str(data, 'version') }),
      );
    }
    const row = card.promptId ? await this.deps.ledger.get(card.promptId) : undefined;
    if (verb === VERB_REFRESH) return this.refreshOne(activity, card, row);
    return this.recordOne(activity, card, row, this.values(data));
  }

  /** The answer values of the invoke (every input on the card), without the action's own keys. */
  private values(data: Record<string, unknown>): Record<string, unknown> {
    // No prototype: a "__proto__" key in the data stays a key, not the source of inherited values.
    const values = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(data)) if (!ACTION_DATA_KEYS.includes(k)) values[k] = v;
    return values;
  }

  private async basis(card: PromptActionData, row: LedgerRow | undefined): Promise<ReportBasis> {
    // Looked up before recording (the use case asks synchronously): a later card replaces this one.
    const newer = row ? await this.deps.ledger.newerCard(row, card.itemKey) : undefined;
    return {
      version: card.version,
      ...(card.content !== undefined ? { content: card.content } : {}),
      ...(card.seen !== undefined ? { seen: card.seen } : {}),
      superseded: () => !!newer,
    };
  }

  private who(activity: IncomingActivity) {
    return (directory: Parameters<typeof actorFromActivity>[1]) =>
      actorFromActivity(activity, directory, this.deps.coordinatorIds, this.deps.people);
  }

  private async recordOne(
    activity: IncomingActivity,
    card: PromptActionData,
    row: LedgerRow | undefined,
    values: Record<string, unknown>,
  ): Promise<CardActionResponse> {
    const answer: ItemAnswer = {
      itemKey: card.itemKey,
      input: reportInputFromCard(slotValues(values, card.slot ?? '')),
      basis: await this.basis(card, row),
    };
    const [outcome] = await recordStatuses(reportingDeps(this.deps), this.who(activity), card.planId, [answer]);
    return this.reply(activity, card.planId, row, [{ ...outcome!, slot: card.slot ?? '' }], values);
  }

  private async recordAll(
    activity: IncomingActivity,
    planId: string,
    promptId: string | undefined,
    data: Record<string, unknown>,
  ): Promise<CardActionResponse> {
    const listed = Array.isArray(data.items) ? data.items.slice(0, MAX_ANSWERS) : [];
    const cards = listed
      .map((x) => unpackBasis(x))
      .filter((b) => !!b)
      .map((b): PromptActionData => ({
        planId,
        itemKey: b.itemKey,
        version: b.version,
        ...(b.content ? { content: b.content } : {}),
        seen: b.seen,
        ...(b.slot ? { slot: b.slot } : {}),
      }));
    if (cards.length === 0) return badRequest(unknownAction({ type: 'Action.Execute', verb: VERB_RECORD_ALL }, { items: undefined }));
    const row = promptId ? await this.deps.ledger.get(promptId) : undefined;
    const values = this.values(data);
    // Items with nothing typed are left as they are; everything else is answered, item by item.
    const typed = cards.filter((c) =>
      Object.values(slotValues(values, c.slot ?? '')).some((v) =>
        typeof v === 'string' ? v.trim() !== '' : v !== undefined && v !== null,
      ),
    );
    const answers: ItemAnswer[] = await Promise.all(
      typed.map(async (c) => ({
        itemKey: c.itemKey,
        input: reportInputFromCard(slotValues(values, c.slot ?? '')),
        basis: await this.basis(c, row),
      })),
    );
    const outcomes = await recordStatuses(reportingDeps(this.deps), this.who(activity), planId, answers);
    return this.reply(
      activity,
      planId,
      row,
      outcomes.map((o, i) => ({ ...o, slot: typed[i]!.slot ?? '' })),
      values,
    );
  }

  /** The card again with each answered item's outcome; other cards asking about recorded items are replaced. */
  private async reply(
    activity: IncomingActivity,
    planId: string,
    row: LedgerRow | undefined,
    outcomes: Array<{ itemKey: string; slot: string; result: RecordOutcome }>,
    values: Record<string, unknown>,
  ): Promise<CardActionResponse> {
    const states = new Map<string, EntryState>();
    for (const { itemKey, slot, result } of outcomes) states.set(itemKey, this.stateOf(result, slotValues(values, slot)));
    const items = new Map<string, StoredItem>();
    for (const { result } of outcomes) if (result.item) items.set(result.item.key, result.item);
    let card: Card | undefined;
    const asked = row ? await this.deps.ledger.cardItems(row.id) : [];
    if (row && asked.length > 0) {
      const all = await this.deps.store.listItems(planId);
      // What this answer recorded wins over a list read a moment later.
      const byKey = new Map(all.map((i) => [i.key, items.get(i.key) ?? i]));
      const plan = await this.deps.store.getPlan(planId);
      // No automatic refresh on a refusal: it would replace the values it keeps.
      const refused = outcomes.some((o) => o.result.outcome === 'refused');
      card = this.renderer.build(row, plan, asked, byKey, {
        states,
        values,
        ...(refused ? {} : { refreshUserId: activity.from.id }),
      });
    } else {
      const first = outcomes[0];
      const item = first?.result.item;
      if (first && item) {
        const plan = first.result.plan;
        const entry: CardEntry = {
          item,
          slot: first.slot,
          ask: row ? { reason: row.reason, ...(row.milestone ? { milestone: row.milestone } : {}) } : { reason: 'requested' },
          state: states.get(item.key)!,
        };
        card = fitDailyCard({
          ...(plan ? { plan } : {}),
          planId,
          date: row?.dateKey ?? londonDate(this.deps.clock.now()),
          entries: [entry],
          deepLink: this.deps.links(planId),
        }).card;
      }
    }
    await this.refreshCards(planId, outcomes, row, values, activity.from.id);
    return cardResponse(card ?? notFoundCard(values));
  }

  private stateOf(result: RecordOutcome, values: Record<string, unknown>): EntryState {
    if (result.outcome === 'refused') return { kind: 'refused', refusal: result.refusal, values };
    if (result.outcome === 'already-recorded') return { kind: 'receipt' };
    const earlier = result.earlier.map((u) => ({ by: u.by, to: u.to, at: u.at }));
    return { kind: 'receipt', toAnswerer: true, ...(earlier.length > 0 ? { earlier } : {}) };
  }

  /**
   * Every sent card that asked about a recorded item (every recipient, every day, the answerer's own
   * too) is replaced so that it shows the receipt. Each card's replacements run one after another and
   * are built from the plan as it is when they run, so the last one a card gets shows the latest
   * reports, whatever order answers on its items came in. The answerer's own copy keeps what they
   * typed in its other items. A race is told the same way on every copy, naming who reported.
   */
  private async refreshCards(
    planId: string,
    outcomes: ReadonlyArray<{ itemKey: string; result: RecordOutcome }>,
    own: LedgerRow | undefined,
    values: Record<string, unknown>,
    userId: string,
  ): Promise<void> {
    const { ledger } = this.deps;
    const states = new Map<string, EntryState>();
    const rows = new Map<string, LedgerRow>();
    for (const { itemKey, result } of outcomes) {
      if (result.outcome !== 'recorded') continue;
      const { entry, earlier } = result;
      states.set(itemKey, {
        kind: 'receipt',
        ...(earlier.length > 0 ? { earlier: earlier.map((u) => ({ by: u.by, to: u.to, at: u.at })) } : {}),
      });
      for (const r of await ledger.markAnswered(planId, itemKey, entry.at, entry.by)) rows.set(r.id, r);
      if (earlier.length > 0)
        for (const r of await ledger.answeredSince(planId, itemKey, earlier.map((u) => u.at).sort()[0]!)) rows.set(r.id, r);
    }
    if (states.size === 0) return;
    if (own?.activityId && (await ledger.cardItems(own.id)).length > 0) rows.set(own.id, (await ledger.get(own.id)) ?? own);
    for (const row of rows.values()) {
      const options: RenderOptions = { states, ...(row.id === own?.id ? { values, refreshUserId: userId } : {}) };
      this.deps.background.inOrder(`card|${row.id}`, () => this.replaceCard(row, options));
    }
  }

  private async replaceCard(row: LedgerRow, options: RenderOptions): Promise<void> {
    if (!row.conversationId || !row.serviceUrl || !row.activityId) return;
    const ref = await this.deps.conversations.findPersonByConversation(row.conversationId);
    const target: ConversationTarget = ref ? targetOf(ref) : { serviceUrl: row.serviceUrl, conversationId: row.conversationId };
    try {
      const card = await this.renderer.render(row, { ...(ref?.userId ? { refreshUserId: ref.userId } : {}), ...options });
      if (card) await this.deps.sender.update(target, row.activityId, cardAttachment(card));
    } catch (err) {
      this.log.warn({ ledgerId: row.id, err: (err as Error).message }, 'could not replace a card with the receipt');
    }
  }

  private async refreshCard(activity: IncomingActivity, planId: string, promptId: string): Promise<CardActionResponse> {
    const row = await this.deps.ledger.get(promptId);
    const card = row && row.planId === planId ? await this.renderer.render(row, { refreshUserId: activity.from.id }) : undefined;
    return cardResponse(card ?? notFoundCard({}));
  }

  /** `refreshPrompt` from a single-item card: the card as it is now. */
  private async refreshOne(activity: IncomingActivity, card: PromptActionData, row: LedgerRow | undefined): Promise<CardActionResponse> {
    if (row && (await this.deps.ledger.cardItems(row.id)).length > 0) {
      const rendered = await this.renderer.render(row, { refreshUserId: activity.from.id });
      if (rendered) return cardResponse(rendered);
    }
    const [plan, item] = await Promise.all([this.deps.store.getPlan(card.planId), this.deps.store.getItem(card.planId, card.itemKey)]);
    if (!item) return cardResponse(notFoundCard({}));
    const entry: CardEntry = {
      item,
      slot: card.slot ?? '',
      ask: { reason: 'requested' },
      state: item.version !== card.version && item.lastUpdate ? { kind: 'receipt' } : { kind: 'open' },
    };
    return cardResponse(
      fitDailyCard({
        ...(plan ? { plan } : {}),
        planId: card.planId,
        date: row?.dateKey ?? londonDate(this.deps.clock.now()),
        entries: [entry],
        deepLink: this.deps.links(card.planId),
        ...(entry.state.kind === 'open' ? { refreshUserIds: [activity.from.id] } : {}),
      }).card,
    );
  }
}

/**
 * The card a person gets when their answer failed on the server (a full disk, a store that cannot be
 * reached): a card, never a bare error, saying that nothing was recorded and keeping what they typed
 * in the form so they can send it again. When an item has changed since their card was made, the
 * answer may have landed before the failure: that item says it does not know, shows the status as it
 * stands, and offers no button that could record it twice.
 */
import { londonDate } from '../domain/calendar';
import { NOTE_MAX, REPORT_FIELD } from '../domain/statusReport';
import type { StoredItem, StoredPlan } from '../store/planStore';
import type { IncomingActivity } from './activity';
import type { Bot } from './bot';
import { ACTION_DATA_KEYS, card, heading, plain, text, VERB_RECORD_ALL, type Card } from './cards/common';
import { fitDailyCard, unpackBasis } from './cards/dailyCard';
import { NOT_RECORDED, slotValues, type CardEntry } from './cards/itemSection';

/** The report inputs as the person typed them ("rag", "i0_note", …), no longer than the inputs take. */
function typedValues(data: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    if (ACTION_DATA_KEYS.includes(k) || typeof v !== 'string') continue;
    const field = k.replace(/^i\d{1,3}_/, '');
    if (!(Object.values(REPORT_FIELD) as string[]).includes(field) && !/^figure_\d{1,3}$/.test(field)) continue;
    const max = field === REPORT_FIELD.note || field === REPORT_FIELD.correctiveAction ? NOTE_MAX : 100;
    out[k] = v.length > max ? `${v.slice(0, max - 1)}…` : v;
  }
  return out;
}

/** The items the answer was about: one Record button's, or every item a "Record all" carried. */
function answeredBases(data: Record<string, unknown>, verb: string | undefined): Array<{ itemKey: string; version: string; slot: string }> {
  if (verb === VERB_RECORD_ALL) {
    const listed = Array.isArray(data.items) ? data.items.slice(0, 50) : [];
    return listed.map((x) => unpackBasis(x)).filter((b) => !!b);
  }
  const s = (k: string): string | undefined => (typeof data[k] === 'string' ? (data[k] as string) : undefined);
  const [itemKey, version] = [s('itemKey'), s('version')];
  return itemKey && version ? [{ itemKey, version, slot: s('slot') ?? '' }] : [];
}

export async function notRecordedCard(bot: Bot, activity: IncomingActivity): Promise<Card> {
  const action = activity.value?.action;
  const data = (action?.data ?? {}) as Record<string, unknown>;
  const values = typedValues(data);
  const planId = typeof data.planId === 'string' ? data.planId : undefined;
  const bases = answeredBases(data, action?.verb);
  let plan: StoredPlan | undefined;
  let items: Array<StoredItem | undefined> = [];
  try {
    if (planId && bases.length > 0) {
      [plan, ...items] = await Promise.all([
        bot.deps.store.getPlan(planId),
        ...bases.map((b) => bot.deps.store.getItem(planId, b.itemKey)),
      ]);
    }
  } catch {
    // The store cannot be read either: the plain card below.
  }
  const entries: CardEntry[] = [];
  bases.forEach((b, i) => {
    const item = items[i];
    if (!item) return;
    entries.push({
      item,
      slot: b.slot,
      ask: { reason: 'requested' },
      state: { kind: 'not-recorded', values: slotValues(values, b.slot), uncertain: item.version !== b.version },
    });
  });
  if (planId && entries.length > 0) {
    const promptId = typeof data.promptId === 'string' ? data.promptId : undefined;
    return fitDailyCard({
      ...(plan ? { plan } : {}),
      planId,
      date: londonDate(bot.deps.clock.now()),
      ...(promptId ? { promptId } : {}),
      entries,
      deepLink: bot.deps.links(planId),
    }).card;
  }
  const typed = Object.entries(values).filter(([, v]) => v.trim() !== '');
  return card([
    heading('Not recorded'),
    text(`${NOT_RECORDED}. Nothing was lost: what you typed is below. Answer again from the plan tab or this card in a few minutes.`),
    ...typed.slice(0, 20).map(([k, v]) => text(`${plain(k)}: ${plain(v)}`, { spacing: 'Small' })),
  ]);
}

/**
 * Who the bot cannot reach, and why: lead roles of open items with nobody in the directory, people it
 * has no 1:1 chat with and cannot create one with, people who removed the app, and sends that went
 * wrong this week (from the send ledger: Teams refused, the user was not found, a policy blocks the
 * app, or the app could not be installed).
 */
import { addDays, formatLongDate } from '../domain/calendar';
import type { UnansweredPrompt, UnreachableLead } from '../domain/digest';
import { roleKey } from '../domain/leads';
import type { IsoDate } from '../domain/model';
import type { LedgerRow } from '../state/sendLedger';
import type { StoredItem, StoredPlan } from '../store/planStore';
import { answeringRoles, ownerRoleOf } from '../domain/recipients';
import type { BotDeps } from './botDeps';
import { NOTICE_ITEM, NOTICE_WORDS } from './coordinatorNotices';
import { refusedOnTheWay } from './delivery';

/** Why a card still `queued` from an earlier day is listed (the day follows). */
export const STILL_QUEUED = 'a card was never sent: it has waited on the send queue since';

export class Reachability {
  constructor(private readonly deps: BotDeps) {}

  /** Lead roles of open items with nobody in the directory, and leads the bot has no 1:1 chat with. */
  async unreachableLeads(plan: StoredPlan, items: readonly StoredItem[]): Promise<UnreachableLead[]> {
    const { delivery } = this.deps;
    const [directory, settings] = await Promise.all([this.deps.store.listDirectory(plan.id), this.deps.settings.settingsFor(plan.id)]);
    const ownerRole = ownerRoleOf(settings.ownerRole, items);
    const byRole = new Map(directory.map((e) => [roleKey(e.role), e]));
    const roles = new Map<string, string>();
    for (const item of items) if (item.status !== 'complete') for (const l of answeringRoles(item, ownerRole)) roles.set(roleKey(l), l);
    const out: UnreachableLead[] = [];
    const seen = new Set<string>();
    for (const [folded, role] of roles) {
      const entry = byRole.get(folded);
      if (!entry || entry.people.length === 0) {
        out.push({ who: role, why: 'nobody in the lead directory for this role' });
        continue;
      }
      for (const person of entry.people) {
        if (seen.has(person.id.toLowerCase())) continue;
        seen.add(person.id.toLowerCase());
        // A person with no chat yet is reachable when the bot can create it (installing the app if
        // need be); what went wrong on the way is in the ledger (weekFacts).
        const reach = await delivery.reach(person);
        if (!reach.ok)
          out.push({ who: person.name, why: reach.why.replace(/^they removed/, 'removed').replace('1:1 conversation', '1:1 chat') });
      }
    }
    return out;
  }

  /** The week's prompts nobody answered, and everyone who could not be reached, as of `date`. */
  async weekFacts(
    plan: StoredPlan,
    items: readonly StoredItem[],
    date: IsoDate,
  ): Promise<{ unanswered: UnansweredPrompt[]; unreachable: UnreachableLead[] }> {
    const byKey = new Map(items.map((i) => [i.key, i]));
    const from = addDays(date, -7);
    const rows = await this.deps.ledger.between(plan.id, from, date);
    const unanswered: UnansweredPrompt[] = [];
    const unreachable: UnreachableLead[] = [];
    // Items asked on cards: unanswered when nobody reported on the item since the card went out.
    const onCards = await this.deps.ledger.cardItemsBetween(plan.id, from, date);
    const cardIds = new Set(onCards.map((c) => c.card.id));
    for (const { card, item: asked } of onCards) {
      const item = byKey.get(asked.itemKey);
      if (card.state !== 'sent' || asked.answeredAt || !item || card.dateKey >= date) continue;
      if (item.lastUpdate && card.sentAt && item.lastUpdate.at > card.sentAt) continue;
      unanswered.push({
        personId: card.personId,
        personName: card.personName,
        itemKey: asked.itemKey,
        itemTitle: item.title,
        sentOn: card.dateKey,
      });
    }
    /** A card that did not reach its lead, named by the items it asked about. */
    const cardNotReached = (r: LedgerRow, why: string): UnreachableLead => {
      const asked = onCards.filter((c) => c.card.id === r.id).map((c) => byKey.get(c.item.itemKey)?.title ?? c.item.itemKey);
      return {
        who: r.personName,
        ...(asked[0] ? { itemTitle: asked.length > 1 ? `${asked[0]} and ${asked.length - 1} more` : asked[0] } : {}),
        why,
      };
    };
    for (const r of rows) {
      if (cardIds.has(r.id)) {
        // A card that went wrong at Teams (roles with nobody, and people without a chat, are added below).
        if (r.state === 'uncertain' || r.state === 'failed' || (r.state === 'unreachable' && refusedOnTheWay(r.detail)))
          unreachable.push(
            cardNotReached(r, r.state === 'uncertain' ? 'a card may not have arrived (interrupted send)' : (r.detail ?? r.state)),
          );
        // Queued on an earlier day and never taken off the send queue: its message was lost, or no instance is sending.
        if (r.state === 'queued' && r.dateKey < date) unreachable.push(cardNotReached(r, `${STILL_QUEUED} ${formatLongDate(r.dateKey)}`));
        continue;
      }
      if (r.itemKey === NOTICE_ITEM) {
        if (r.state === 'unreachable' || r.state === 'failed')
          unreachable.push({
            who: `Co-ordinator ${r.personName}`,
            why: `could not be sent ${NOTICE_WORDS[r.reason] ?? 'a notice'}: ${r.detail ?? r.state}`,
          });
        continue;
      }
      const item = byKey.get(r.itemKey);
      if (r.state === 'sent' && !r.answeredAt && item && r.dateKey < date) {
        const answeredElsewhere = item.lastUpdate && r.sentAt && item.lastUpdate.at > r.sentAt;
        if (!answeredElsewhere)
          unanswered.push({ personId: r.personId, personName: r.personName, itemKey: r.itemKey, itemTitle: item.title, sentOn: r.dateKey });
      }
      // Sends that went wrong at Teams (the live directory/install state is added below).
      if (r.state === 'uncertain' || r.state === 'failed' || (r.state === 'unreachable' && refusedOnTheWay(r.detail))) {
        unreachable.push({
          who: r.personName,
          itemKey: r.itemKey,
          ...(item ? { itemTitle: item.title } : {}),
          why: r.state === 'uncertain' ? 'a prompt may not have arrived (interrupted send)' : (r.detail ?? r.state),
        });
      }
    }
    unreachable.push(...(await this.unreachableLeads(plan, items)));
    return { unanswered, unreachable };
  }
}

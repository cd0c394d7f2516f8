/** What people type to the bot: in a 1:1 chat `help`, `my actions`, `status <item>`; in a channel, `help`. */
import { londonDate, reminderWindow } from '../domain/calendar';
import { foldText } from '../domain/identity';
import { roleKey } from '../domain/leads';
import { nextMilestone, overdueMilestone } from '../domain/milestones';
import type { StoredItem, StoredPlan } from '../store/planStore';
import { rolesOf } from '../usecases/actor';
import { answeringRoles } from '../usecases/canReport';
import { messageText, type IncomingActivity } from './activity';
import type { BotDeps } from './botDeps';
import type { Card } from './cards/common';
import { channelHelpCard, helpCard, itemStatusCard, matchesCard, myActionsCard, type MyItem } from './cards/statusCards';
import type { ConversationEvents } from './conversationEvents';
import { actorFromActivity } from './identity';

export class Commands {
  constructor(
    private readonly deps: BotDeps,
    private readonly events: ConversationEvents,
  ) {}

  /** A 1:1 message: help, my actions, status <item>. Returns the card replied with. */
  async personal(activity: IncomingActivity): Promise<Card> {
    this.events.remember(activity);
    const text = messageText(activity);
    const lower = text.toLowerCase();
    let card: Card;
    if (/^(my actions|my items|mine)$/.test(lower)) card = await this.myActions(activity);
    else if (/^status\b/.test(lower)) card = await this.status(text.slice('status'.length).trim());
    else card = helpCard();
    await this.events.reply(activity, card);
    return card;
  }

  /** A message in a team (the bot was @mentioned): remember the team; `help` says what the bot posts there. */
  async channel(activity: IncomingActivity): Promise<Card | undefined> {
    this.events.remember(activity);
    const text = messageText(activity).toLowerCase();
    if (text !== 'help' && text !== '') return undefined;
    // A channel belongs to no one plan: the environment's digest time is what it says.
    const { digestDay, digestHour } = await this.deps.settings.settingsFor('');
    const card = channelHelpCard({ day: digestDay, hour: digestHour, deepLink: this.deps.links() });
    await this.events.reply(activity, card);
    return card;
  }

  private async myActions(activity: IncomingActivity): Promise<Card> {
    const { store, clock, settings, coordinatorIds, sender } = this.deps;
    const date = londonDate(clock.now());
    const mine: MyItem[] = [];
    let name = activity.from.name ?? activity.from.id;
    for (const plan of await store.listPlans()) {
      const directory = await store.listDirectory(plan.id);
      const actor = await actorFromActivity(activity, directory, coordinatorIds, sender);
      name = actor.name;
      const roles = new Set(rolesOf(actor, directory).map(roleKey));
      if (roles.size === 0) continue;
      const windowDays = reminderWindow((await settings.settingsFor(plan.id)).reminderOffsets);
      for (const item of await store.listItems(plan.id)) {
        if (!answeringRoles(item).some((l) => roles.has(roleKey(l)))) continue;
        const next = nextMilestone(item, date);
        const overdue = overdueMilestone(item, date, windowDays);
        mine.push({ plan, item, ...(next ? { next } : {}), ...(overdue ? { overdue } : {}) });
      }
    }
    mine.sort(
      (a, b) =>
        (a.overdue ? 0 : 1) - (b.overdue ? 0 : 1) ||
        (a.next ?? '9999').localeCompare(b.next ?? '9999') ||
        a.item.title.localeCompare(b.item.title),
    );
    return myActionsCard(name, mine);
  }

  private async status(query: string): Promise<Card> {
    const { store, clock } = this.deps;
    if (!query) return helpCard();
    const date = londonDate(clock.now());
    const folded = foldText(query);
    const matches: Array<{ plan: StoredPlan; item: StoredItem }> = [];
    for (const plan of await store.listPlans()) {
      for (const item of await store.listItems(plan.id)) {
        if (item.key.toLowerCase() === folded) return itemStatusCard(plan, item, nextMilestone(item, date));
        if (foldText(item.title).includes(folded)) matches.push({ plan, item });
      }
    }
    if (matches.length === 1) return itemStatusCard(matches[0]!.plan, matches[0]!.item, nextMilestone(matches[0]!.item, date));
    return matchesCard(
      query,
      matches.map((m) => m.item),
    );
  }
}

/**
 * What people type to the bot: in a 1:1 chat `help`, `my actions`, `status <item>` (anything else is
 * said not to be understood, with what is); in a channel, `help`.
 */
import { londonDate, reminderWindow } from '../domain/calendar';
import { foldText } from '../domain/identity';
import { roleKey } from '../domain/leads';
import { nextMilestone, overdueMilestone } from '../domain/milestones';
import { answeringRoles, ownerRoleOf } from '../domain/recipients';
import type { StoredItem, StoredPlan } from '../store/planStore';
import { rolesOf } from '../usecases/actor';
import { canReport } from '../usecases/canReport';
import { messageText, type IncomingActivity } from './activity';
import type { BotDeps } from './botDeps';
import type { Card } from './cards/common';
import {
  channelHelpCard,
  compareMyItems,
  helpCard,
  itemStatusCard,
  matchesCard,
  myActionsCard,
  unknownCard,
  type ExampleItem,
  type MyItem,
} from './cards/statusCards';
import type { ConversationEvents } from './conversationEvents';
import { actorFromActivity } from './identity';

export class Commands {
  constructor(
    private readonly deps: BotDeps,
    private readonly events: ConversationEvents,
  ) {}

  /** A 1:1 message: help, my actions, status <item>. Returns the card replied with. */
  async personal(activity: IncomingActivity): Promise<Card> {
    await this.events.remember(activity);
    const text = messageText(activity);
    const lower = text.toLowerCase();
    let card: Card;
    if (/^(my actions|my items|mine)$/.test(lower)) card = await this.myActions(activity);
    else if (/^status\b/.test(lower)) card = await this.status(activity, text.slice('status'.length).trim());
    else if (/^(help|\?|hi|hello|hey|start)?$/.test(lower)) card = helpCard(await this.example(activity));
    else card = unknownCard(text, await this.example(activity), await this.titleMatches(text));
    await this.events.reply(activity, card);
    return card;
  }

  /** A message in a team (the bot was @mentioned): remember the team; `help` says what the bot posts there. */
  async channel(activity: IncomingActivity): Promise<Card | undefined> {
    await this.events.remember(activity);
    const text = messageText(activity).toLowerCase();
    if (text !== 'help' && text !== '') return undefined;
    // A channel belongs to no one plan: the environment's digest time is what it says.
    const { digestDay, digestHour } = await this.deps.settings.settingsFor('');
    const card = channelHelpCard({ day: digestDay, hour: digestHour, deepLink: this.deps.links() });
    await this.events.reply(activity, card);
    return card;
  }

  private async myActions(activity: IncomingActivity): Promise<Card> {
    const { store, clock, settings, coordinatorIds } = this.deps;
    const date = londonDate(clock.now());
    const mine: MyItem[] = [];
    let name = activity.from.name ?? activity.from.id;
    for (const plan of await store.listPlans()) {
      const directory = await store.listDirectory(plan.id);
      const actor = await actorFromActivity(activity, directory, coordinatorIds, this.deps.people);
      name = actor.name;
      const roles = new Set(rolesOf(actor, directory).map(roleKey));
      if (roles.size === 0) continue;
      const planSettings = await settings.settingsFor(plan.id);
      const windowDays = reminderWindow(planSettings.reminderOffsets);
      const items = await store.listItems(plan.id);
      const ownerRole = ownerRoleOf(planSettings.ownerRole, items);
      for (const item of items) {
        if (!answeringRoles(item, ownerRole).some((l) => roles.has(roleKey(l)))) continue;
        const next = nextMilestone(item, date);
        const overdue = overdueMilestone(item, date, windowDays);
        mine.push({ plan, item, ...(next ? { next } : {}), ...(overdue ? { overdue } : {}) });
      }
    }
    mine.sort(compareMyItems);
    return myActionsCard(name, mine);
  }

  /** An item to name in examples: one the person leads, else the plan's first. */
  private async example(activity: IncomingActivity): Promise<ExampleItem | undefined> {
    const { store } = this.deps;
    let first: ExampleItem | undefined;
    for (const plan of await store.listPlans()) {
      const directory = await store.listDirectory(plan.id);
      const ids = new Set([activity.from.id, activity.from.aadObjectId].filter((x): x is string => !!x).map((x) => x.toLowerCase()));
      const roles = new Set(directory.filter((e) => e.people.some((p) => ids.has(p.id.toLowerCase()))).map((e) => roleKey(e.role)));
      for (const item of await store.listItems(plan.id)) {
        first ??= { key: item.key, title: item.title };
        if (item.leads.some((l) => roles.has(roleKey(l)))) return { key: item.key, title: item.title };
      }
    }
    return first;
  }

  /** Items whose title holds what was typed (for "did you mean"). */
  private async titleMatches(said: string): Promise<StoredItem[]> {
    const folded = foldText(said);
    if (folded.length < 4) return [];
    const out: StoredItem[] = [];
    for (const plan of await this.deps.store.listPlans()) {
      for (const item of await this.deps.store.listItems(plan.id)) if (foldText(item.title).includes(folded)) out.push(item);
    }
    return out;
  }

  private async status(activity: IncomingActivity, query: string): Promise<Card> {
    const { store } = this.deps;
    if (!query) return helpCard(await this.example(activity));
    const folded = foldText(query);
    const matches: Array<{ plan: StoredPlan; item: StoredItem }> = [];
    for (const plan of await store.listPlans()) {
      for (const item of await store.listItems(plan.id)) {
        if (item.key.toLowerCase() === folded) return this.statusOf(activity, plan, item);
        if (foldText(item.title).includes(folded)) matches.push({ plan, item });
      }
    }
    if (matches.length === 1) return this.statusOf(activity, matches[0]!.plan, matches[0]!.item);
    return matchesCard(
      query,
      matches.map((m) => m.item),
    );
  }

  /** One item's card: where it stands, overdue or not, its next milestone, and a report form for those who may report. */
  private async statusOf(activity: IncomingActivity, plan: StoredPlan, item: StoredItem): Promise<Card> {
    const { store, clock, settings, coordinatorIds } = this.deps;
    const date = londonDate(clock.now());
    const planSettings = await settings.settingsFor(plan.id);
    const ownerRole =
      item.leads.length === 0 && !item.owner ? ownerRoleOf(planSettings.ownerRole, await store.listItems(plan.id)) : undefined;
    const directory = await store.listDirectory(plan.id);
    const actor = await actorFromActivity(activity, directory, coordinatorIds, this.deps.people);
    const next = nextMilestone(item, date);
    const overdue = overdueMilestone(item, date, reminderWindow(planSettings.reminderOffsets));
    return itemStatusCard(plan, item, {
      date,
      ...(next ? { next } : {}),
      ...(overdue ? { overdue } : {}),
      roles: answeringRoles(item, ownerRole),
      canReport: canReport(actor, item, directory, coordinatorIds, ownerRole).ok,
    });
  }
}

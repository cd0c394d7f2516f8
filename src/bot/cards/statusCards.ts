/** Cards for the 1:1 commands: help, my actions, status <item>. */
import { daysBetween, WEEKDAY_LABELS, type WeekdayName } from '../../domain/calendar';
import { daysAgo } from '../../domain/words';
import { RAG_LABELS } from '../../domain/model';
import type { StoredItem, StoredPlan } from '../../store/planStore';
import {
  card,
  capped,
  dateLong,
  facts,
  heading,
  lastUpdateLine,
  objectiveLines,
  outputLine,
  plain,
  ragColor,
  ragStyle,
  text,
  type Card,
  type Element,
} from './common';
import { itemSection, type CardEntry } from './itemSection';

/** An item of the plan to show in examples ("status youth outreach"). */
export interface ExampleItem {
  key: string;
  title: string;
}

/** A few words of a title that find it: the first three words of four letters or more. */
export function exampleWords(title: string): string {
  const words = title.split(/\s+/).filter((w) => /^[A-Za-z][A-Za-z-]{3,}$/.test(w));
  return (words.length > 0 ? words.slice(0, 3) : title.split(/\s+/).slice(0, 3)).join(' ').toLowerCase();
}

function commandLines(example?: ExampleItem): Element[] {
  const status = example
    ? `**status** *item*: where an item stands, by part of its title or its key (e.g. "status ${plain(exampleWords(example.title))}" or "status ${example.key}" for *${plain(example.title)}*)`
    : '**status** *item*: where an item stands, by a few words of its title or its key (as shown in **my actions**)';
  return [
    text('Commands', { weight: 'Bolder' }),
    text('**help**: this message', { spacing: 'Small' }),
    text('**my actions**: the items you lead, with their status and next milestone', { spacing: 'Small' }),
    text(status, { spacing: 'Small' }),
  ];
}

export function helpCard(example?: ExampleItem): Card {
  return card([
    heading('Delivery Plan bot'),
    text(
      'Once a day at most, I send you one card with every item you lead that needs an update: the quarterly check-in, a milestone coming up (28, 14 and 7 days before, and on the day) or an overdue one. Answer each item on the card.',
    ),
    ...commandLines(example),
  ]);
}

/** A message the bot does not understand: says so, and what it does understand. */
export function unknownCard(said: string, example?: ExampleItem, matches: readonly StoredItem[] = []): Card {
  const shown = said.length > 60 ? `${said.slice(0, 59)}…` : said;
  const body: Element[] = [heading(`I did not understand "${plain(shown)}"`)];
  if (matches.length > 0) {
    body.push(text('Did you mean one of these? Send **status** with its key:', { spacing: 'Small' }));
    body.push(...matches.slice(0, 5).map((m) => text(`status ${m.key}: ${plain(m.title)}`, { spacing: 'Small' })));
  }
  body.push(...commandLines(example));
  return card(body);
}

/** `help` in a team channel: what the bot posts there and when. */
export function channelHelpCard(input: { day: WeekdayName; hour: number; deepLink?: string }): Card {
  const body = [
    heading('Delivery Plan bot'),
    text(
      `Every ${WEEKDAY_LABELS[input.day]} at ${String(input.hour).padStart(2, '0')}:00 I post the plan's weekly digest here: RAG counts and the change since last week, items whose status changed, overdue items, milestones in the next 28 days, and leads who did not answer or whom Teams cannot reach.`,
    ),
    text('Leads get their update requests from me in a 1:1 chat; they can also send me **my actions** there.'),
  ];
  return card(body, input.deepLink ? { actions: [{ type: 'Action.OpenUrl', title: 'Open the plan', url: input.deepLink }] } : {});
}

export interface MyItem {
  plan: StoredPlan;
  item: StoredItem;
  next?: string;
  overdue?: string;
}

/** Overdue first (the longest overdue at the top), then by next milestone, then by title. */
export function compareMyItems(a: MyItem, b: MyItem): number {
  return (
    (a.overdue ? 0 : 1) - (b.overdue ? 0 : 1) ||
    (a.overdue ?? '').localeCompare(b.overdue ?? '') ||
    (a.next ?? '9999').localeCompare(b.next ?? '9999') ||
    a.item.title.localeCompare(b.item.title)
  );
}

export function myActionsCard(name: string, items: MyItem[]): Card {
  if (items.length === 0) {
    return card([
      heading('Your actions'),
      text(`I found no items led by ${plain(name)}. If that is wrong, ask the plan co-ordinator to add you to the lead directory.`),
    ]);
  }
  const rows = capped(
    items,
    25,
    (m): Element => ({
      type: 'ColumnSet',
      spacing: 'Small',
      columns: [
        {
          type: 'Column',
          width: 'stretch',
          items: [
            text(plain(m.item.title), { spacing: 'None' }),
            text(
              `${m.item.key} · ${m.overdue ? `overdue since ${dateLong(m.overdue)}` : m.next ? `next milestone ${dateLong(m.next)}` : plain(m.item.timescale)}`,
              { isSubtle: true, size: 'Small', spacing: 'None' },
            ),
          ],
        },
        { type: 'Column', width: 'auto', items: [text(RAG_LABELS[m.item.status], { color: ragColor(m.item.status), weight: 'Bolder' })] },
      ],
    }),
    (n) => `and ${n} more`,
  );
  return card([heading(`Your actions (${items.length})`), ...rows]);
}

export interface StatusCardOptions {
  next?: string;
  /** The milestone the item is overdue against, if it is. */
  overdue?: string;
  /** Today (London), for how long it has been overdue. */
  date?: string;
  /** The roles answering for it (its leads, or its owner). */
  roles?: string[];
  /** The person may report on it: the card carries the report form. */
  canReport?: boolean;
}

export function itemStatusCard(plan: StoredPlan | undefined, item: StoredItem, options: StatusCardOptions = {}): Card {
  const { next, overdue, date } = options;
  const body: Element[] = [heading(plain(item.title))];
  const objectives = objectiveLines(plan, item);
  if (objectives) body.push(text(plain(objectives), { isSubtle: true, spacing: 'None' }));
  body.push({
    type: 'Container',
    style: ragStyle(item.status),
    items: [text(RAG_LABELS[item.status], { weight: 'Bolder', size: 'Medium' })],
  });
  if (overdue)
    body.push(
      text(`Overdue: due ${dateLong(overdue)}${date ? ` (${daysAgo(daysBetween(overdue, date))})` : ''}`, {
        color: 'Attention',
        weight: 'Bolder',
      }),
    );
  body.push(
    facts([
      ['Key', item.key],
      ['Lead', plain((options.roles ?? item.leads).join(' / ')) || undefined],
      ['Timescale', plain(item.timescale)],
      ['Next milestone', next ? dateLong(next) : item.status === 'complete' ? undefined : 'None to come'],
      ['Last report', lastUpdateLine(item)],
    ]),
  );
  if (item.lastUpdate?.note) body.push(text(`Last note: ${plain(item.lastUpdate.note)}`, { maxLines: 8 }));
  if (item.outputs.length)
    body.push(
      ...item.outputs.map((o, i) =>
        text(
          `Output ${i + 1}: ${outputLine(o)}${item.lastUpdate?.figures?.[i] !== undefined ? `: ${item.lastUpdate.figures[i]} so far` : ''}`,
          { spacing: 'Small' },
        ),
      ),
    );
  if (!options.canReport || item.status === 'complete') return card(body);
  const entry: CardEntry = { item, slot: '', ask: { reason: 'requested' }, state: { kind: 'open' } };
  const section = itemSection(entry, { date: date ?? '1970-01-01', planId: item.planId });
  const form = (section.items as Element[]).filter((e) => String(e.type).startsWith('Input.') || e.type === 'ActionSet');
  return card(body, {
    actions: [{ type: 'Action.ShowCard', title: 'Report status', card: { type: 'AdaptiveCard', version: '1.5', body: form } }],
  });
}

export function matchesCard(query: string, items: StoredItem[]): Card {
  // The query is echoed, so not at any length (a card over 28 KB is not delivered at all).
  const shown = query.length > 80 ? `${query.slice(0, 79)}…` : query;
  return card([
    heading(`${items.length} items match "${plain(shown)}"`),
    ...capped(
      items,
      15,
      (i) => text(`${i.key}: ${plain(i.title)}`, { spacing: 'Small' }),
      (n) => `and ${n} more: try more words`,
    ),
    text('Send **status** with the key to see one.', { isSubtle: true }),
  ]);
}

/** Cards for the 1:1 commands: help, my actions, status <item>. */
import { WEEKDAY_LABELS, type WeekdayName } from '../../domain/calendar';
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
  text,
  type Card,
  type Element,
} from './common';

export function helpCard(): Card {
  return card([
    heading('Delivery Plan bot'),
    text(
      'I send you a card when an item you lead has a milestone coming up (28, 14 and 7 days before, and on the day) and each week while it is overdue. Answer on the card.',
    ),
    text('Commands', { weight: 'Bolder' }),
    text('**help**: this message', { spacing: 'Small' }),
    text('**my actions**: the items you lead, with their status and next milestone', { spacing: 'Small' }),
    text('**status** *item*: where an item stands (part of its title or its key, e.g. "status a2-3f9c01be")', { spacing: 'Small' }),
  ]);
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

export function itemStatusCard(plan: StoredPlan | undefined, item: StoredItem, next?: string): Card {
  const body: Element[] = [heading(plain(item.title))];
  const objectives = objectiveLines(plan, item);
  if (objectives) body.push(text(plain(objectives), { isSubtle: true, spacing: 'None' }));
  body.push(text(RAG_LABELS[item.status], { color: ragColor(item.status), weight: 'Bolder', size: 'Medium' }));
  body.push(
    facts([
      ['Key', item.key],
      ['Lead', plain(item.leads.join(' / '))],
      ['Timescale', plain(item.timescale)],
      ['Next milestone', next ? dateLong(next) : undefined],
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
  return card(body);
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

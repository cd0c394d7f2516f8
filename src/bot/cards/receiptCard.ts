/** The read-only card that replaces a prompt once an answer is recorded: what, by whom, when. */
import { RAG_LABELS } from '../../domain/model';
import { formatInstant } from '../../domain/reminders';
import type { StoredItem, StoredPlan } from '../../store/planStore';
import { card, dateLong, facts, heading, objectiveLines, outputLine, plain, ragColor, text, type Card, type Element } from './common';

export function receiptCard(input: { plan?: StoredPlan; item: StoredItem; deepLink?: string }): Card {
  const { item } = input;
  const u = item.lastUpdate;
  const body: Element[] = [heading(plain(item.title))];
  const objectives = objectiveLines(input.plan, item);
  if (objectives) body.push(text(plain(objectives), { isSubtle: true, spacing: 'None' }));
  body.push(text(`Recorded: ${RAG_LABELS[item.status]}`, { color: ragColor(item.status), weight: 'Bolder', size: 'Medium' }));
  body.push(
    facts([
      ['By', u ? plain(u.by) : undefined],
      ['When', u ? formatInstant(u.at) : undefined],
      ['Revised date', u?.revisedDate ? dateLong(u.revisedDate) : undefined],
    ]),
  );
  if (u?.note) body.push(text(`Note: ${plain(u.note)}`, { maxLines: 12 }));
  const figures = u?.figures ? Object.entries(u.figures) : [];
  if (figures.length > 0) {
    body.push(text('Figures', { weight: 'Bolder', spacing: 'Medium' }));
    for (const [i, v] of figures) {
      const o = item.outputs[Number(i)];
      body.push(text(`${v} against ${o ? outputLine(o) : `output ${Number(i) + 1}`}`, { spacing: 'Small' }));
    }
  }
  body.push(text('This card is a record and can no longer be changed here.', { isSubtle: true, size: 'Small', spacing: 'Medium' }));
  const extra: Record<string, unknown> = {};
  if (input.deepLink) extra.actions = [{ type: 'Action.OpenUrl', title: 'Open the plan', url: input.deepLink }];
  return card(body, extra);
}

/** The read-only card that replaces a prompt once an answer is recorded: what, by whom, when. */
import { RAG_LABELS, type Rag } from '../../domain/model';
import { formatInstant } from '../../domain/calendar';
import type { StoredItem, StoredPlan } from '../../store/planStore';
import { card, dateLong, facts, heading, objectiveLines, outputLine, plain, ragColor, text, type Card, type Element } from './common';

/** A report another lead recorded between the card being sent and this answer. */
export interface EarlierReport {
  by: string;
  to: Rag;
  at: string;
}

/** Reports closer together than this are said to be "moments before" each other. */
const MOMENTS_MS = 10 * 60_000;

/**
 * `earlier`: reports other leads recorded moments before this one (a race). The person who answered
 * is told plainly (`toAnswerer`); everyone else's copy says the same without "you".
 */
export function receiptCard(input: {
  plan?: StoredPlan;
  item: StoredItem;
  deepLink?: string;
  earlier?: EarlierReport[];
  toAnswerer?: boolean;
}): Card {
  const { item } = input;
  const u = item.lastUpdate;
  const body: Element[] = [heading(plain(item.title))];
  if (input.earlier && input.earlier.length > 0) {
    // Said plainly, so the person knows their report did not replace the other one.
    const lines = input.earlier.map((e) => {
      const close = u && Math.abs(Date.parse(u.at) - Date.parse(e.at)) <= MOMENTS_MS;
      const who = input.toAnswerer ? 'you' : u ? plain(u.by) : 'this report';
      return `${plain(e.by)} recorded ${RAG_LABELS[e.to]} ${close ? `moments before ${who}` : `before ${who}, ${formatInstant(e.at)}`}.`;
    });
    body.push({
      type: 'Container',
      style: 'emphasis',
      items: [
        ...lines.map((l) => text(l, { weight: 'Bolder', spacing: 'Small' })),
        text(
          `${input.earlier.length > 1 ? 'All these' : 'Both'} reports are in the history; ${input.toAnswerer ? 'yours' : 'the one below'} is the latest.`,
          { spacing: 'Small' },
        ),
      ],
    });
  }
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

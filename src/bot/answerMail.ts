/**
 * The e-mail asking a partner outside Teams for an update: what is asked (each item, why, when due,
 * in en-GB dates, London days) and the link to the answer page. Plain HTML that Outlook renders
 * (tables for layout, inline styles only, no scripts, images or web fonts); every value from the plan
 * is escaped (he).
 */
import he from 'he';
import { daysBetween, formatInstant, formatLongDate } from '../domain/calendar';
import type { IsoDate } from '../domain/model';
import { askLine } from './cards/itemSection';

export interface MailItem {
  title: string;
  reason: string;
  /** The milestone asked about (milestone and overdue requests). */
  milestone?: IsoDate;
  /** The item's next due date, shown when the request is not about a milestone (a check-in). */
  due?: IsoDate;
  period?: { label: string; end: IsoDate };
}

export interface AnswerMailInput {
  name: string;
  planTitle: string;
  organisation: string;
  date: IsoDate;
  items: MailItem[];
  link: string;
  expiresAt: string;
}

const esc = (text: string) => he.encode(text, { useNamedReferences: false });

export function answerMailSubject(input: { planTitle: string; count: number }): string {
  const n = input.count;
  return `${input.planTitle}: please give an update on ${n === 1 ? '1 item' : `${n} items`}`;
}

export function answerMailHtml(input: AnswerMailInput): string {
  const rows = input.items
    .map((item) => {
      const why = askLine({
        reason: item.reason,
        ...(item.milestone ? { milestone: item.milestone, daysUntil: daysBetween(input.date, item.milestone) } : {}),
        ...(item.period ? { periodLabel: item.period.label, periodEnd: item.period.end } : {}),
      });
      const due = item.milestone ?? item.due;
      return (
        `<tr><td style="padding:8px;border:1px solid #c8c8c8;vertical-align:top"><strong>${esc(item.title)}</strong></td>` +
        `<td style="padding:8px;border:1px solid #c8c8c8;vertical-align:top">${esc(why)}</td>` +
        `<td style="padding:8px;border:1px solid #c8c8c8;vertical-align:top;white-space:nowrap">${due ? esc(formatLongDate(due)) : 'No due date'}</td></tr>`
      );
    })
    .join('');
  const link = esc(input.link);
  return [
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Update requested</title></head>',
    '<body style="font-family:Segoe UI,Arial,sans-serif;font-size:15px;color:#242424;line-height:1.4">',
    `<p>Dear ${esc(input.name)},</p>`,
    `<p>${esc(input.organisation)} asks you, as a lead in the <strong>${esc(input.planTitle)}</strong>, for an update on the ${input.items.length === 1 ? 'item' : 'items'} below.</p>`,
    '<table role="presentation" style="border-collapse:collapse;width:100%;max-width:720px" cellpadding="0" cellspacing="0">',
    '<tr><th scope="col" style="text-align:left;padding:8px;border:1px solid #c8c8c8;background:#f0f0f0">Item</th>',
    '<th scope="col" style="text-align:left;padding:8px;border:1px solid #c8c8c8;background:#f0f0f0">Why you are asked</th>',
    '<th scope="col" style="text-align:left;padding:8px;border:1px solid #c8c8c8;background:#f0f0f0">Due</th></tr>',
    rows,
    '</table>',
    `<p><a href="${link}" style="font-weight:bold;color:#0f6cbd">Give your update</a> (no Microsoft account needed).</p>`,
    `<p>If the link does not open, copy this address into your browser:<br>${link}</p>`,
    `<p>The link is for you only and works until ${esc(formatInstant(input.expiresAt))}, once for each item. If you have any question, or the link has stopped working, reply to this e-mail and the plan's co-ordinator will help.</p>`,
    '</body></html>',
  ].join('\n');
}

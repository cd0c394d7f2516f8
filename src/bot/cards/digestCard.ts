/**
 * The weekly digest for the plan's channel, and the co-ordinator's escalation / unreachable-leads
 * card. Lists are capped so that the card stays well under Teams' 28 KB limit at any plan size.
 */
import type { DigestContent } from '../../domain/digest';
import type { Escalation } from '../../domain/escalation';
import { RAG_LABELS, RAG_VALUES } from '../../domain/model';
import { dayCount, daysAgo } from '../../domain/words';
import { card, capped, dateLong, heading, plain, ragColor, text, type Card, type Element } from './common';

const MAX_ROWS = 12;

function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${Math.abs(n)}` : 'no change';
}

function section(title: string, rows: Element[], empty: string): Element {
  return {
    type: 'Container',
    spacing: 'Medium',
    separator: true,
    items: [text(title, { weight: 'Bolder' }), ...(rows.length ? rows : [text(empty, { isSubtle: true, spacing: 'Small' })])],
  };
}

function row(value: string, extra: Element = {}): Element {
  return text(value, { spacing: 'Small', ...extra });
}

export function digestCard(d: DigestContent): Card {
  const body: Element[] = [
    heading(`${plain(d.planTitle)}: weekly digest`),
    text(`Week to ${dateLong(d.date)}`, { isSubtle: true, spacing: 'None' }),
    {
      type: 'ColumnSet',
      spacing: 'Medium',
      columns: RAG_VALUES.map((r) => ({
        type: 'Column',
        width: 'stretch',
        items: [
          text(RAG_LABELS[r], { size: 'Small', color: ragColor(r), weight: 'Bolder' }),
          text(String(d.counts[r]), { size: 'Large', spacing: 'None' }),
          text(signed(d.change[r]), { size: 'Small', isSubtle: true, spacing: 'None' }),
        ],
      })),
    },
    section(
      'Status changed this week',
      capped(
        d.changed,
        MAX_ROWS,
        (c) => row(`${plain(c.title)}: ${RAG_LABELS[c.from]} → ${RAG_LABELS[c.to]} (${plain(c.by)})`),
        (n) => `and ${n} more`,
      ),
      'No status changed this week.',
    ),
    section(
      'Overdue',
      capped(
        d.overdue,
        MAX_ROWS,
        (o) =>
          row(`${plain(o.title)}: due ${dateLong(o.milestone)}, ${daysAgo(o.daysOverdue)} (${plain(o.leads.join(' / '))})`, {
            color: 'Attention',
          }),
        (n) => `and ${n} more overdue`,
      ),
      'Nothing is overdue.',
    ),
    section(
      'Milestones in the next 28 days',
      capped(
        d.upcoming,
        MAX_ROWS,
        (u) => row(`${dateLong(u.milestone)}: ${plain(u.title)} (${RAG_LABELS[u.status]})`),
        (n) => `and ${n} more`,
      ),
      'No milestones in the next 28 days.',
    ),
    section(
      'Leads who did not answer their prompts',
      capped(
        d.unanswered,
        MAX_ROWS,
        (p) =>
          row(
            `${plain(p.personName)}: ${p.items.length} item${p.items.length === 1 ? '' : 's'} (${plain(
              p.items
                .map((i) => i.itemTitle)
                .slice(0, 3)
                .join('; '),
            )}${p.items.length > 3 ? '; …' : ''})`,
          ),
        (n) => `and ${n} more people`,
      ),
      'Every prompt sent this week was answered.',
    ),
    section(
      'Leads Teams could not reach',
      capped(
        d.unreachable,
        MAX_ROWS,
        (u) => row(`${plain(u.who)}${u.itemTitle ? ` (${plain(u.itemTitle)})` : ''}: ${plain(u.why)}`),
        (n) => `and ${n} more`,
      ),
      'Every lead was reachable.',
    ),
  ];
  const extra: Record<string, unknown> = {};
  if (d.deepLink) extra.actions = [{ type: 'Action.OpenUrl', title: 'Open the plan', url: d.deepLink }];
  return card(body, extra);
}

export interface CoordinatorNotice {
  planTitle: string;
  date: string;
  escalations: Escalation[];
  unreachable: Array<{ who: string; itemTitle?: string; why: string }>;
  /** Leads Teams cannot reach that another card of the day lists (the digest): counted, not repeated. */
  unreachableElsewhere?: { count: number; where: string };
  deepLink?: string;
}

/** To the co-ordinator: items overdue or Red for two weeks, and leads Teams could not reach. */
export function coordinatorCard(n: CoordinatorNotice): Card {
  const body: Element[] = [
    heading(`${plain(n.planTitle)}: needs your attention`),
    text(dateLong(n.date), { isSubtle: true, spacing: 'None' }),
  ];
  if (n.escalations.length > 0) {
    body.push(
      section(
        'Overdue or Red for two weeks or more',
        capped(
          n.escalations,
          20,
          (e) =>
            row(
              `${plain(e.title)}: ${
                e.why === 'red'
                  ? `Red since ${dateLong(e.since)}${e.reds && e.reds > 1 ? ` (${e.reds} Red reports in a row)` : ''}`
                  : `overdue since ${dateLong(e.since)} with no report`
              } (${dayCount(e.days)}; ${plain(e.leads.join(' / '))})`,
              { color: 'Attention' },
            ),
          (k) => `and ${k} more`,
        ),
        '',
      ),
    );
  }
  if (n.unreachable.length > 0) {
    body.push(
      section(
        'Leads Teams could not reach',
        capped(
          n.unreachable,
          20,
          (u) => row(`${plain(u.who)}${u.itemTitle ? ` (${plain(u.itemTitle)})` : ''}: ${plain(u.why)}`),
          (k) => `and ${k} more`,
        ),
        '',
      ),
    );
  }
  if (n.unreachableElsewhere && n.unreachableElsewhere.count > 0) {
    const k = n.unreachableElsewhere.count;
    body.push(
      section(
        'Leads Teams could not reach',
        [row(`${k} ${k === 1 ? 'lead is' : 'leads are'} listed in ${n.unreachableElsewhere.where}.`)],
        '',
      ),
    );
  }
  const extra: Record<string, unknown> = {};
  if (n.deepLink) extra.actions = [{ type: 'Action.OpenUrl', title: 'Open the plan', url: n.deepLink }];
  return card(body, extra);
}

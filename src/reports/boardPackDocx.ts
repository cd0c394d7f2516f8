/**
 * The board pack as a Word document (councils circulate board papers as Word documents): summary by
 * objective with the direction of travel, the exception report, every item's status, output progress
 * and the recommendations matrix, for one quarter. Built with the `docx` package from the pure board
 * pack (domain/boardPack.ts), the same content the tab's board pack view shows.
 */
import { Document, type Paragraph, type Table } from 'docx';
import { DIRECTION_LABELS, type BoardPack, type PackItemRow } from '../domain/boardPack';
import { formatInstant, formatLongDate } from '../domain/calendar';
import { RAG_LABELS, RAG_VALUES } from '../domain/model';
import { figureText, targetWords } from '../domain/words';
import { heading, para, table, title, toBuffer, type CellSpec } from './docxParts';

function status(row: Pick<PackItemRow, 'status'>): CellSpec {
  return { lines: [RAG_LABELS[row.status]], rag: row.status, bold: true };
}

function summary(pack: BoardPack) {
  return table(
    ['Objective', 'Items', ...RAG_VALUES.map((r) => RAG_LABELS[r]), `Since ${pack.previous.label}`],
    [
      ...pack.byObjective.map((o) => [
        `${o.objective}. ${o.title}`,
        String(o.total),
        ...RAG_VALUES.map((r) => String(o.counts[r])),
        `${DIRECTION_LABELS[o.direction]} (${o.improved} improved, ${o.worse} worse)`,
      ]),
      [{ lines: ['All items'], bold: true }, String(pack.total), ...RAG_VALUES.map((r) => String(pack.counts[r])), ''],
    ],
  );
}

function exceptions(pack: BoardPack) {
  const out: Array<Paragraph | Table> = [heading('Exception report', 1), heading('Red and Amber items', 2)];
  if (pack.exceptions.offTrack.length === 0) out.push(para(`No item was Red or Amber at ${formatLongDate(pack.asAt)}.`));
  else
    out.push(
      table(
        ['Item', 'Lead', 'Status', 'Note', 'Corrective action', 'Revised date'],
        pack.exceptions.offTrack.map((r) => [
          r.title,
          r.leads.join('; '),
          status(r),
          r.note ?? 'No note',
          r.correctiveAction ?? 'None recorded',
          r.revisedDate ? formatLongDate(r.revisedDate) : '—',
        ]),
      ),
    );
  out.push(heading(`Not reported in ${pack.quarter.label}`, 2));
  if (pack.exceptions.notReported.length === 0) out.push(para('Every open item was reported in the quarter.'));
  else
    out.push(
      table(
        ['Item', 'Lead', 'Status', 'Last report'],
        pack.exceptions.notReported.map((r) => [
          r.title,
          r.leads.join('; '),
          status(r),
          r.lastReportAt ? formatInstant(r.lastReportAt) : 'Never',
        ]),
      ),
    );
  return out;
}

export async function boardPackDocx(pack: BoardPack): Promise<Buffer> {
  const children = [
    title(`${pack.organisation} ${pack.title}`),
    para(
      `Board pack for ${pack.quarter.label} (${pack.quarter.span}), as at ${formatLongDate(pack.asAt)}. Direction of travel is against ${pack.previous.label}.`,
    ),
    heading('Summary by objective', 1),
    summary(pack),
    ...exceptions(pack),
    heading('Every item', 1),
    table(
      ['Item', 'Lead', 'Status', `At ${pack.previous.label}`, 'Direction', 'Latest note'],
      pack.items.map((r) => [
        r.title,
        r.leads.join('; '),
        status(r),
        { lines: [RAG_LABELS[r.previous]], rag: r.previous },
        DIRECTION_LABELS[r.direction],
        r.note ?? '',
      ]),
    ),
    heading('Outputs against targets', 1),
    table(
      ['Item', 'Output', 'Target', 'Reported', 'Progress'],
      pack.outputs.map((o) => [
        o.itemTitle,
        o.text,
        targetWords(o),
        o.reported !== undefined ? figureText(o.reported, o) : 'Not reported',
        o.percent !== undefined ? `${o.percent}%` : '—',
      ]),
    ),
    heading('Recommendations', 1),
    table(
      ['Recommendation', 'Items answering it', 'Status'],
      pack.recommendations.map((r) => [
        `${r.number}. ${r.text}${r.source ? ` (${r.source})` : ''}`,
        { lines: r.actions.length > 0 ? r.actions.map((a) => a.title) : ['No item answers this recommendation'] },
        { lines: r.actions.length > 0 ? r.actions.map((a) => RAG_LABELS[a.status]) : ['—'] },
      ]),
    ),
  ];
  const doc = new Document({
    creator: 'Delivery Plan for Teams',
    title: `${pack.title}: board pack ${pack.quarter.label}`,
    description: `Board pack for ${pack.quarter.label}`,
    sections: [{ children }],
  });
  return toBuffer(doc);
}

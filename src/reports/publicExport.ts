/**
 * The public version of a plan as a file: Markdown in the layout of the plan document itself (the
 * shared plan was published in that form), or Word. Content from domain/publicExport.ts, which leaves
 * out notes, people's names and e-mail addresses, internal figures and restricted fields.
 */
import { Document, type Paragraph, type Table } from 'docx';
import { formatLongDate } from '../domain/calendar';
import { RAG_LABELS } from '../domain/model';
import type { PublicItem, PublicPlan } from '../domain/publicExport';
import { heading, para, table, title, toBuffer, WORD_CONTENT_TYPE } from './docxParts';

export interface PublicFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

/** Table cells hold no line breaks or pipes in Markdown. */
function md(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function outputsText(item: PublicItem): string[] {
  return (item.outputs ?? []).map(
    (o) =>
      `${o.text}${o.target ? ` (target ${o.target}${o.reported ? `; reported ${o.reported}` : ''})` : o.reported ? ` (reported ${o.reported})` : ''}`,
  );
}

function columns(p: PublicPlan): Array<{ header: string; cell: (i: PublicItem) => string[] }> {
  const cols: Array<{ header: string; cell: (i: PublicItem) => string[] } | undefined> = [
    { header: 'Action', cell: (i) => [i.title, ...(i.description ? [i.description] : [])] },
    p.items.some((i) => i.outcomes) ? { header: 'Outcomes', cell: (i) => i.outcomes ?? [] } : undefined,
    p.items.some((i) => i.outputs) ? { header: 'Outputs', cell: outputsText } : undefined,
    p.items.some((i) => i.timescale !== undefined) ? { header: 'Timescale', cell: (i) => (i.timescale ? [i.timescale] : []) } : undefined,
    p.items.some((i) => i.leads)
      ? { header: 'Lead', cell: (i) => (i.leads?.length ? [i.leads.join(' / ')] : i.provider ? [i.provider] : []) }
      : undefined,
    p.items.some((i) => i.status) ? { header: 'RAG status', cell: (i) => (i.status ? [RAG_LABELS[i.status]] : []) } : undefined,
  ];
  return cols.filter((c): c is { header: string; cell: (i: PublicItem) => string[] } => !!c);
}

function note(p: PublicPlan): string {
  return `Status as at ${formatLongDate(p.asAt)} (${p.quarter}). Published version: ${p.leftOut.join(', ')} are left out.`;
}

export function publicMarkdown(p: PublicPlan): string {
  const out: string[] = [`# **${p.organisation}**`, '', `## **${p.title}**`, '', note(p), ''];
  out.push('## Objectives', '', ...p.objectives.map((o) => `${o.number}. ${o.title}`), '');
  if (p.recommendations.length > 0) {
    out.push('## Key Recommendations', '', ...p.recommendations.map((r) => `${r.number}. ${r.text}`), '');
  }
  const cols = columns(p);
  for (const o of p.objectives) {
    const mine = p.items.filter((i) => i.objectives[0] === o.number);
    if (mine.length === 0) continue;
    out.push(`**OBJECTIVE ${o.number}: ${md(o.title)}**`, '');
    out.push(`| ${cols.map((c) => c.header).join(' | ')} |`, `| ${cols.map(() => '---').join(' | ')} |`);
    for (const i of mine) out.push(`| ${cols.map((c) => md(c.cell(i).join('; '))).join(' | ')} |`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

export async function publicDocx(p: PublicPlan): Promise<Buffer> {
  const cols = columns(p);
  const children: Array<Paragraph | Table> = [title(`${p.organisation} ${p.title}`), para(note(p)), heading('Objectives', 1)];
  children.push(...p.objectives.map((o) => para(`${o.number}. ${o.title}`)));
  if (p.recommendations.length > 0) {
    children.push(heading('Key recommendations', 1), ...p.recommendations.map((r) => para(`${r.number}. ${r.text}`)));
  }
  for (const o of p.objectives) {
    const mine = p.items.filter((i) => i.objectives[0] === o.number);
    if (mine.length === 0) continue;
    children.push(heading(`Objective ${o.number}: ${o.title}`, 2));
    children.push(
      table(
        cols.map((c) => c.header),
        mine.map((i) => cols.map((c) => ({ lines: c.cell(i), ...(c.header === 'RAG status' && i.status ? { rag: i.status } : {}) }))),
      ),
    );
  }
  return toBuffer(new Document({ creator: 'Delivery Plan for Teams', title: `${p.title} (published version)`, sections: [{ children }] }));
}

export async function publicFile(planId: string, p: PublicPlan, format: 'md' | 'docx'): Promise<PublicFile> {
  const name = `${planId}-${p.quarter.replace(/\s+/g, '-').toLowerCase()}-public`;
  if (format === 'docx') return { filename: `${name}.docx`, contentType: WORD_CONTENT_TYPE, body: await publicDocx(p) };
  return { filename: `${name}.md`, contentType: 'text/markdown; charset=utf-8', body: Buffer.from(publicMarkdown(p), 'utf8') };
}

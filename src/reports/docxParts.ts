/**
 * Small builders over the `docx` package for the Word documents the app writes (the board pack and
 * the public version): headings, paragraphs and tables with a repeating header row, in a plain style
 * that prints well and reads well with a screen reader (real headings, header rows marked as such).
 */
import {
  BorderStyle,
  HeadingLevel,
  Packer,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type Document,
  type ParagraphChild,
} from 'docx';
import type { Rag } from '../domain/model';

export const WORD_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Cell fills of each status: pale, so that black text on them stays well above 4.5:1. */
const RAG_FILL: Record<Rag, string | undefined> = {
  red: 'F4C7C3',
  amber: 'FCE8B2',
  green: 'B7E1CD',
  complete: 'C9DAF8',
  'not-reported': undefined,
};

export function heading(text: string, level: 1 | 2 | 3 = 1): Paragraph {
  const heading = level === 1 ? HeadingLevel.HEADING_1 : level === 2 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_3;
  return new Paragraph({ text, heading, spacing: { before: 240, after: 120 } });
}

export function title(text: string): Paragraph {
  return new Paragraph({ text, heading: HeadingLevel.TITLE });
}

export function para(text: string | ParagraphChild[], options: { bold?: boolean; italics?: boolean } = {}): Paragraph {
  const children = typeof text === 'string' ? [new TextRun({ text, ...options })] : text;
  return new Paragraph({ children, spacing: { after: 120 } });
}

export function run(text: string, options: { bold?: boolean; italics?: boolean } = {}): TextRun {
  return new TextRun({ text, ...options });
}

/** A cell's content: lines of text (each its own paragraph), optionally bold, on a status fill. */
export interface CellSpec {
  lines: string[];
  bold?: boolean;
  rag?: Rag;
}

function cell(spec: CellSpec | string, header = false): TableCell {
  const s = typeof spec === 'string' ? { lines: [spec] } : spec;
  const fill = s.rag ? RAG_FILL[s.rag] : header ? 'E7E6E6' : undefined;
  return new TableCell({
    children: (s.lines.length > 0 ? s.lines : ['']).map(
      (l) => new Paragraph({ children: [new TextRun({ text: l, bold: header || s.bold })] }),
    ),
    ...(fill ? { shading: { fill, type: ShadingType.CLEAR, color: 'auto' } } : {}),
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
  });
}

const BORDER = { style: BorderStyle.SINGLE, size: 4, color: '999999' };

/** A full-width table whose first row is a header repeated on every page. */
export function table(header: string[], rows: Array<Array<CellSpec | string>>): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER, insideHorizontal: BORDER, insideVertical: BORDER },
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: header.map((h) => cell(h, true)) }),
      ...rows.map((r) => new TableRow({ cantSplit: true, children: r.map((c) => cell(c)) })),
    ],
  });
}

export function toBuffer(doc: Document): Promise<Buffer> {
  return Packer.toBuffer(doc);
}

/**
 * Writes a plan in the document template as a Word document, the way a council holds it: headings
 * as Word headings, numbered lists as Word numbering, each table as a Word table whose cells hold
 * paragraphs, bulleted lists, bold and italic. Built with the `docx` package, independent of the
 * importer, so a test can check that the .docx reads exactly as the template does.
 */
import { AlignmentType, Document, HeadingLevel, LevelFormat, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import he from 'he';

const HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
];

/** Runs of a piece of inline HTML (<b>, <i>, entities) as docx text runs. */
function runs(html: string): TextRun[] {
  const out: TextRun[] = [];
  let bold = false;
  let italics = false;
  for (const m of html.matchAll(/<(\/?)(b|strong|i|em)\b[^>]*>|([^<]+)|<[^>]*>/gi)) {
    if (m[2]) {
      const on = m[1] !== '/';
      if (/^(b|strong)$/i.test(m[2])) bold = on;
      else italics = on;
    } else if (m[3]) {
      const text = he.decode(m[3]);
      if (text !== '') out.push(new TextRun({ text, bold, italics }));
    }
  }
  return out;
}

/** A template table cell → Word paragraphs: <p> and <li> each a paragraph, double spaces between sentences too. */
function cellParagraphs(cell: string, bullets: () => number): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  const loose = (html: string) => {
    for (const part of html.split(/ {2,}/)) if (part.trim() !== '') paragraphs.push(new Paragraph({ children: runs(part.trim()) }));
  };
  let rest = cell;
  let instance = 0;
  while (rest.length > 0) {
    const block = /<(p|ul|ol)\b[^>]*>([\s\S]*?)<\/\1>/i.exec(rest);
    if (!block) {
      loose(rest);
      break;
    }
    loose(rest.slice(0, block.index));
    if (block[1]!.toLowerCase() === 'p') paragraphs.push(new Paragraph({ children: runs(block[2]!.trim()) }));
    else {
      instance = instance || bullets();
      for (const li of block[2]!.matchAll(/<li\b[^>]*>([\s\S]*?)<\/li>/gi))
        paragraphs.push(new Paragraph({ children: runs(li[1]!.trim()), numbering: { reference: 'bullets', level: 0, instance } }));
    }
    rest = rest.slice(block.index + block[0].length);
  }
  return paragraphs.length ? paragraphs : [new Paragraph({ children: [] })];
}

export async function planToDocx(markdown: string): Promise<Buffer> {
  const children: Array<Paragraph | Table> = [];
  const lines = markdown.split(/\r?\n/);
  let numberedInstance = 0;
  let inNumbered = false;
  let bulletInstance = 100;
  const nextBullets = () => ++bulletInstance;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (line.includes('\t')) {
      // A table: its rows, across blank lines, until another paragraph.
      const rows: string[][] = [];
      let j = i;
      for (; j < lines.length; j++) {
        if (lines[j]!.includes('\t')) rows.push(lines[j]!.split('\t'));
        else if (lines[j]!.trim() !== '') break;
      }
      i = j - 1;
      const width = Math.max(...rows.map((r) => r.length));
      children.push(
        new Table({
          rows: rows.map(
            (cells) =>
              new TableRow({
                children: Array.from({ length: width }, (_, k) => new TableCell({ children: cellParagraphs(cells[k] ?? '', nextBullets) })),
              }),
          ),
        }),
      );
      inNumbered = false;
      continue;
    }
    if (trimmed === '' || /^-{3,}$/.test(trimmed) || trimmed === '\u00a0') continue;
    const heading = /^(#{1,6})\s+(.*)$/.exec(trimmed);
    const numbered = /^\d+[.)]\s+(.*)$/.exec(trimmed);
    const bullet = /^[-*]\s+(.*)$/.exec(trimmed);
    if (numbered) {
      if (!inNumbered) numberedInstance++;
      inNumbered = true;
      children.push(
        new Paragraph({ children: runs(numbered[1]!), numbering: { reference: 'numbers', level: 0, instance: numberedInstance } }),
      );
      continue;
    }
    inNumbered = false;
    if (heading) {
      const text = heading[2]!.replace(/\*\*/g, '');
      children.push(new Paragraph({ heading: HEADINGS[heading[1]!.length - 1]!, children: [new TextRun(he.decode(text))] }));
    } else if (bullet) {
      children.push(
        new Paragraph({
          children: runs(bullet[1]!.replace(/\*([^*]+)\*/g, '<i>$1</i>')),
          numbering: { reference: 'bullets', level: 0, instance: 1 },
        }),
      );
    } else if (/^\*\*(.*)\*\*$/.test(trimmed)) {
      children.push(new Paragraph({ children: [new TextRun({ text: he.decode(trimmed.slice(2, -2)), bold: true })] }));
    } else {
      children.push(new Paragraph({ children: runs(trimmed) }));
    }
  }
  const doc = new Document({
    numbering: {
      config: [
        { reference: 'numbers', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }] },
        { reference: 'bullets', levels: [{ level: 0, format: LevelFormat.BULLET, text: '\u2022', alignment: AlignmentType.START }] },
      ],
    },
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}

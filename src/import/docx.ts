/**
 * Word documents (.docx), read with `mammoth` (maintained, pure JavaScript, turns a document's
 * headings, lists and tables into plain semantic HTML and ignores its styling). The HTML becomes the
 * same text the document template is written in (headings as "#", numbered lists as "1.", table
 * rows as tab-separated cells keeping <p>, <ul><li>, <b> and <i>), and the same rules read it, so a
 * plan reads the same from Word as from the template. Messages name the paragraph: every heading,
 * paragraph, list item and table row counts as one, from the top of the document.
 */
import { PlanFormatError } from '../errors';
import type { ParsedPlan } from '../domain/model';
import { parsePlanDocument } from './planDocument';
import { unpackOffice } from './zipGuard';

interface Block {
  text: string;
  /** Paragraph number in the document (1-based). */
  paragraph: number;
}

const TOKEN = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>|([^<]+)/g;
const CELL_TAGS: Record<string, string> = { p: 'p', ul: 'ul', ol: 'ul', li: 'li', strong: 'b', b: 'b', em: 'i', i: 'i', br: 'br' };

/** Mammoth's HTML → lines of the document template, with the paragraph each came from. */
export function htmlToTemplate(html: string): Block[] {
  const blocks: Block[] = [];
  let paragraph = 0;
  const stack: string[] = [];
  let text = '';
  let cell = '';
  let cells: string[] = [];
  let tableDepth = 0;
  let inCell = false;
  const listCounters: number[] = [];
  const listKinds: string[] = [];
  let allBold = true;
  let sawText = false;

  const flat = (s: string) => s.replace(/[\t\r\n]+/g, ' ');
  const emit = (line: string, row = false) => {
    paragraph++;
    // A table row keeps its empty first and last cells (an untitled row starts with a tab).
    const kept = row ? line.replace(/^ +| +$/g, '') : line.trim();
    if (kept.trim() !== '') blocks.push({ text: kept, paragraph });
  };

  for (const m of html.matchAll(TOKEN)) {
    const [, closing, rawTag, attrs, chars] = m;
    if (chars !== undefined) {
      if (inCell) cell += flat(chars);
      else {
        text += flat(chars);
        if (chars.trim() !== '') {
          sawText = true;
          if (!stack.includes('strong') && !stack.includes('b')) allBold = false;
        }
      }
      continue;
    }
    const tag = rawTag!.toLowerCase();
    const selfClosing = /\/\s*$/.test(attrs ?? '') || tag === 'br' || tag === 'img';
    if (tableDepth > 0) {
      // Inside a table: rows become lines, cells keep their light HTML.
      if (tag === 'table') {
        tableDepth += closing ? -1 : 1;
        if (tableDepth === 0) {
          blocks.push({ text: '', paragraph }); // a blank line ends the table, as in the template
          continue;
        }
      }
      if (tableDepth > 1) {
        if (inCell && (tag === 'td' || tag === 'th') && closing) cell += ' ';
        continue; // a table inside a cell: its text only
      }
      if (tag === 'tr') {
        if (closing) emit(cells.join('\t'), true);
        cells = [];
        continue;
      }
      if (tag === 'td' || tag === 'th') {
        if (closing) {
          cells.push(cell.trim());
          inCell = false;
        } else {
          cell = '';
          inCell = true;
        }
        continue;
      }
      if (inCell && CELL_TAGS[tag]) cell += selfClosing ? `<${CELL_TAGS[tag]}>` : `<${closing}${CELL_TAGS[tag]}>`;
      continue;
    }
    if (tag === 'table' && !closing) {
      tableDepth = 1;
      continue;
    }
    if (selfClosing) {
      if (tag === 'br') text += ' ';
      continue;
    }
    if (!closing) {
      stack.push(tag);
      if (/^(h[1-6]|p|li)$/.test(tag)) {
        text = '';
        allBold = true;
        sawText = false;
      }
      if (tag === 'ol' || tag === 'ul') {
        listCounters.push(0);
        listKinds.push(tag);
      }
      if (tag === 'li') listCounters[listCounters.length - 1]! += 1;
      continue;
    }
    // A closing tag ends its element (mammoth's HTML is well nested).
    const open = stack.lastIndexOf(tag);
    if (open >= 0) stack.length = open;
    const heading = /^h([1-6])$/.exec(tag);
    if (heading) emit(`${'#'.repeat(Number(heading[1]))} ${text}`);
    else if (tag === 'p' && !stack.includes('li')) emit(sawText && allBold ? `**${text.trim()}**` : text);
    else if (tag === 'li') {
      const kind = listKinds[listKinds.length - 1];
      emit(kind === 'ol' ? `${listCounters[listCounters.length - 1]}. ${text}` : `- ${text}`);
      text = '';
    } else if (tag === 'ol' || tag === 'ul') {
      listCounters.pop();
      listKinds.pop();
    }
  }
  return blocks;
}

export async function docxToPlan(data: Buffer, file = 'plan.docx'): Promise<ParsedPlan> {
  const parts = unpackOffice(data, file, 'Word document');
  if (!parts.some((p) => p.name === 'word/document.xml'))
    throw new PlanFormatError(
      0,
      'not a readable Word document: it has no word/document.xml (is it an .xlsx or another kind of ZIP?)',
      file,
    );
  // Loaded when a document is first read, not at every server start.
  const { default: mammoth } = await import('mammoth');
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: data },
      { externalFileAccess: false, convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })) },
    );
    html = result.value;
  } catch (err) {
    throw new PlanFormatError(0, `not a readable Word document (${(err as Error).message.split('\n')[0]})`, file);
  }
  const blocks = htmlToTemplate(html);
  const paragraphs = blocks.map((b) => b.paragraph);
  return parsePlanDocument(blocks.map((b) => b.text).join('\n'), file, {
    lineOf: (line) => paragraphs[line - 1] ?? (paragraphs[paragraphs.length - 1] ?? 0) + 1,
  });
}

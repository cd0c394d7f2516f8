/**
 * Reads a delivery plan written in the shared template (markdown headings, numbered lists for
 * objectives and recommendations, tab-separated tables whose cells carry a little HTML) into the
 * domain model. Works line by line so that every warning and error names its line.
 *
 * Quirks handled (all seen in real plans): tables that continue after blank lines, rows with no
 * title, HTML paragraphs in title cells, recommendation references inside titles, objective labels
 * that contradict the objectives list, two objectives in one cell, trailing empty columns.
 *
 * Structure is read by meaning, not position: objective sections in the forms councils use
 * ("OBJECTIVE ONE:", "Objective 1 –", "PRIORITY TWO:", "Priority 2:", "Theme 3 –", "Outcome 1:",
 * as a heading, a bold line or a line of its own), column headers by meaning in any order
 * (HEADER_FIELDS), and recommendations under any "… Recommendations" heading, whatever body made
 * them. Word documents reach here as the same text (docx.ts), with a map back to their paragraphs.
 */
import { PlanFormatError } from '../errors';
import { foldText, itemKeyOf } from '../domain/identity';
import { canonicalRoles, splitLeads } from '../domain/leads';
import type { ImportWarning, ItemKind, Objective, ParsedPlan, PlanInfo, PlanItem, Rag, Recommendation } from '../domain/model';
import { cleanOutputText, parseOutput } from '../domain/outputs';
import { extractRecommendationRefs, type RecommendationRef } from '../domain/recommendationRefs';
import { parseTimescale, type TimescaleContext } from '../domain/timescale';
import { checkItemCount, planWarnings } from './checks';
import { cellLines, cellText, listItems, paragraphs, unclosedElement } from './htmlCell';
import { statusOf } from './status';

type Field = 'title' | 'objectives' | 'outcomes' | 'outputs' | 'timescale' | 'leads' | 'provider' | 'status' | 'progress';

/**
 * Column headers by meaning, in any order. A header is folded first (lower case, "(s)", "?" and
 * punctuation dropped): "Lead Officer(s)" → "lead officer", "By when?" → "by when".
 */
const HEADER_FIELDS: Array<[RegExp, Field]> = [
  [
    /^(target|due|completion|end|review) dates?$|^(by )?when$|^by when$|^timescales?$|^timeline$|^time ?frames?$|^deadlines?$|^due$|^milestones?$|^dates?$/,
    'timescale',
  ],
  [
    /^(key )?(actions?|activity|activities|tasks?|what|what we will do|what will we do|what will be done|actions? to be taken|title|projects?|project name|description|action ?\/ ?activity|interventions?)$/,
    'title',
  ],
  [/^(local )?(strategic )?(objectives?|priority|priorities|themes?|aims?|goals?)( no| number| ref)?$/, 'objectives'],
  [/^(expected |intended |desired )?outcomes?$|^impact$/, 'outcomes'],
  [
    /^(outputs?|deliverables?|measures?|measures? of success|success measures?|success criteria|performance measures?|performance indicators?|kpis?|indicators?|targets?|evidence)$/,
    'outputs',
  ],
  [
    /^(leads?|lead officers?|lead roles?|lead agency|lead agencies|lead partners?|lead organisations?|responsible|responsible officers?|responsibility|owners?|action owners?|accountable officers?|who|by whom|who is responsible)$/,
    'leads',
  ],
  [/provider|delivery partner/, 'provider'],
  [/^(b?rag|b?rag status|b?rag rating|status|current status|rating)$/, 'status'],
  [/^(progress|progress update|update|commentary|comments?)$/, 'progress'],
];

function foldHeader(text: string): string {
  return foldText(text)
    .replace(/\(s\)/g, '')
    .replace(/[?:*.]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Columns a row may leave out at its end without being cut off. */
const OPTIONAL_FIELDS = new Set<Field | undefined>(['status', 'provider', 'progress', undefined]);

const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
};

function numberFrom(word: string): number | undefined {
  const w = word.toLowerCase();
  if (/^\d+$/.test(w)) return Number(w);
  return NUMBER_WORDS[w];
}

interface Heading {
  level: number;
  text: string;
  line: number;
}

interface Table {
  line: number;
  columns: Array<Field | undefined>;
  names: string[];
  kind: ItemKind;
  rows: number;
  /** Objective of the section the table sits in (activity tables under "OBJECTIVE ONE: …"). */
  objective?: number;
}

interface RawItem {
  item: Omit<PlanItem, 'key'>;
  refs: RecommendationRef[];
  objectiveLabels: Array<{ number: number; label: string }>;
}

/** Markdown emphasis and heading marks off a line: "## **Prevent Delivery Plan**" → "Prevent Delivery Plan". */
function plainHeading(text: string): string {
  return cellText(text.replace(/[*_]{1,3}/g, '')).trim();
}

function splitSentences(text: string): string[] {
  return text
    .split(/ {2,}|(?<=[.!?])\s+(?=[A-Z])/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function outcomesOf(cell: string): string[] {
  const paras = paragraphs(cell);
  const pieces = paras ?? [cellText(cell, true)];
  return pieces.flatMap(splitSentences);
}

function outputsOf(cell: string): string[] {
  const items = listItems(cell);
  if (items) return items.map(cleanOutputText).filter((t) => t.length > 0);
  const plain = cellText(cell, true);
  if (plain === '') return [];
  return plain
    .split(/ {2,}|\s*\u2022\s*/)
    .map(cleanOutputText)
    .filter((t) => t.length > 0);
}

function deriveTitle(outcomes: string[], fallback: string): string {
  const source = outcomes[0] ?? fallback;
  const sentence = source.replace(/\.$/, '');
  if (sentence.length <= 80) return sentence;
  const cut = sentence.slice(0, 80);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 40 ? cut.lastIndexOf(' ') : 80).trim()}…`;
}

const REDACTED_ONLY = /^(\s*\[REDACTED\]\s*)+$/i;

/** "2018 - 19", "2018/19", "2018-2019" → financial year; "2020 - 23" → three financial years; "2019" → calendar year. */
export function parsePeriod(text: string): { periodStart: string; periodEnd: string } | undefined {
  const fy = /\b((?:19|20)\d{2})\s*[-\u2013/]\s*(\d{2}|(?:19|20)\d{2})\b/.exec(text);
  if (fy) {
    const start = Number(fy[1]);
    const endRaw = fy[2]!;
    let end = endRaw.length === 2 ? Math.floor(start / 100) * 100 + Number(endRaw) : Number(endRaw);
    if (end < start) end += 100; // "1999 - 00"
    // One financial year ("2018 - 19") or a multi-year strategy ("2020 - 23"); anything longer is not a period.
    if (end === start || end - start > 10) return undefined;
    return { periodStart: `${start}-04-01`, periodEnd: `${end}-03-31` };
  }
  const year = /\b((?:19|20)\d{2})\b/.exec(text);
  if (year) return { periodStart: `${year[1]}-01-01`, periodEnd: `${year[1]}-12-31` };
  return undefined;
}

/**
 * The fields of a header row, or undefined when the row is not one: at least three columns known
 * by meaning, among them a timescale and what the item is (outcomes, outputs, or a title with a
 * lead), and at least half the named columns known. Two columns of one meaning: the first is read.
 */
function headerColumns(cells: string[]): { columns: Array<Field | undefined>; unread: string[] } | undefined {
  // Header names are short; a row with a long cell is data (and most are), so skip the matching.
  if (cells.some((c) => c.length > 80)) return undefined;
  const seen = new Set<Field>();
  const unread: string[] = [];
  const columns = cells.map((c) => {
    const name = foldHeader(cellText(c));
    if (name === '') return undefined;
    const field = HEADER_FIELDS.find(([re]) => re.test(name))?.[1];
    if (!field) unread.push(cellText(c));
    if (!field || seen.has(field)) return undefined;
    seen.add(field);
    return field;
  });
  const named = cells.filter((c) => cellText(c) !== '').length;
  const core = seen.has('timescale') && (seen.has('outcomes') || seen.has('outputs') || (seen.has('title') && seen.has('leads')));
  if (seen.size < 3 || !core || seen.size * 2 < named) return undefined;
  // "Progress" is the status when no column says RAG; otherwise it is commentary, not read.
  const progress = columns.indexOf('progress');
  if (progress >= 0) {
    if (seen.has('status')) {
      columns[progress] = undefined;
      unread.push(cellText(cells[progress]!));
    } else columns[progress] = 'status';
  }
  return { columns, unread };
}

/** Words that introduce an objective section or an objective cell: "PRIORITY TWO:", "Theme 3 –". */
const OBJECTIVE_WORD = '(?:strategic\\s+|local\\s+)?(?:objective|priority|theme|outcome|aim|goal)';
const NUMBER_TOKEN = '(\\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|first|second|third|fourth|fifth|sixth)';
/** A section line: the word, a number, then a separator or the end ("Priority 2: Reduce violence"). */
const OBJECTIVE_SECTION = new RegExp(`^${OBJECTIVE_WORD}\\s+${NUMBER_TOKEN}\\b\\s*(?:([:.\\u2013\\u2014-])\\s*(.*)|$)`, 'i');
/** An objective section whose number is not a number ("OBJECTIVE MANY: …"): refused, as before. */
const OBJECTIVE_SECTION_BAD = /^(?:OBJECTIVE|PRIORITY|THEME|OUTCOME)\s+([A-Z]+)\s*:\s*\S/;
/** "Objective 2 Strengthen community leadership" in an objectives cell, up to the next label. */
const OBJECTIVE_LABEL = new RegExp(
  `${OBJECTIVE_WORD}\\s+([a-z0-9]+)\\b\\s*[:.\\u2013-]?\\s*(.*?)(?=\\s*\\b${OBJECTIVE_WORD}\\s+(?:\\d+|one|two|three|four|five|six|seven|eight|nine|ten)\\b|$)`,
  'gi',
);
/** A heading that starts the list of objectives ("Local Strategic Prevent Objectives", "Our Priorities"). */
const OBJECTIVES_LIST_HEADING = /\b(objectives|priorities|themes|aims)\b|\bobjective\b|\bpriority\b/i;

export interface ParseOptions {
  /** Maps a line of `text` to the line (or paragraph) of the original file, for messages (Word documents). */
  lineOf?: (line: number) => number;
}

export function parsePlanDocument(text: string, file?: string, options: ParseOptions = {}): ParsedPlan {
  const at = options.lineOf ?? ((n: number) => n);
  if (text.includes('\u0000')) throw new PlanFormatError(1, 'this is a binary file, not a plan document', file);
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const warnings: ImportWarning[] = [];
  const warn = (line: number, message: string) => warnings.push({ line, message });
  const fail = (line: number, message: string): never => {
    throw new PlanFormatError(at(line), message, file);
  };

  const headings: Heading[] = [];
  const objectives: Objective[] = [];
  /** Objective sections met in the activities ("PRIORITY ONE: …"), for plans with no list of objectives. */
  const sections: Array<{ number: number; title: string; line: number }> = [];
  const recommendations: Array<Recommendation & { line: number }> = [];
  const raws: RawItem[] = [];
  let list: 'objectives' | 'recommendations' | undefined;
  let recommendationSource: string | undefined;
  let sectionObjective: { number: number; title: string; line: number; level: number } | undefined;
  let table: Table | undefined;

  const closeTable = (atLine: number) => {
    if (table && table.rows === 0)
      fail(table.line, `table header has no rows under it (truncated table? next content at line ${at(atLine)})`);
    table = undefined;
  };

  const headerOf = (cells: string[], lineNo: number): Array<Field | undefined> | undefined => {
    const header = headers.get(lineNo);
    if (header?.unread.length)
      warn(lineNo, `column${header.unread.length > 1 ? 's' : ''} ${header.unread.map((u) => `"${u}"`).join(', ')} not read`);
    return header?.columns;
  };

  // Header rows found first, so the item limit is checked before any row is read.
  const headers = new Map<number, NonNullable<ReturnType<typeof headerColumns>>>();
  let rowCount = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.includes('\t')) continue;
    const cells = lines[i]!.split('\t');
    const header = headerColumns(cells);
    if (header) headers.set(i + 1, header);
    else if (cells.some((c) => c.trim() !== '')) checkItemCount(++rowCount, () => at(i + 1), file ?? 'plan');
  }

  const objectiveSection = (line: string): { number: number; title: string; separated: boolean } | undefined => {
    const m = OBJECTIVE_SECTION.exec(line);
    if (!m) return undefined;
    const n = numberFrom(m[1]!);
    return n === undefined ? undefined : { number: n, title: cellText(m[3] ?? ''), separated: m[2] !== undefined };
  };

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i]!;
    const trimmed = line.trim();
    if (trimmed === '' || /^-{3,}$/.test(trimmed) || trimmed === '\u00a0') continue;

    const heading = /^(#{1,6})\s+(.*)$/.exec(trimmed);
    if (heading) {
      closeTable(lineNo);
      const h: Heading = { level: heading[1]!.length, text: plainHeading(heading[2]!), line: lineNo };
      headings.push(h);
      list = undefined;
      const section = objectiveSection(h.text);
      if (section) {
        sectionObjective = { number: section.number, title: section.title, line: lineNo, level: h.level };
        sections.push({ number: section.number, title: section.title, line: lineNo });
        continue;
      }
      if (sectionObjective && h.level <= sectionObjective.level) sectionObjective = undefined;
      if (/recommendation/i.test(h.text)) {
        list = 'recommendations';
        // The body that made them: the heading itself ("Scrutiny Review Recommendations"), else its parent ("Peer Review 2018").
        const own = h.text
          .replace(/\b(key|main|our|the|of|and|recommendations?)\b/gi, ' ')
          .replace(/[():\u2013-]+/g, ' ')
          .replace(/\s+/g, ' ')
          .trim();
        const parent = [...headings].reverse().find((p) => p.level < h.level);
        recommendationSource = own !== '' ? own : parent?.text;
      } else if (OBJECTIVES_LIST_HEADING.test(h.text) && !/\bactivit|\bprojects?\b|\bactions?\b/i.test(h.text)) {
        list = 'objectives';
      }
      continue;
    }

    if (!line.includes('\t')) {
      // "**OBJECTIVE ONE: …**", "PRIORITY TWO: …", "Theme 3 – …" on a line of its own.
      const plain = plainHeading(trimmed);
      const bold = /^\*\*.*\*\*$/.test(trimmed) || /^<(b|strong)>.*<\/\1>$/i.test(trimmed);
      const section = objectiveSection(plain);
      if (section && (bold || section.separated) && plain.length <= 400 && !/^\d+[.)]\s/.test(trimmed)) {
        closeTable(lineNo);
        sectionObjective = { number: section.number, title: section.title, line: lineNo, level: 99 };
        sections.push({ number: section.number, title: section.title, line: lineNo });
        list = undefined;
        continue;
      }
      if (bold && OBJECTIVE_SECTION_BAD.test(plain)) fail(lineNo, `cannot read the objective number in "${plain}"`);
    }

    if (line.includes('\t')) {
      const cells = line.split('\t');
      const header = headerOf(cells, lineNo);
      if (header) {
        closeTable(lineNo);
        const lastHeading = headings[headings.length - 1];
        const isProject =
          header.includes('provider') || /project/i.test(lastHeading?.text ?? '') || /project/i.test(foldText(cellText(cells[0] ?? '')));
        table = { line: lineNo, columns: header, names: cells.map((c) => cellText(c)), kind: isProject ? 'project' : 'action', rows: 0 };
        if (sectionObjective) table.objective = sectionObjective.number;
        list = undefined;
        continue;
      }
      if (!table)
        fail(
          lineNo,
          'table row with no header row above it (expected a header such as "Action<TAB>Outcomes<TAB>Outputs<TAB>Timescale<TAB>Lead<TAB>RAG status")',
        );
      if (cells.every((c) => cellText(c) === '')) continue; // an empty row (Word tables often end with one)
      table!.rows++;
      raws.push(readRow(table!, cells, lineNo));
      continue;
    }

    const numbered =
      /^(\d+)[.)]\s+(.*)$/.exec(trimmed) ??
      (list === 'recommendations' ? /^rec(?:ommendation)?\.?\s*(\d+)\s*[:.\u2013-]\s*(.*)$/i.exec(trimmed) : null);
    if (numbered && list) {
      const number = Number(numbered[1]);
      const itemText = cellText(numbered[2]!.replace(/[*_]{1,3}/g, ''));
      if (list === 'objectives') {
        if (objectives.some((o) => o.number === number)) warn(lineNo, `objective ${number} is listed twice: the first is kept`);
        else objectives.push({ number, title: itemText });
      } else {
        const twin = recommendations.find((r) => r.number === number);
        if (twin) warn(lineNo, `recommendation ${number} is listed twice (line ${at(twin.line)}): references to it cannot tell them apart`);
        recommendations.push({ number, text: itemText, line: lineNo, ...(recommendationSource ? { source: recommendationSource } : {}) });
      }
      continue;
    }
    // Any other paragraph ends a table (a table may continue only across blank lines), unless it
    // is the remains of a row cut off before its first tab.
    if (table) {
      // A closing note after the table is fine; the last line straight under a row, with no tab, is not.
      const lastLine = lines.slice(i + 1).every((l) => l.trim() === '') && (lines[i - 1] ?? '').includes('\t');
      if (unclosedElement(line) || lastLine) {
        fail(
          lineNo,
          `a table row with no cells: the ${lastLine ? 'file ends' : 'row is cut off'} here (truncated table? the header is at line ${at(table.line)})`,
        );
      }
      closeTable(lineNo);
    }
  }
  closeTable(lines.length);

  function readRow(t: Table, cells: string[], lineNo: number): RawItem {
    const required = t.columns.reduce((max, field, index) => (OPTIONAL_FIELDS.has(field) ? max : index + 1), 0);
    if (cells.length < required) {
      fail(lineNo, `table row has ${cells.length} of ${t.columns.length} columns (truncated table? the header is at line ${at(t.line)})`);
    }
    const get = (field: Field): string => {
      const index = t.columns.indexOf(field);
      return index >= 0 ? (cells[index] ?? '') : '';
    };
    cells.forEach((cell, index) => {
      const open = unclosedElement(cell);
      if (open) fail(lineNo, `the "${t.names[index] || `column ${index + 1}`}" cell opens <${open}> and never closes it (truncated row?)`);
      if (index >= t.columns.length || (t.columns[index] === undefined && !t.names[index])) {
        if (cellText(cell) !== '') warn(lineNo, `text in an unnamed column ${index + 1} was ignored: "${cellText(cell).slice(0, 40)}"`);
      }
    });

    const objectiveLabels: Array<{ number: number; label: string }> = [];
    const objectiveCell = cellText(get('objectives'));
    if (/^\d+(\s*[,&/]\s*\d+)*$/.test(objectiveCell)) {
      for (const n of objectiveCell.split(/\s*[,&/]\s*/)) objectiveLabels.push({ number: Number(n), label: '' });
    } else {
      for (const m of objectiveCell.matchAll(OBJECTIVE_LABEL)) {
        const n = numberFrom(m[1]!);
        if (n === undefined) warn(lineNo, `cannot read an objective number in "${m[0]}"`);
        else objectiveLabels.push({ number: n, label: m[2]!.trim() });
      }
    }
    let objectiveNumbers = objectiveLabels.map((o) => o.number);
    if (objectiveNumbers.length === 0 && t.objective !== undefined) objectiveNumbers = [t.objective];
    if (objectiveNumbers.length === 0)
      warn(
        lineNo,
        objectiveCell
          ? `no objective number in "${objectiveCell.slice(0, 60)}" (expected "Objective 2", "Priority 2" or "2")`
          : 'no objective for this item (no objective column and no "OBJECTIVE …" or "PRIORITY …" line above the table)',
      );

    const titleCell = get('title');
    const titleParas = paragraphs(titleCell);
    const titleText = titleParas ? titleParas.join(' ') : cellText(titleCell);
    const { text: strippedTitle, refs } = extractRecommendationRefs(titleText);
    const outcomes = outcomesOf(get('outcomes'));
    const outputs = outputsOf(get('outputs')).map(parseOutput);
    const timescaleRaw = cellText(get('timescale'));
    const leads = splitLeads(cellLines(get('leads')).join('\n'));
    const provider = cellText(get('provider'));
    const statusText = cellText(get('status'));
    let status: Rag = 'not-reported';
    if (statusText !== '') {
      const parsed = statusOf(statusText);
      if (parsed) status = parsed;
      else
        warn(
          lineNo,
          `RAG status "${statusText.slice(0, 60)}" is not Red, Amber, Green, Blue, Complete or Not started: left as not reported`,
        );
    }

    let title = strippedTitle;
    let titleDerived: boolean | undefined;
    let description: string | undefined;
    const noun = t.kind === 'project' ? 'project' : 'action';
    if (title === '') {
      title = deriveTitle(outcomes, `${noun} at line ${at(lineNo)}`);
      titleDerived = true;
      warn(lineNo, `row has no ${noun} title; using "${title}", taken from its outcomes`);
    } else if (REDACTED_ONLY.test(title)) {
      description = title;
      title = deriveTitle(outcomes, `${noun} at line ${at(lineNo)}`);
      titleDerived = true;
      warn(lineNo, `${noun} title is redacted; using "${title}", taken from its outcomes`);
    }

    const item: Omit<PlanItem, 'key'> = {
      kind: t.kind,
      objectives: [...new Set(objectiveNumbers)],
      title,
      outcomes,
      outputs,
      timescale: timescaleRaw,
      milestones: [],
      leads,
      recommendations: [],
      status,
      line: lineNo,
    };
    if (titleDerived) item.titleDerived = true;
    if (description) item.description = description;
    if (provider !== '') item.provider = provider;
    return { item, refs, objectiveLabels };
  }

  // ---- The plan as a whole ----
  const organisation = headings[0]?.text;
  const titleHeading = headings.find((h) => /\b(plan|strategy)\b/i.test(h.text));
  if (!organisation || !titleHeading) {
    if (raws.length === 0 && objectives.length === 0) {
      fail(
        1,
        'this is not a delivery plan: no plan title heading (such as "## Prevent Delivery Plan"), no objectives list and no action tables',
      );
    }
    fail(headings[0]?.line ?? 1, 'no heading names the plan (expected a heading with "Plan" in it, such as "## Prevent Delivery Plan")');
  }
  if (raws.length === 0) fail(lines.length, 'the plan has no action or project tables');
  const periodHeading = headings.find(
    (h) => parsePeriod(h.text) !== undefined && h.line >= titleHeading!.line && h.line <= titleHeading!.line + 4,
  );
  let period = periodHeading ? parsePeriod(periodHeading.text) : parsePeriod(titleHeading!.text);
  if (!period && organisation !== titleHeading!.text) period = parsePeriod(organisation!);
  // Timescales are read in the plan's financial year ("Quarter 3", "End of Q2", "June").
  const context: TimescaleContext = {};
  if (period) {
    const [y, m] = period.periodStart.split('-').map(Number) as [number, number];
    context.financialYear = m >= 4 ? y : y - 1;
  }
  const timescales = raws.map((r) => parseTimescale(r.item.timescale, context));
  if (!period) {
    const dates = timescales.flatMap((t) => [...t.milestones, ...(t.start ? [t.start] : [])]).sort();
    if (dates.length === 0) fail(titleHeading!.line, 'no plan period (expected a heading such as "### 2018 - 19" under the title)');
    period = { periodStart: dates[0]!, periodEnd: dates[dates.length - 1]! };
    warn(titleHeading!.line, `no plan period heading; using ${period.periodStart} to ${period.periodEnd} from the milestones`);
  }
  raws.forEach((raw, n) => {
    const timescale = timescales[n]!;
    const { item } = raw;
    const lineNo = item.line ?? 0;
    item.milestones = timescale.milestones;
    if (timescale.start) item.start = timescale.start;
    if (timescale.recurring) item.recurring = true;
    if (timescale.cadence) item.cadence = timescale.cadence;
    for (const bad of timescale.invalid ?? [])
      warn(lineNo, `"${bad}" in timescale "${item.timescale}" is not a real date: the item has no milestone for it`);
    for (const open of timescale.unresolved ?? [])
      warn(lineNo, `"${open}" in timescale "${item.timescale}" names no year and the plan has no period to read it in`);
    if (timescale.unknown)
      warn(
        lineNo,
        item.timescale === ''
          ? 'no timescale: the item has no milestone'
          : `timescale "${item.timescale}" is not a date: the item has no milestone`,
      );
  });
  const organisationName = organisation === titleHeading!.text ? '' : organisation!;
  const info: PlanInfo = {
    title: titleHeading!.text.replace(/\s*\b(?:19|20)\d{2}\s*[-\u2013/]\s*\d{2,4}\s*$/, '').trim(),
    organisation: organisationName,
    ...period,
  };

  // Recommendation sources: minus words they share with the organisation
  // ("Tower Hamlets Peer Review 2018" → "Peer Review 2018").
  const orgWords = new Set(foldText(organisationName).split(' '));
  for (const rec of recommendations) {
    if (!rec.source) continue;
    const words = rec.source.split(/\s+/);
    while (words.length > 1 && orgWords.has(foldText(words[0]!))) words.shift();
    rec.source = words.join(' ');
  }
  const recNumbers = new Set(recommendations.map((r) => r.number));

  // With no list of objectives, the sections are the list ("PRIORITY ONE: Reduce violence").
  if (objectives.length === 0) {
    for (const s of sections) if (!objectives.some((o) => o.number === s.number)) objectives.push({ number: s.number, title: s.title });
    objectives.sort((a, b) => a.number - b.number);
  } else {
    // Objective sections in the activities must agree with the list.
    const byNumber = new Map(objectives.map((o) => [o.number, o]));
    for (const s of sections) {
      const listed = byNumber.get(s.number);
      if (!listed) warn(s.line, `objective ${s.number} is not in the objectives list`);
      else if (s.title && !sameObjective(listed.title, s.title))
        warn(
          s.line,
          `heading "Objective ${s.number}: ${s.title.slice(0, 60)}" does not match objective ${s.number} in the objectives list ("${listed.title.slice(0, 60)}")`,
        );
    }
  }
  const objectiveByNumber = new Map(objectives.map((o) => [o.number, o]));

  function sameObjective(listed: string, label: string): boolean {
    const a = foldText(listed).replace(/[^a-z0-9 ]/g, '');
    const b = foldText(label).replace(/[^a-z0-9 ]/g, '');
    return b === '' || a.includes(b) || b.includes(a);
  }

  // Lead roles: one spelling per role across the plan.
  const canonical = canonicalRoles(raws.flatMap((r) => r.item.leads));
  const seenKeys = new Map<string, number>();
  const items: PlanItem[] = raws.map(({ item, refs, objectiveLabels }) => {
    const line = item.line ?? 0;
    for (const { number, label } of objectiveLabels) {
      const listed = objectiveByNumber.get(number);
      if (objectives.length > 0 && !listed) {
        warn(line, `objective ${number} is not in the objectives list`);
        continue;
      }
      if (listed && label && !sameObjective(listed.title, label)) {
        const other = objectives.find((o) => o.number !== number && sameObjective(o.title, label));
        warn(
          line,
          other
            ? `the label "Objective ${number} ${label}" contradicts the objectives list: "${label}" is objective ${other.number}; kept objective ${number}`
            : `the label "Objective ${number} ${label}" does not match objective ${number} in the objectives list`,
        );
      }
    }
    const numbers: number[] = [];
    for (const ref of refs) {
      const known = recommendations.length === 0 || recommendations.some((r) => !r.source || sourceMatches(r.source, ref.source));
      if (!known) warn(line, `"${ref.source} Rec" does not match the recommendations' source ("${recommendations[0]?.source ?? ''}")`);
      for (const n of ref.numbers) {
        if (recommendations.length > 0 && !recNumbers.has(n)) warn(line, `recommendation ${n} is not in the recommendations list`);
        if (!numbers.includes(n)) numbers.push(n);
      }
    }
    const leads = [...new Set(item.leads.map(canonical))];
    let key = itemKeyOf(item.kind, item.objectives, item.title, item.outcomes);
    const count = (seenKeys.get(key) ?? 0) + 1;
    seenKeys.set(key, count);
    if (count > 1) key = `${key}-${count}`;
    return { key, ...item, leads, recommendations: numbers.sort((a, b) => a - b) };
  });

  // Lines of the original file (a Word document's paragraphs) for messages and items.
  for (const item of items) if (item.line !== undefined) item.line = at(item.line);
  const plan = { plan: info, objectives, recommendations: recommendations.map(({ line: _line, ...rest }) => rest), items };
  const all = warnings.map((w) => ({ line: at(w.line), message: w.message }));
  // Dates far outside the period, ranges ending before they start, repeated rows (objectives are checked above).
  all.push(...planWarnings(plan, { objectives: false }));
  return { ...plan, warnings: all.sort((a, b) => a.line - b.line) };
}

/** "Scrutiny" matches "Scrutiny Review 2023"; "Peer Review" matches "Peer Review 2018". */
function sourceMatches(listed: string, ref: string): boolean {
  const a = foldText(listed);
  const b = foldText(ref);
  return a.includes(b) || b.includes(a.replace(/\s*\d{4}$/, ''));
}

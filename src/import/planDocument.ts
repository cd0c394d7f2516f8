/**
 * Reads a delivery plan written in the shared template (markdown headings, numbered lists for
 * objectives and recommendations, tab-separated tables whose cells carry a little HTML) into the
 * domain model. Works line by line so that every warning and error names its line.
 *
 * Quirks handled (all seen in real plans): tables that continue after blank lines, rows with no
 * title, HTML paragraphs in title cells, recommendation references inside titles, objective labels
 * that contradict the objectives list, two objectives in one cell, trailing empty columns.
 */
import { PlanFormatError } from '../errors';
import { foldText, itemKeyOf } from '../domain/identity';
import { canonicalRoles, splitLeads } from '../domain/leads';
import type { ImportWarning, ItemKind, Objective, ParsedPlan, PlanInfo, PlanItem, Rag, Recommendation } from '../domain/model';
import { parseRag } from '../domain/model';
import { cleanOutputText, parseOutput } from '../domain/outputs';
import { extractRecommendationRefs, type RecommendationRef } from '../domain/recommendationRefs';
import { parseTimescale } from '../domain/timescale';
import { cellText, listItems, paragraphs, unclosedElement } from './htmlCell';

type Field = 'title' | 'objectives' | 'outcomes' | 'outputs' | 'timescale' | 'leads' | 'provider' | 'status';

const HEADER_FIELDS: Array<[RegExp, Field]> = [
  [/^(actions?|activity|activities|title|project|projects|description|task)$/, 'title'],
  [/objective/, 'objectives'],
  [/^outcomes?$/, 'outcomes'],
  [/^outputs?$/, 'outputs'],
  [/^(timescales?|timeline|timeframe|deadline|due( date)?|when|milestones?)$/, 'timescale'],
  [/^(leads?|lead officers?|lead roles?|owners?|responsible)$/, 'leads'],
  [/provider/, 'provider'],
  [/^(rag|rag status|status)$/, 'status'],
];

/** Columns a row may leave out at its end without being cut off. */
const OPTIONAL_FIELDS = new Set<Field | undefined>(['status', 'provider', undefined]);

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

export function parsePlanDocument(text: string, file?: string): ParsedPlan {
  if (text.includes('\u0000')) throw new PlanFormatError(1, 'this is a binary file, not a plan document', file);
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const warnings: ImportWarning[] = [];
  const warn = (line: number, message: string) => warnings.push({ line, message });
  const fail = (line: number, message: string): never => {
    throw new PlanFormatError(line, message, file);
  };

  const headings: Heading[] = [];
  const objectives: Objective[] = [];
  const recommendations: Array<Recommendation & { line: number }> = [];
  const raws: RawItem[] = [];
  let list: 'objectives' | 'recommendations' | undefined;
  let recommendationSource: string | undefined;
  let sectionObjective: { number: number; title: string; line: number } | undefined;
  let table: Table | undefined;

  const closeTable = (atLine: number) => {
    if (table && table.rows === 0) fail(table.line, `table header has no rows under it (truncated table? next content at line ${atLine})`);
    table = undefined;
  };

  const headerOf = (cells: string[]): Array<Field | undefined> | undefined => {
    const columns = cells.map((c) => {
      const name = foldText(cellText(c));
      if (name === '') return undefined;
      return HEADER_FIELDS.find(([re]) => re.test(name))?.[1];
    });
    const known = new Set(columns.filter((c): c is Field => c !== undefined));
    const named = cells.filter((c) => cellText(c) !== '').length;
    if (known.size >= 3 && known.size === named && known.has('timescale') && (known.has('outcomes') || known.has('outputs')))
      return columns;
    return undefined;
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
      sectionObjective = undefined;
      if (/recommendation/i.test(h.text)) {
        list = 'recommendations';
        const parent = [...headings].reverse().find((p) => p.level < h.level);
        recommendationSource = parent?.text;
      } else if (/objective/i.test(h.text)) {
        list = 'objectives';
      }
      continue;
    }

    const objectiveLine = /^\*\*\s*objective\s+([a-z0-9]+)\b\s*[:.\u2013-]?\s*(.*?)\s*\*\*\s*$/i.exec(trimmed);
    if (objectiveLine && !line.includes('\t')) {
      closeTable(lineNo);
      const n = numberFrom(objectiveLine[1]!);
      if (n === undefined) fail(lineNo, `cannot read the objective number in "${plainHeading(trimmed)}"`);
      sectionObjective = { number: n!, title: cellText(objectiveLine[2]!), line: lineNo };
      list = undefined;
      continue;
    }

    if (line.includes('\t')) {
      const cells = line.split('\t');
      const header = headerOf(cells);
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
      table!.rows++;
      raws.push(readRow(table!, cells, lineNo));
      continue;
    }

    const numbered = /^(\d+)[.)]\s+(.*)$/.exec(trimmed);
    if (numbered && list) {
      const number = Number(numbered[1]);
      const itemText = cellText(numbered[2]!.replace(/[*_]{1,3}/g, ''));
      if (list === 'objectives') objectives.push({ number, title: itemText });
      else
        recommendations.push({ number, text: itemText, line: lineNo, ...(recommendationSource ? { source: recommendationSource } : {}) });
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
          `a table row with no cells: the ${lastLine ? 'file ends' : 'row is cut off'} here (truncated table? the header is at line ${table.line})`,
        );
      }
      closeTable(lineNo);
    }
  }
  closeTable(lines.length);

  function readRow(t: Table, cells: string[], lineNo: number): RawItem {
    const required = t.columns.reduce((max, field, index) => (OPTIONAL_FIELDS.has(field) ? max : index + 1), 0);
    if (cells.length < required) {
      fail(lineNo, `table row has ${cells.length} of ${t.columns.length} columns (truncated table? the header is at line ${t.line})`);
    }
    const get = (field: Field): string => {
      const index = t.columns.indexOf(field);
      return index >= 0 ? (cells[index] ?? '') : '';
    };
    cells.forEach((cell, index) => {
      const open = unclosedElement(cell);
      if (open) fail(lineNo, `the "${t.names[index] || `column ${index + 1}`}" cell opens <${open}> and never closes it (truncated row?)`);
      if (index >= t.columns.length || t.columns[index] === undefined) {
        if (cellText(cell) !== '') warn(lineNo, `text in an unnamed column ${index + 1} was ignored: "${cellText(cell).slice(0, 40)}"`);
      }
    });

    const objectiveLabels: Array<{ number: number; label: string }> = [];
    const objectiveCell = cellText(get('objectives'));
    for (const m of objectiveCell.matchAll(
      /objective\s+([a-z0-9]+)\b\s*:?\s*(.*?)(?=\s*\bobjective\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b|$)/gi,
    )) {
      const n = numberFrom(m[1]!);
      if (n === undefined) warn(lineNo, `cannot read an objective number in "${m[0]}"`);
      else objectiveLabels.push({ number: n, label: m[2]!.trim() });
    }
    let objectiveNumbers = objectiveLabels.map((o) => o.number);
    if (objectiveNumbers.length === 0 && t.objective !== undefined) objectiveNumbers = [t.objective];
    if (objectiveNumbers.length === 0)
      warn(lineNo, 'no objective for this item (no objective column and no "OBJECTIVE …" line above the table)');

    const titleCell = get('title');
    const titleParas = paragraphs(titleCell);
    const titleText = titleParas ? titleParas.join(' ') : cellText(titleCell);
    const { text: strippedTitle, refs } = extractRecommendationRefs(titleText);
    const outcomes = outcomesOf(get('outcomes'));
    const outputs = outputsOf(get('outputs')).map(parseOutput);
    const timescaleRaw = cellText(get('timescale'));
    const timescale = parseTimescale(timescaleRaw);
    if (timescale.unknown) {
      warn(
        lineNo,
        timescaleRaw === ''
          ? 'no timescale: the item has no milestone'
          : `timescale "${timescaleRaw}" is not a date: the item has no milestone`,
      );
    }
    const leads = splitLeads(cellText(get('leads')));
    const provider = cellText(get('provider'));
    const statusText = cellText(get('status'));
    let status: Rag = 'not-reported';
    if (statusText !== '') {
      const parsed = parseRag(statusText);
      if (parsed) status = parsed;
      else warn(lineNo, `RAG status "${statusText}" is not Red, Amber, Green or Complete: left as not reported`);
    }

    let title = strippedTitle;
    let titleDerived: boolean | undefined;
    let description: string | undefined;
    const noun = t.kind === 'project' ? 'project' : 'action';
    if (title === '') {
      title = deriveTitle(outcomes, `${noun} at line ${lineNo}`);
      titleDerived = true;
      warn(lineNo, `row has no ${noun} title; using "${title}", taken from its outcomes`);
    } else if (REDACTED_ONLY.test(title)) {
      description = title;
      title = deriveTitle(outcomes, `${noun} at line ${lineNo}`);
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
      milestones: timescale.milestones,
      leads,
      recommendations: [],
      status,
      line: lineNo,
    };
    if (titleDerived) item.titleDerived = true;
    if (description) item.description = description;
    if (timescale.start) item.start = timescale.start;
    if (timescale.recurring) item.recurring = true;
    if (provider !== '') item.provider = provider;
    return { item, refs, objectiveLabels };
  }

  // ---- The plan as a whole ----
  const organisation = headings[0]?.text;
  const titleHeading = headings.find((h) => /\bplan\b/i.test(h.text));
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
  if (!period) {
    const dates = raws.flatMap((r) => [...r.item.milestones, ...(r.item.start ? [r.item.start] : [])]).sort();
    if (dates.length === 0) fail(titleHeading!.line, 'no plan period (expected a heading such as "### 2018 - 19" under the title)');
    period = { periodStart: dates[0]!, periodEnd: dates[dates.length - 1]! };
    warn(titleHeading!.line, `no plan period heading; using ${period.periodStart} to ${period.periodEnd} from the milestones`);
  }
  const organisationName = organisation === titleHeading!.text ? '' : organisation!;
  const info: PlanInfo = {
    title: titleHeading!.text.replace(/\s*\b(?:19|20)\d{2}\s*[-\u2013/]\s*\d{2,4}\s*$/, '').trim(),
    organisation: organisationName,
    ...period,
  };

  // Recommendation sources: the parent heading minus words it shares with the organisation
  // ("Tower Hamlets Peer Review 2018" → "Peer Review 2018").
  const orgWords = new Set(foldText(organisationName).split(' '));
  for (const rec of recommendations) {
    if (!rec.source) continue;
    const words = rec.source.split(/\s+/);
    while (words.length > 1 && orgWords.has(foldText(words[0]!))) words.shift();
    rec.source = words.join(' ');
  }
  const recNumbers = new Set(recommendations.map((r) => r.number));
  const objectiveByNumber = new Map(objectives.map((o) => [o.number, o]));

  // Objective headings in the activities section must agree with the objectives list.
  for (const h of lines.map((l, idx) => ({ l, idx })).filter(({ l }) => /^\*\*\s*objective\s+/i.test(l.trim()))) {
    const m = /^\*\*\s*objective\s+([a-z0-9]+)\b\s*[:.\u2013-]?\s*(.*?)\s*\*\*\s*$/i.exec(h.l.trim());
    const n = m ? numberFrom(m[1]!) : undefined;
    if (n === undefined) continue;
    const listed = objectiveByNumber.get(n);
    if (objectives.length > 0 && !listed) warn(h.idx + 1, `objective ${n} is not in the objectives list`);
    else if (listed && m![2] && !sameObjective(listed.title, cellText(m![2]))) {
      warn(
        h.idx + 1,
        `heading "Objective ${n}: ${cellText(m![2]).slice(0, 60)}" does not match objective ${n} in the objectives list ("${listed.title.slice(0, 60)}")`,
      );
    }
  }

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
      const known =
        recommendations.length === 0 || recommendations.some((r) => !r.source || foldText(r.source).includes(foldText(ref.source)));
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

  return {
    plan: info,
    objectives,
    recommendations: recommendations.map(({ line: _line, ...rest }) => rest),
    items,
    warnings: warnings.sort((a, b) => a.line - b.line),
  };
}

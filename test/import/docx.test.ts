/**
 * Word documents: the shared plan written as a .docx (built here with the `docx` package, as a
 * council would hold it) reads to exactly the plan its template text reads to, with the same
 * warnings; Word's own structures (headings, numbering, tables with paragraphs and bullets) are
 * what the importer reads.
 */
import fs from 'node:fs';
import type { ParsedPlan } from '../../src/domain/model';
import { docxToPlan } from '../../src/import/docx';
import { parsePlanDocument } from '../../src/import/planDocument';
import { readPlanData } from '../../src/import/readPlanFile';
import { SHARED_PLAN } from '../support/paths';
import { planToDocx } from './support/planToDocx';

function content(plan: ParsedPlan) {
  return {
    plan: plan.plan,
    objectives: plan.objectives,
    recommendations: plan.recommendations,
    items: plan.items.map(({ line: _line, ...item }) => item),
    warnings: plan.warnings.map((w) => w.message).sort(),
  };
}

describe('the shared plan as a Word document', () => {
  const markdown = fs.readFileSync(SHARED_PLAN, 'utf8');
  let docx: Buffer;
  beforeAll(async () => {
    docx = await planToDocx(markdown);
  });

  it('imports to exactly the same plan as the .md, with the same warnings', async () => {
    const fromMarkdown = parsePlanDocument(markdown, 'plan.md');
    const fromWord = await readPlanData(docx, 'plan.docx');
    expect(content(fromWord)).toEqual(content(fromMarkdown));
    expect(fromWord.items).toHaveLength(31);
  });

  it('names paragraphs of the Word document in warnings and on items', async () => {
    const plan = await docxToPlan(docx, 'plan.docx');
    const hefe = plan.items.find((i) => i.leads.includes('HE/FE co-ordinator'))!;
    expect(hefe.line).toBeGreaterThan(0);
    expect(plan.warnings).toContainEqual({ line: hefe.line, message: expect.stringContaining('no action title') });
    const lines = plan.items.map((i) => i.line!);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
  });

  it('refuses a Word document that is not a plan, naming the file', async () => {
    const letter = await planToDocx('Dear colleague,\n\nPlease find the minutes attached.\n');
    await expect(readPlanData(letter, 'letter.docx')).rejects.toThrow(/^letter\.docx:1: this is not a delivery plan/);
  });
});

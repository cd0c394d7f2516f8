import fs from 'node:fs';
import { parsePlanDocument } from '../../src/import/planDocument';
import { PlanFormatError } from '../../src/errors';
import type { ParsedPlan, PlanItem } from '../../src/domain/model';
import { SHARED_PLAN } from '../support/paths';

const text = fs.readFileSync(SHARED_PLAN, 'utf8');

function byTitle(plan: ParsedPlan, start: string): PlanItem {
  const found = plan.items.filter((i) => i.title.startsWith(start));
  if (found.length !== 1) throw new Error(`expected one item titled "${start}…", found ${found.length}`);
  return found[0]!;
}

describe('the shared Prevent delivery plan', () => {
  const plan = parsePlanDocument(text);

  it('reads the plan, its four objectives and six recommendations', () => {
    expect(plan.plan).toEqual({
      title: 'Prevent Delivery Plan',
      organisation: 'London Borough of Tower Hamlets',
      periodStart: '2018-04-01',
      periodEnd: '2019-03-31',
    });
    expect(plan.objectives.map((o) => o.number)).toEqual([1, 2, 3, 4]);
    expect(plan.objectives[1]!.title).toBe(
      'Increase our engagement with our community to strengthen community leadership, enabling key individuals and organisations to challenge extremist ideology',
    );
    expect(plan.recommendations.map((r) => r.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(plan.recommendations[5]).toEqual({ number: 6, text: 'Establish Community Reference Group', source: 'Peer Review 2018' });
  });

  it('finds 31 items: 7 projects and 24 actions across the four objectives, tables continuing after blank lines', () => {
    expect(plan.items).toHaveLength(31);
    expect(plan.items.filter((i) => i.kind === 'project')).toHaveLength(7);
    const actionsByObjective = [1, 2, 3, 4].map((n) => plan.items.filter((i) => i.kind === 'action' && i.objectives[0] === n).length);
    expect(actionsByObjective).toEqual([4, 5, 5, 10]);
    expect(new Set(plan.items.map((i) => i.key)).size).toBe(31);
  });

  it('reads ranges, double milestones and "Ongoing"', () => {
    const social = byTitle(plan, 'Commission classroom based Prevent training');
    expect(social).toMatchObject({
      timescale: 'July 2018 \u2013 March 2019',
      start: '2018-07-01',
      milestones: ['2019-03-31'],
      recommendations: [2],
    });
    expect(byTitle(plan, 'Host two Community Roundtable events').milestones).toEqual(['2018-09-30', '2019-03-31']);
    const network = byTitle(plan, 'Support the development of the East London Network');
    expect(network.recurring).toBe(true);
    expect(network.milestones).toEqual([]);
    expect(byTitle(plan, 'Develop and strengthen relations with key local statutory partners').milestones).toEqual(['2018-06-30']);
  });

  it('splits leads on " / " but keeps HE/FE and parenthesised slashes, with one spelling of Prevent Co-ordinator', () => {
    expect(byTitle(plan, "Review the strategy on unregistered 'schools'").leads).toEqual([
      'Prevent Education Officer',
      'Principal Attendance & Welfare Advisor',
      "Muslim Children's Safeguarding Co-ordinator",
    ]);
    expect(byTitle(plan, 'Deliver training to all front line Local Authority staff').leads).toEqual([
      'Inspector (Local Operations/MPS)',
      'Prevent Co-ordinator',
    ]);
    expect(byTitle(plan, 'Establish a Community Reference Group').leads).toEqual([
      'Prevent Co-ordinator',
      'Cohesion Engagement and Commissioning Manager',
    ]);
    const prevent = plan.items.filter((i) => i.leads.includes('Prevent Co-ordinator'));
    expect(prevent).toHaveLength(9);
    expect(plan.items.some((i) => i.leads.includes('Prevent Co-Ordinator'))).toBe(false);
  });

  it('gives the untitled HE/FE row a derived title and warns with its line', () => {
    const hefe = plan.items.find((i) => i.leads.includes('HE/FE co-ordinator'))!;
    expect(hefe.titleDerived).toBe(true);
    expect(hefe.title).toBe('Education establishments are supported and able to confidently undertake…');
    expect(hefe.milestones).toEqual(['2018-09-30']);
    expect(hefe.line).toBe(114);
    expect(plan.warnings).toContainEqual({ line: 114, message: expect.stringContaining('no action title') });
  });

  it('reads recommendation references in titles, including "Rec 1 & 4" inside HTML', () => {
    const pmf = byTitle(plan, 'Develop a Performance Management Framework for Prevent');
    expect(pmf.title).toBe('Develop a Performance Management Framework for Prevent');
    expect(pmf.recommendations).toEqual([1, 4]);
    expect(pmf.outcomes).toEqual([
      'Impact is measured and informs future planning and delivery of Prevent.',
      'Increased understanding of referral data to support target activity',
      'Outcomes and outputs are recognised and reduction of risk is evidenced.',
    ]);
    expect(byTitle(plan, 'Develop staff network of "Prevent Champions"').recommendations).toEqual([3]);
    expect(byTitle(plan, 'Develop a comprehensive Prevent Communication Strategy').recommendations).toEqual([5]);
    const withRecs = plan.items.filter((i) => i.recommendations.length > 0).length;
    expect(withRecs).toBe(8);
  });

  it('reads outputs with their targets', () => {
    const youth = byTitle(plan, 'Ensure all staff have received relevant training on Prevent');
    expect(youth.outputs).toEqual([
      { text: '4 x evening WRAP training sessions', target: 4, unit: 'sessions' },
      { text: '95% of Youth Services staff are WRAP trained', target: 95, unit: '%' },
      { text: 'Train the Trainer sessions for Youth Service staff' },
    ]);
    const specialist = plan.items.find((i) => i.kind === 'project' && i.outputs.some((o) => o.text === '500+ reached'))!;
    expect(specialist.outputs).toEqual([
      { text: '500+ reached', target: 500, unit: 'reached', atLeast: true },
      { text: '300 Workshops', target: 300, unit: 'workshops' },
    ]);
  });

  it('reads the projects table: objectives cells, empty list items, redacted titles and the contradicting label', () => {
    const projects = plan.items.filter((i) => i.kind === 'project');
    expect(projects.map((p) => p.objectives)).toEqual([[1], [1], [3], [2], [2, 3], [3], [3]]);
    expect(projects[2]!.outputs).toEqual([]);
    expect(projects[1]!.outputs).toEqual([{ text: '25 x 2 hour training sessions:', target: 25, unit: 'sessions' }]);
    expect(projects[4]!.description).toBe('[REDACTED] [REDACTED] [REDACTED] [REDACTED]');
    expect(projects[4]!.provider).toBe('[REDACTED] [REDACTED]');
    expect(projects.every((p) => p.titleDerived && p.leads.length === 0 && p.milestones[0] === '2019-03-31')).toBe(true);
    expect(plan.warnings).toContainEqual({
      line: 103,
      message: expect.stringContaining('"Strengthen community leadership" is objective 2'),
    });
  });

  it('decodes entities and all RAG statuses start unreported', () => {
    expect(byTitle(plan, 'Commission classroom based').outputs[0]!.text).toBe(
      'Classroom based training/workshops on Internet radicalisation & Prevent referrals',
    );
    expect(plan.items.every((i) => i.status === 'not-reported')).toBe(true);
  });

  it('warns exactly where the plan is irregular', () => {
    expect(plan.warnings.map((w) => w.line)).toEqual([97, 98, 99, 100, 102, 102, 103, 103, 103, 104, 104, 114]);
  });
});

// A plan in the same template from another council and year, with another recommendation source.
const OTHER = [
  '# **Borough of Exampleton**',
  '',
  '## **Prevent Delivery Plan**',
  '',
  '### **2020/21**',
  '',
  '## Local Strategic Prevent Objectives',
  '1. Protect people at risk',
  '2. Work with communities',
  '',
  '## Exampleton Ofsted Inspection 2019',
  '### Key Recommendations',
  '1. Train staff',
  '2. Share data',
  '',
  '**OBJECTIVE ONE: Protect people at risk**',
  '',
  'Action\tOutcomes\tOutputs\tTimescale\tLead\tRAG status',
  'Train all staff <i>(Inspection Rec 1)</i>\tStaff know the duty\t<ul><li>200 staff trained</li></ul>\tTBC\tSafeguarding Lead / HE/FE co-ordinator\tAmber',
  '',
  'Share referral data (Inspection Rec 2 &amp; 7)\tBetter targeting\t<ul><li>Quarterly report</li></ul>\t31 May 2020\tAnalyst\tGreen',
  '',
  '**OBJECTIVE TWO: Work with communities**',
  'Action\tOutcomes\tOutputs\tTimescale\tLead\tRAG status',
  'Community forum\tTrust is built\t<ul><li>6 forums</li></ul>\tJune 2020 \u2013 March 2021\tCommunity Lead\tPurple',
].join('\n');

describe('another plan in the same template', () => {
  const plan = parsePlanDocument(OTHER);

  it('reads a different council, period and recommendation source', () => {
    expect(plan.plan).toEqual({
      title: 'Prevent Delivery Plan',
      organisation: 'Borough of Exampleton',
      periodStart: '2020-04-01',
      periodEnd: '2021-03-31',
    });
    expect(plan.recommendations[0]!.source).toBe('Ofsted Inspection 2019');
    expect(plan.items.map((i) => i.recommendations)).toEqual([[1], [2, 7], []]);
    expect(plan.items.map((i) => i.status)).toEqual(['amber', 'green', 'not-reported']);
    expect(plan.items[0]!.leads).toEqual(['Safeguarding Lead', 'HE/FE co-ordinator']);
    expect(plan.items[1]!.milestones).toEqual(['2020-05-31']);
    expect(plan.items[2]).toMatchObject({ objectives: [2], start: '2020-06-01', milestones: ['2021-03-31'] });
  });

  it('warns on TBC, an unknown recommendation and an unknown RAG value', () => {
    expect(plan.warnings).toEqual([
      { line: 19, message: 'timescale "TBC" is not a date: the item has no milestone' },
      { line: 21, message: 'recommendation 7 is not in the recommendations list' },
      { line: 25, message: 'RAG status "Purple" is not Red, Amber, Green, Blue, Complete or Not started: left as not reported' },
    ]);
  });
});

describe('malformed plans', () => {
  function errorOf(doc: string): PlanFormatError {
    try {
      parsePlanDocument(doc, 'plan.md');
    } catch (err) {
      if (err instanceof PlanFormatError) return err;
      throw err;
    }
    throw new Error('expected a PlanFormatError');
  }

  it('says a document that is not a plan is not a plan', () => {
    const err = errorOf('Dear colleague,\n\nPlease find attached the minutes.\n');
    expect(err.line).toBe(1);
    expect(err.message).toMatch(/^plan\.md:1: this is not a delivery plan/);
  });

  it('reports a table cut off mid-row with the line', () => {
    const cut = text.slice(0, text.indexOf('<li>\u2022 15 trained Prevent Champions'));
    const err = errorOf(cut);
    expect(err.line).toBe(149);
    expect(err.message).toMatch(/plan\.md:149: table row has 3 of 6 columns \(truncated table\?/);
  });

  it('reports a row with too few columns', () => {
    const lines = text.split('\n');
    lines[120] = 'Support the development of the East London Network\tExternal partnerships are strengthened.';
    const err = errorOf(lines.join('\n'));
    expect(err.line).toBe(121);
    expect(err.message).toMatch(/table row has 2 of 6 columns/);
  });

  it('reports a header with no rows and a row with no header', () => {
    expect(errorOf(OTHER.split('\n').slice(0, 18).join('\n') + '\n\n## Next\n').message).toMatch(/plan\.md:18: table header has no rows/);
    const noHeader = OTHER.split('\n')
      .filter((_l, i) => i !== 17)
      .join('\n');
    expect(errorOf(noHeader).line).toBe(18);
  });

  it('refuses binary input', () => {
    expect(errorOf('PK\u0003\u0004\u0000\u0000').message).toMatch(/binary file/);
  });
});

describe('plan periods', () => {
  it('reads one financial year, a multi-year strategy and a calendar year', async () => {
    const { parsePeriod } = await import('../../src/import/planDocument');
    expect(parsePeriod('2018 - 19')).toEqual({ periodStart: '2018-04-01', periodEnd: '2019-03-31' });
    expect(parsePeriod('2018/2019')).toEqual({ periodStart: '2018-04-01', periodEnd: '2019-03-31' });
    expect(parsePeriod('2020 - 23')).toEqual({ periodStart: '2020-04-01', periodEnd: '2023-03-31' });
    expect(parsePeriod('1999 - 00')).toEqual({ periodStart: '1999-04-01', periodEnd: '2000-03-31' });
    expect(parsePeriod('2019')).toEqual({ periodStart: '2019-01-01', periodEnd: '2019-12-31' });
    expect(parsePeriod('2020 - 2040')).toBeUndefined();
    expect(parsePeriod('Delivery Plan')).toBeUndefined();
  });
});

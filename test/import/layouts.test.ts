/**
 * Plans in layouts other than the shared template, each written for these tests the way other
 * councils write theirs, imported exactly: objective sections as "PRIORITY ONE:", "### Objective 1 –"
 * and bold "Theme 1:"/"Theme 2 –" lines; columns named and ordered differently; statuses already
 * filled in; quarter-style and numeric deadlines; leads joined with ";", " / " and line breaks;
 * recommendations from scrutiny, an inspectorate and a peer challenge.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ParsedPlan, PlanItem } from '../../src/domain/model';
import { readPlanData, readPlanFile } from '../../src/import/readPlanFile';
import { planToDocx } from './support/planToDocx';

const PLANS = path.join(__dirname, 'plans');

type Expected = Omit<PlanItem, 'key' | 'kind' | 'line'> & { line: number };

/** An action as the test states it: fields left out are empty. */
function action(fields: Partial<Expected> & Pick<Expected, 'objectives' | 'title' | 'timescale' | 'leads' | 'status' | 'line'>): Expected {
  return { outcomes: [], outputs: [], milestones: [], recommendations: [], ...fields };
}

function items(plan: ParsedPlan) {
  return plan.items.map(({ key, kind, ...rest }) => {
    expect(key).toMatch(/^a\d+-[0-9a-f]{8}$/);
    expect(kind).toBe('action');
    return rest;
  });
}

describe('a mid-year community safety plan: PRIORITY headings, renamed columns, filled statuses', () => {
  let plan: ParsedPlan;
  beforeAll(async () => {
    plan = await readPlanFile(path.join(PLANS, 'community-safety-2024-25.md'));
  });

  it('reads the plan, its priorities as objectives and the scrutiny recommendations', () => {
    expect(plan.plan).toEqual({
      title: 'Community Safety Partnership Plan',
      organisation: 'Riverside Borough Council',
      periodStart: '2024-04-01',
      periodEnd: '2025-03-31',
    });
    expect(plan.objectives).toEqual([
      { number: 1, title: 'Reduce serious violence' },
      { number: 2, title: 'Tackle anti-social behaviour' },
      { number: 3, title: 'Protect vulnerable people' },
    ]);
    const source = 'Scrutiny Review of Community Safety 2023';
    expect(plan.recommendations).toEqual([
      { number: 1, text: 'Publish quarterly performance data', source },
      { number: 2, text: 'Involve young people in designing services', source },
      { number: 3, text: 'Review CCTV coverage', source },
    ]);
  });

  it('reads every item exactly', () => {
    expect(items(plan)).toEqual([
      action({
        line: 24,
        objectives: [1],
        title: 'Deliver the Serious Violence Duty strategy',
        outputs: [{ text: 'Strategy published' }, { text: 'Strategy signed by 50+ partners', target: 50, atLeast: true, unit: 'partners' }],
        timescale: 'Q3 2024/25',
        milestones: ['2024-12-31'],
        leads: ['DCI, Violent Crime Taskforce, MPS', 'Head of Community Safety'],
        recommendations: [1],
        status: 'green',
      }),
      action({
        line: 25,
        objectives: [1],
        title: 'Run weapons sweeps in parks',
        outputs: [{ text: '12 sweeps', target: 12, unit: 'sweeps' }],
        timescale: 'End of Q2',
        milestones: ['2024-09-30'],
        leads: ['Parks Manager', 'Police Inspector'],
        status: 'amber',
      }),
      action({
        line: 26,
        objectives: [1],
        title: 'Commission a knife crime awareness programme in schools',
        outputs: [{ text: '20 schools reached', target: 20, unit: 'reached' }],
        timescale: '31/03/2025',
        milestones: ['2025-03-31'],
        leads: ['Head of Youth Services'],
        status: 'red',
      }),
      action({
        line: 31,
        objectives: [2],
        title: 'Publish an ASB performance dashboard',
        outputs: [{ text: 'Dashboard live' }],
        timescale: 'Quarterly',
        recurring: true,
        cadence: 'quarterly',
        leads: ['ASB Manager'],
        recommendations: [1, 2],
        status: 'complete',
      }),
      action({
        line: 32,
        objectives: [2],
        title: 'Hold youth engagement events',
        outputs: [{ text: '4 events', target: 4, unit: 'events' }],
        timescale: 'June 2024 and December 2024',
        milestones: ['2024-06-30', '2024-12-31'],
        leads: ['Youth Engagement Officer', 'Community Safety Officer'],
        status: 'not-reported',
      }),
      action({
        line: 33,
        objectives: [2],
        title: 'Review CCTV coverage',
        outputs: [{ text: 'Review report' }],
        timescale: 'By 30 November 2024',
        milestones: ['2024-11-30'],
        leads: ['CCTV Manager'],
        recommendations: [3],
        status: 'complete',
      }),
      action({
        line: 38,
        objectives: [3],
        title: 'Train frontline staff in exploitation awareness',
        outputs: [{ text: '95% of staff trained', target: 95, unit: '%' }],
        timescale: 'Q1\u2013Q2',
        start: '2024-04-01',
        milestones: ['2024-09-30'],
        leads: ['HE/FE co-ordinator', 'Safeguarding Lead (Adults / Children)'],
        status: 'green',
      }),
      action({
        line: 39,
        objectives: [3],
        title: 'Refresh the hate crime reporting centres',
        outputs: [{ text: '10 reporting centres', target: 10, unit: 'centres' }],
        timescale: 'Q4 2024/25',
        milestones: ['2025-03-31'],
        leads: ['Hate Crime Officer'],
        status: 'amber',
      }),
    ]);
  });

  it('says which columns it did not read, once per table', () => {
    expect(plan.warnings).toEqual([23, 30, 37].map((line) => ({ line, message: 'columns "Ref", "Progress update" not read' })));
  });
});

describe('a youth justice plan: "Objective 1 –" headings, lead column first, inspection recommendations', () => {
  let plan: ParsedPlan;
  beforeAll(async () => {
    plan = await readPlanFile(path.join(PLANS, 'youth-justice-2024-25.md'));
  });

  it('takes the objectives from the section headings when the plan lists none', () => {
    expect(plan.plan).toEqual({
      title: 'Youth Justice Strategic Plan',
      organisation: 'Northgate Youth Justice Partnership',
      periodStart: '2024-04-01',
      periodEnd: '2025-03-31',
    });
    expect(plan.objectives).toEqual([
      { number: 1, title: 'Prevent offending' },
      { number: 2, title: 'Reduce reoffending' },
    ]);
    expect(plan.recommendations.map((r) => r.source)).toEqual(['HMIP Inspection 2023', 'HMIP Inspection 2023']);
    expect(plan.warnings).toEqual([]);
  });

  it('reads every item exactly', () => {
    expect(items(plan)).toEqual([
      action({
        line: 13,
        objectives: [1],
        title: 'Launch the Turnaround programme',
        outcomes: ['Fewer first-time entrants.', 'Families engaged early.'],
        outputs: [{ text: '60 children supported', target: 60, unit: 'supported' }, { text: 'Quarterly report to the board' }],
        timescale: '31.03.25',
        milestones: ['2025-03-31'],
        leads: ['Head of Youth Justice', 'Police Sergeant, Youth Offending Team'],
        status: 'amber',
      }),
      action({
        line: 14,
        objectives: [1],
        title: 'Agree an education protocol with schools',
        outcomes: ['Children in the service attend school'],
        outputs: [{ text: 'Protocol signed by 90% of schools', target: 90, unit: '%' }],
        timescale: 'w/c 3 June 2024',
        start: '2024-06-03',
        milestones: ['2024-06-07'],
        leads: ['Education Lead'],
        recommendations: [2],
        status: 'complete',
      }),
      action({
        line: 15,
        objectives: [1],
        title: 'Review the board membership',
        outcomes: ['The board holds partners to account'],
        outputs: [{ text: 'Terms of reference' }],
        timescale: 'Sept 2024',
        milestones: ['2024-09-30'],
        leads: ['Youth Justice Board Chair'],
        recommendations: [1],
        status: 'not-reported',
      }),
      action({
        line: 20,
        objectives: [2],
        title: 'Screen every child for speech and language needs',
        outcomes: ['Needs are met in plans'],
        outputs: [{ text: '100% screened', target: 100, unit: '%' }],
        timescale: 'Quarter 3',
        milestones: ['2024-12-31'],
        leads: ['Case Manager', 'Speech and Language Therapist'],
        status: 'red',
      }),
      action({
        line: 21,
        objectives: [2],
        title: 'Report reoffending rates to the board',
        outcomes: ['The board sees trends early'],
        outputs: [{ text: '12 reports', target: 12, unit: 'reports' }],
        timescale: 'Monthly',
        recurring: true,
        cadence: 'monthly',
        leads: ['Performance Officer'],
        status: 'green',
      }),
      action({
        line: 22,
        objectives: [2],
        title: 'Refresh the reparation offer',
        outcomes: ['Victims see amends made'],
        outputs: [{ text: '500+ hours of reparation' }],
        timescale: 'July 2024 \u2013 March 2025',
        start: '2024-07-01',
        milestones: ['2025-03-31'],
        leads: ['Head of Youth Justice'],
        status: 'not-reported',
      }),
      action({
        line: 23,
        objectives: [2],
        title: 'Publish the annual youth justice plan',
        outcomes: ['The plan is public'],
        outputs: [{ text: 'Plan published' }],
        timescale: 'Annually',
        recurring: true,
        cadence: 'annually',
        leads: ['Head of Youth Justice'],
        status: 'green',
      }),
    ]);
  });
});

describe('a health and wellbeing plan held in Word: bold "Theme 1:" lines, leads as paragraphs in a cell, BRAG', () => {
  let plan: ParsedPlan;
  beforeAll(async () => {
    const source = fs.readFileSync(path.join(PLANS, 'health-wellbeing-2024-25.docx.md'), 'utf8');
    plan = await readPlanData(await planToDocx(source), 'health-wellbeing-2024-25.docx');
  });

  it('reads the themes as objectives and the peer challenge recommendations', () => {
    expect(plan.plan).toEqual({
      title: 'Health and Wellbeing Delivery Plan',
      organisation: 'Eastbrook County Council',
      periodStart: '2024-04-01',
      periodEnd: '2025-03-31',
    });
    expect(plan.objectives.map((o) => o.title)).toEqual(['Healthy start in life', 'Living well', 'Ageing well']);
    expect(plan.recommendations.map((r) => [r.number, r.source])).toEqual([
      [1, 'Peer Challenge 2023'],
      [2, 'Peer Challenge 2023'],
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('reads every item exactly, naming Word paragraphs as lines', () => {
    expect(items(plan)).toEqual([
      action({
        line: 14,
        objectives: [1],
        title: 'Extend the school holiday activity programme',
        outcomes: ['Fewer children start school overweight'],
        timescale: 'Sept 2024',
        milestones: ['2024-09-30'],
        leads: ['Director of Public Health', 'Head of Leisure'],
        status: 'complete',
      }),
      action({
        line: 15,
        objectives: [1],
        title: 'Commission infant feeding peer support',
        outcomes: ['More babies breastfed at 6-8 weeks'],
        timescale: 'Q2 2024/25',
        milestones: ['2024-09-30'],
        leads: ['Public Health Commissioner'],
        recommendations: [2],
        status: 'green',
      }),
      action({
        line: 18,
        objectives: [2],
        title: 'Publish the physical activity strategy',
        outcomes: ['Adults are more active'],
        timescale: 'by 31 October 2024',
        milestones: ['2024-10-31'],
        leads: ['Head of Leisure', 'Active Partnership Lead'],
        recommendations: [1],
        status: 'amber',
      }),
      action({
        line: 19,
        objectives: [2],
        title: 'Report stop-smoking quits to the board',
        outcomes: ['Smoking rates fall'],
        timescale: 'Annually',
        recurring: true,
        cadence: 'annually',
        leads: ['Tobacco Control Lead'],
        status: 'not-reported',
      }),
      action({
        line: 22,
        objectives: [3],
        title: 'Roll out strength and balance classes',
        outcomes: ['Fewer falls in people over 65'],
        timescale: 'Q3\u2013Q4 2024/25',
        start: '2024-10-01',
        milestones: ['2025-03-31'],
        leads: ['Adult Social Care Director'],
        status: 'red',
      }),
    ]);
  });
});

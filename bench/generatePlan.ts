/**
 * A plan document in the shared template with `n` items, for benchmarks and large-plan tests.
 * Deterministic: the same n gives the same text.
 */
import type { ItemKind, Output, Plan, PlanItem } from '../src/domain/model';

const LEADS = [
  'Prevent Co-ordinator',
  'Prevent Education Officer',
  'HE/FE co-ordinator',
  'Inspector (Local Operations/MPS)',
  'Communications Manager',
  'Youth Engagement Officer',
];
const MONTHS = ['April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December', 'January', 'February', 'March'];
const WORDS = ['OBJECTIVE ONE', 'OBJECTIVE TWO', 'OBJECTIVE THREE', 'OBJECTIVE FOUR'];
const OBJECTIVES = [
  'Target support to individuals at risk',
  'Strengthen community leadership',
  'Strengthen positive social networks and institutions',
  'Mainstream Prevent across all Directorates',
];

export function generatePlanDocument(n: number): string {
  const lines = [
    '# **Borough of Benchmark**',
    '',
    '## **Prevent Delivery Plan**',
    '',
    '### **2018 - 19**',
    '',
    '## Local Strategic Prevent Objectives',
    '',
    ...OBJECTIVES.map((o, i) => `${i + 1}. ${o}`),
    '',
    '## Benchmark Peer Review 2018',
    '',
    '### Key Recommendations',
    '',
    '1. Develop performance management framework',
    '2. Train key services',
    '3. Develop Prevent Champions',
    '',
  ];
  const perObjective = Math.ceil(n / 4);
  let made = 0;
  for (let o = 0; o < 4 && made < n; o++) {
    lines.push(`**${WORDS[o]}: ${OBJECTIVES[o]}**`, '', 'Action\tOutcomes\tOutputs\tTimescale\tLead\tRAG status');
    for (let i = 0; i < perObjective && made < n; i++, made++) {
      const month = MONTHS[made % 12]!;
      const year = made % 12 < 9 ? 2018 : 2019;
      const timescale = made % 7 === 0 ? `April 2018 \u2013 ${month} ${year}` : made % 11 === 0 ? 'Ongoing' : `${month} ${year}`;
      const leads = made % 3 === 0 ? `${LEADS[made % LEADS.length]} / ${LEADS[(made + 1) % LEADS.length]}` : LEADS[made % LEADS.length]!;
      const rec = made % 5 === 0 ? ` <i>(Peer Review Rec ${(made % 3) + 1})</i>` : '';
      lines.push(
        `Action ${made + 1}: deliver activity ${made + 1} across the borough${rec}\t<p>Outcome ${made + 1} is achieved.</p> <p>Partners are engaged.</p>\t<ul style="list-style-type: none"> <li>\u2022 ${10 + (made % 40)} x 2 hour training sessions</li> <li>\u2022 ${50 + (made % 50)}% of staff trained</li> </ul>\t${timescale}\t${leads}\t`,
      );
      if (i % 50 === 49) lines.push('');
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** A small seeded generator (mulberry32): the same seed gives the same plan. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TRICKY_TEXT = [
  'Deliver training, workshops and "myth-busting" sessions',
  '=HYPERLINK("http://example.org","x") stays text',
  '@SUM(1+1) is not a formula',
  '+44 helpline promoted',
  '-1 risk register entries',
  'Caf\u00e9 consultation \u2013 \u00a3500 budget',
  'Plain action',
  "Parents' forum, termly",
];
const ROLES = [
  'Prevent Co-ordinator',
  'HE/FE co-ordinator',
  'Inspector (Local Operations/MPS)',
  'DCI, Violent Crime Taskforce, MPS',
  'Head of Community Safety',
  'Youth Engagement Officer',
];
const UNITS = [undefined, 'sessions', '%', 'people trained', 'reached'];
const TIMESCALES = ['March 2025', 'Q3 2024/25', 'End of Q2', 'Ongoing', 'Quarterly', '31/03/2025', 'July 2024 \u2013 March 2025'];

/**
 * A plan as the store holds it, with every field the spreadsheet layout carries: output targets
 * (whole, decimal, at-least, with and without units), revised milestones, owner roles, cadences,
 * reported statuses and text that needs quoting or formula neutralising. For round-trip properties.
 */
export function generatePlan(n: number, seed = 1): Plan {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const some = <T>(xs: readonly T[], max: number): T[] => [
    ...new Set(Array.from({ length: Math.floor(rnd() * (max + 1)) }, () => pick(xs))),
  ];
  const date = (from: number, span: number) => {
    const d = new Date(Date.UTC(2024, 3, 1) + Math.floor(rnd() * span + from) * 86_400_000);
    return d.toISOString().slice(0, 10);
  };
  const objectives = Array.from({ length: 1 + Math.floor(rnd() * 5) }, (_, i) => ({
    number: i + 1,
    title: `Objective ${i + 1}: ${pick(TRICKY_TEXT)}`,
  }));
  const recommendations = Array.from({ length: Math.floor(rnd() * 4) }, (_, i) => ({
    number: i + 1,
    text: `Recommendation ${i + 1}, "quoted"`,
    ...(rnd() < 0.7 ? { source: 'Scrutiny Review 2024' } : {}),
  }));
  const items: PlanItem[] = [];
  for (let i = 0; i < n; i++) {
    const kind: ItemKind = rnd() < 0.8 ? 'action' : 'project';
    const title = `${pick(TRICKY_TEXT)} ${i + 1}`;
    const outcomes = some(TRICKY_TEXT, 3).map((t, k) => `${t} (outcome ${k + 1})`);
    const outputs: Output[] = Array.from({ length: Math.floor(rnd() * 4) }, (_, k) => {
      const output: Output = { text: `${pick(TRICKY_TEXT)} output ${k + 1}` };
      const r = rnd();
      if (r < 0.4) output.target = Math.floor(rnd() * 500);
      else if (r < 0.55) output.target = Math.round(rnd() * 1000) / 10;
      const unit = pick(UNITS);
      if (unit !== undefined && output.target !== undefined) output.unit = unit;
      if (output.target !== undefined && rnd() < 0.25) output.atLeast = true;
      return output;
    });
    const recurring = rnd() < 0.15;
    const milestones = recurring ? [] : [...new Set(Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => date(30, 330)))].sort();
    const item: PlanItem = {
      key: `${kind === 'project' ? 'p' : 'a'}${(i % objectives.length) + 1}-${i.toString(16).padStart(8, '0')}`,
      kind,
      objectives: some(
        objectives.map((o) => o.number),
        2,
      ).sort((a, b) => a - b),
      title,
      outcomes,
      outputs,
      timescale: pick(TIMESCALES),
      milestones,
      leads: kind === 'project' ? [] : some(ROLES, 3),
      recommendations: some(
        recommendations.map((r) => r.number),
        2,
      ).sort((a, b) => a - b),
      status: pick(['not-reported', 'red', 'amber', 'green', 'complete'] as const),
    };
    if (rnd() < 0.2) item.description = `Description of ${i + 1}, with a comma`;
    if (rnd() < 0.3 && milestones[0]) item.start = date(0, 29);
    if (recurring) {
      item.recurring = true;
      const cadence = pick([undefined, 'monthly', 'quarterly', 'annually'] as const);
      if (cadence) item.cadence = cadence;
    }
    if (kind === 'project' && rnd() < 0.6) item.owner = pick(ROLES);
    if (kind === 'project') item.provider = 'Provider Ltd, Unit 3';
    if (rnd() < 0.1) item.titleDerived = true;
    if (milestones.length && rnd() < 0.3) {
      item.revisions = milestones.slice(0, 1 + Math.floor(rnd() * milestones.length)).map((m, k) => ({
        milestone: m,
        to: date(200, 300),
        at: new Date(Date.UTC(2024, 8, 5 + k, 10, 0, 0)).toISOString(),
        by: pick(['Casey Comms', 'casey@example.gov.uk', 'Sam O\u2019Neil, Youth Service']),
      }));
    }
    items.push(item);
  }
  return {
    plan: {
      title: `Generated Delivery Plan ${seed}`,
      organisation: 'Borough of Generated, "Test"',
      periodStart: '2024-04-01',
      periodEnd: '2025-03-31',
    },
    objectives,
    recommendations,
    items,
  };
}

/** Plan fixtures for the store tests: a generator of plans of any size, shaped like the importer's output. */
import { itemKeyOf } from '../../src/domain/identity';
import type { Plan, PlanItem } from '../../src/domain/model';

const LEADS = ['Prevent Co-ordinator', 'Community Safety Manager', 'Head of Youth Services', 'Designated Safeguarding Lead'];

/** Item `i` of a generated plan: every optional field is present on some items and absent on others. */
export function makeItem(i: number): PlanItem {
  const kind = i % 5 === 4 ? 'project' : 'action';
  const objectives = [(i % 4) + 1, ...(i % 7 === 0 ? [((i + 1) % 4) + 1] : [])];
  const title = `Deliver workstream ${i}: training and awareness`;
  const outcomes = [`Outcome ${i}.a`, ...(i % 2 ? [`Outcome ${i}.b — “quoted”`] : [])];
  const month = String((i % 12) + 1).padStart(2, '0');
  const item: PlanItem = {
    key: itemKeyOf(kind, objectives, title, outcomes),
    kind,
    objectives,
    title,
    outcomes,
    outputs: [
      { text: `${(i % 30) + 1} x 2 hour training sessions`, target: (i % 30) + 1, unit: 'sessions' },
      ...(i % 3 === 0 ? [{ text: '500+ reached', target: 500, unit: 'reached', atLeast: true }] : []),
      ...(i % 6 === 1 ? [{ text: 'Quarterly report to the board' }] : []),
    ],
    timescale: i % 9 === 0 ? 'Ongoing' : `${month}/2019`,
    milestones: i % 9 === 0 ? [] : [`2019-${month}-28`, ...(i % 4 === 0 ? ['2019-03-31'] : [])],
    leads: [LEADS[i % LEADS.length] as string, ...(i % 5 === 0 ? [LEADS[(i + 2) % LEADS.length] as string] : [])],
    recommendations: i % 8 === 0 ? [1, 4] : [],
    status: 'not-reported',
    line: 100 + i,
  };
  if (i % 9 === 0) item.recurring = true;
  if (i % 6 === 2) item.start = '2018-07-01';
  if (kind === 'project') item.description = `Project ${i} description, with commas, "quotes" & ampersands`;
  if (i % 5 === 3) item.provider = 'Local voluntary sector provider';
  if (i % 11 === 10) item.titleDerived = true;
  return item;
}

/** A plan with `nItems` items (keys distinct), optionally for another organisation so plan ids differ. */
export function makePlan(nItems: number, organisation = 'London Borough of Testing'): Plan {
  return {
    plan: { title: 'Prevent Delivery Plan', organisation, periodStart: '2018-04-01', periodEnd: '2019-03-31' },
    objectives: [
      { number: 1, title: 'Leadership and partnership' },
      { number: 2, title: 'Safeguarding vulnerable people' },
      { number: 3, title: 'Community resilience' },
      { number: 4, title: 'Communications' },
    ],
    recommendations: [
      { number: 1, text: 'Refresh the delivery plan', source: 'Peer Review 2018' },
      { number: 4, text: 'Train frontline staff' },
    ],
    items: Array.from({ length: nItems }, (_, i) => makeItem(i)),
  };
}

import { generatePlanDocument } from '../../bench/generatePlan';
import { parsePlanDocument } from '../../src/import/planDocument';

describe('a large plan in the shared template', () => {
  it('imports every one of 5,000 generated items, across tables broken by blank lines, with no warnings', () => {
    const plan = parsePlanDocument(generatePlanDocument(5000));
    expect(plan.items).toHaveLength(5000);
    expect(plan.warnings).toEqual([]);
    expect(new Set(plan.items.map((i) => i.key)).size).toBe(5000);
    expect(plan.items.filter((i) => i.recurring)).not.toHaveLength(0);
    expect(plan.items[7]).toMatchObject({ start: '2018-04-01', milestones: ['2018-11-30'] });
    expect(plan.items[0]!.leads).toEqual(['Prevent Co-ordinator', 'Prevent Education Officer']);
    expect(plan.items[0]!.outputs[0]).toEqual({ text: '10 x 2 hour training sessions', target: 10, unit: 'sessions' });
  });
});

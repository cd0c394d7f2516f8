import { buildPublicPlan, scrubber } from '../../src/domain/publicExport';
import type { FilterableItem } from '../../src/domain/filters';
import { findQuarter } from '../../src/domain/reportingPeriods';

const PLAN = { title: 'Prevent Delivery Plan', organisation: 'LB Example', periodStart: '2018-04-01', periodEnd: '2019-03-31' };
const item: FilterableItem = {
  key: 'a1-00000001',
  kind: 'project',
  objectives: [1],
  title: 'Workshops for parents',
  outcomes: ['Parents are confident'],
  outputs: [
    { text: '39 workshops delivered', target: 39, unit: 'workshops' },
    { text: '95% of staff trained', target: 95, unit: '%' },
  ],
  timescale: 'March 2019',
  milestones: ['2019-03-31'],
  leads: [],
  provider: '[REDACTED]',
  recommendations: [],
  status: 'green',
};

describe('public version', () => {
  const history = [
    {
      itemKey: item.key,
      at: '2018-09-10T09:00:00Z',
      by: 'Sam Patel',
      byId: 'sam.patel@example.gov.uk',
      from: 'not-reported' as const,
      to: 'green' as const,
      note: 'Sam met Jo Bloggs (jo@partner.org) at the mosque',
      figures: { 0: 12, 1: 60 },
    },
  ];
  const build = (restricted: Array<'status' | 'outputs' | 'figures'> = [], internalFigures: string[] = []) =>
    buildPublicPlan({
      plan: PLAN,
      objectives: [{ number: 1, title: 'Support' }],
      recommendations: [],
      items: [{ ...item, description: 'Run by Jo Bloggs' }],
      history,
      directory: [{ role: 'Contract manager', people: [{ id: 'oid-jo', name: 'Jo Bloggs', email: 'jo@partner.org' }] }],
      quarter: findQuarter(PLAN, 'Q2 2018-19')!,
      rules: { restricted, internalFigures },
    });

  it('keeps the status and figures, leaves out notes, and redacts names anywhere, keeping [REDACTED] from the source', () => {
    const p = build();
    const text = JSON.stringify(p);
    expect(p.items[0]).toMatchObject({ status: 'green', provider: '[REDACTED]', description: 'Run by [REDACTED]' });
    expect(p.items[0]!.outputs).toEqual([
      { text: '39 workshops delivered', target: '39 workshops', reported: '12 workshops' },
      { text: '95% of staff trained', target: '95%', reported: '60%' },
    ]);
    for (const secret of ['mosque', 'Sam Patel', 'Jo Bloggs', 'jo@partner.org', 'sam.patel@example.gov.uk'])
      expect(text).not.toContain(secret);
  });

  it('leaves out figures marked internal and fields marked restricted', () => {
    expect(build([], [`${item.key}#2`]).items[0]!.outputs!.map((o) => o.reported)).toEqual(['12 workshops', undefined]);
    expect(build([], [item.key]).items[0]!.outputs!.every((o) => o.reported === undefined)).toBe(true);
    const restricted = build(['status', 'outputs']).items[0]!;
    expect(restricted.status).toBeUndefined();
    expect(restricted.outputs).toBeUndefined();
  });

  it('scrubs names as whole words, whatever the case, and every e-mail address', () => {
    const scrub = scrubber(['Ann Lee']);
    expect(scrub('ann lee met Annabel; write to x.y@z.example')).toBe('[REDACTED] met Annabel; write to [REDACTED]');
  });
});

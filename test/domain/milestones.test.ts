import { dueDates, dueState, effectiveMilestones, milestoneInQuestion, overdueMilestone, revisionFor } from '../../src/domain/milestones';
import type { MilestoneItem } from '../../src/domain/milestones';

const at = (date: string): string => `${date}T09:00:00Z`;

describe('effective milestones', () => {
  it('are the planned ones while nothing was revised', () => {
    expect(effectiveMilestones({ milestones: ['2019-03-31', '2018-09-30'] })).toEqual(['2018-09-30', '2019-03-31']);
  });

  it('move a planned milestone to its latest revision, wherever that falls', () => {
    const item = {
      milestones: ['2018-09-30', '2019-03-31'],
      revisions: [
        { milestone: '2018-09-30', to: '2018-11-15', at: at('2018-09-10'), by: 'Ann' },
        { milestone: '2018-09-30', to: '2019-06-30', at: at('2018-11-01'), by: 'Ann' },
      ],
    };
    expect(effectiveMilestones(item)).toEqual(['2019-03-31', '2019-06-30']);
    expect(dueDates(item)).toEqual([
      { milestone: '2019-03-31', due: '2019-03-31' },
      { milestone: '2018-09-30', due: '2019-06-30' },
    ]);
  });

  it('gain a due date when an item with none is revised, and move it on a second revision', () => {
    const once = { milestones: [], revisions: [{ milestone: '2018-12-31', to: '2018-12-31', at: at('2018-10-01'), by: 'Ann' }] };
    expect(effectiveMilestones(once)).toEqual(['2018-12-31']);
    const { revision } = revisionFor({ ...once, status: 'red' }, '2019-02-28', { at: at('2018-12-10'), by: 'Ann' });
    expect(revision.milestone).toBe('2018-12-31');
    expect(effectiveMilestones({ milestones: [], revisions: [...once.revisions, revision] })).toEqual(['2019-02-28']);
  });
});

describe('overdue', () => {
  const item = (over: Partial<MilestoneItem> = {}): MilestoneItem => ({ milestones: ['2018-08-31'], status: 'not-reported', ...over });

  it('is the last milestone passed without Complete, even after reports', () => {
    expect(overdueMilestone(item({ status: 'green', lastUpdate: { at: at('2018-09-01') } }), '2018-09-03')).toBe('2018-08-31');
    expect(overdueMilestone(item({ status: 'complete' }), '2018-09-03')).toBeUndefined();
  });

  it('is an earlier milestone only when nobody reported within its reminder window', () => {
    const two = item({ milestones: ['2018-09-30', '2019-03-31'] });
    expect(overdueMilestone(two, '2018-10-08')).toBe('2018-09-30');
    expect(overdueMilestone({ ...two, lastUpdate: { at: at('2018-09-20') } }, '2018-10-08')).toBeUndefined();
    expect(overdueMilestone({ ...two, lastUpdate: { at: at('2018-08-20') } }, '2018-10-08')).toBe('2018-09-30');
    expect(overdueMilestone({ ...two, lastUpdate: { at: at('2018-08-20') } }, '2018-10-08', 60)).toBeUndefined();
  });

  it('Red with a revised date, then Amber, then Green: not overdue until the revised date passes', () => {
    // The case the issue found: the revision used to be forgotten at the next report.
    let a4: MilestoneItem = item();
    const red = revisionFor(a4, '2027-06-30', { at: at('2018-09-03'), by: 'Ann' });
    expect(red).toEqual({ revision: { milestone: '2018-08-31', to: '2027-06-30', at: at('2018-09-03'), by: 'Ann' }, from: '2018-08-31' });
    a4 = { ...a4, status: 'red', revisions: [red.revision], lastUpdate: { at: at('2018-09-03') } };
    a4 = { ...a4, status: 'amber', lastUpdate: { at: at('2018-10-01') } };
    a4 = { ...a4, status: 'green', lastUpdate: { at: at('2018-11-05') } };
    for (const day of ['2018-09-10', '2019-03-31', '2027-06-30']) expect(dueState(a4, day)).toEqual({ next: '2027-06-30' });
    expect(dueState(a4, '2027-07-01')).toEqual({ overdue: '2027-06-30' });
  });
});

describe('the milestone a report is about', () => {
  const two: MilestoneItem = { milestones: ['2018-09-30', '2019-03-31'], status: 'amber' };

  it('is the overdue one, else the next one, else the last one', () => {
    expect(milestoneInQuestion(two, '2018-10-08')).toEqual({ milestone: '2018-09-30', due: '2018-09-30' });
    expect(milestoneInQuestion(two, '2018-09-01')).toEqual({ milestone: '2018-09-30', due: '2018-09-30' });
    expect(milestoneInQuestion({ ...two, lastUpdate: { at: at('2018-09-25') } }, '2018-10-08')).toEqual({
      milestone: '2019-03-31',
      due: '2019-03-31',
    });
    expect(milestoneInQuestion({ ...two, status: 'complete' }, '2019-05-01')).toEqual({ milestone: '2019-03-31', due: '2019-03-31' });
    expect(milestoneInQuestion({ milestones: [], status: 'amber' }, '2019-05-01')).toBeUndefined();
  });
});

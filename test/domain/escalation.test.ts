import { computeEscalations, redSince } from '../../src/domain/escalation';
import type { StatusUpdate } from '../../src/domain/model';
import type { ReminderItem } from '../../src/domain/reminders';

const base: ReminderItem = {
  key: 'k',
  title: 'T',
  objectives: [1],
  milestones: ['2018-09-30'],
  leads: ['Prevent Co-ordinator'],
  status: 'not-reported',
};
const h = (itemKey: string, at: string, from: StatusUpdate['from'], to: StatusUpdate['to']): StatusUpdate => ({
  itemKey,
  at,
  by: 'x',
  from,
  to,
});

describe('escalation', () => {
  it('finds when an item turned Red and stayed Red', () => {
    const history = [
      h('k', '2018-08-01T10:00:00Z', 'not-reported', 'red'),
      h('k', '2018-08-10T10:00:00Z', 'red', 'green'),
      h('k', '2018-08-20T10:00:00Z', 'green', 'red'),
      h('k', '2018-08-27T10:00:00Z', 'red', 'red'),
    ];
    expect(redSince('k', history)).toBe('2018-08-20');
  });

  it('lists items Red for two weeks and items overdue for two weeks, not younger ones', () => {
    const items: ReminderItem[] = [
      { ...base, key: 'red-old', title: 'Red old', milestones: ['2019-03-31'], status: 'red' },
      { ...base, key: 'red-new', title: 'Red new', milestones: ['2019-03-31'], status: 'red' },
      { ...base, key: 'late', title: 'Late', milestones: ['2018-09-30'] },
      { ...base, key: 'late-new', title: 'Late new', milestones: ['2018-10-10'] },
      { ...base, key: 'done', title: 'Done', milestones: ['2018-07-31'], status: 'complete' },
    ];
    const history = [h('red-old', '2018-10-01T09:00:00Z', 'amber', 'red'), h('red-new', '2018-10-10T09:00:00Z', 'amber', 'red')];
    const list = computeEscalations({ items, history, date: '2018-10-15' });
    expect(list.map((e) => [e.itemKey, e.why, e.days])).toEqual([
      ['late', 'overdue', 15],
      ['red-old', 'red', 14],
    ]);
  });
});

describe('escalation after the reporting cycle', () => {
  it('does not escalate an overdue item whose lead answered after the milestone; does after 14 days of silence', () => {
    const answered: ReminderItem = { ...base, key: 'ans', title: 'Answered', status: 'green', lastUpdate: { at: '2018-10-01T09:00:00Z' } };
    const silent: ReminderItem = { ...base, key: 'sil', title: 'Silent', status: 'green', lastUpdate: { at: '2018-09-20T09:00:00Z' } };
    expect(computeEscalations({ items: [answered, silent], history: [], date: '2018-10-15' }).map((e) => e.itemKey)).toEqual(['sil']);
  });

  it('escalates two Red reports in a row at once', () => {
    const red: ReminderItem = { ...base, key: 'r', milestones: ['2019-03-31'], status: 'red' };
    const history = [h('r', '2018-10-08T09:00:00Z', 'amber', 'red'), h('r', '2018-10-12T09:00:00Z', 'red', 'red')];
    expect(computeEscalations({ items: [red], history, date: '2018-10-15' })).toMatchObject([{ itemKey: 'r', why: 'red', reds: 2 }]);
    expect(computeEscalations({ items: [red], history: history.slice(0, 1), date: '2018-10-15' })).toEqual([]);
  });
});

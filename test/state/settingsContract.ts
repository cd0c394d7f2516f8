/** The plan-settings port: one suite for every adapter (embedded SQLite, Azure Table storage). */
import type { PlanSettingsStore } from '../../src/store/settingsStore';

export function runSettingsContract(name: string, make: () => Promise<PlanSettingsStore>): void {
  describe(`plan settings contract: ${name}`, () => {
    let store: PlanSettingsStore;
    beforeEach(async () => {
      store = await make();
    });
    afterEach(async () => {
      await store.close();
    });

    it('has nothing for a plan nobody saved settings for', async () => {
      expect(await store.get('no-such-plan')).toBeUndefined();
    });

    it('keeps what was saved, per plan, with who and when; a later save replaces it', async () => {
      const first = { reminderOffsets: [14, 0], digestDay: 'thu' as const, digestHour: 15, digestChannel: '19:abc@thread.tacv2' };
      expect(await store.put('plan-a', first, 'cora@council.example', '2018-09-03T09:00:00.000Z')).toEqual({
        ...first,
        updatedAt: '2018-09-03T09:00:00.000Z',
        updatedBy: 'cora@council.example',
      });
      expect(await store.get('plan-a')).toEqual({ ...first, updatedAt: '2018-09-03T09:00:00.000Z', updatedBy: 'cora@council.example' });
      expect(await store.get('plan-b')).toBeUndefined();
      const second = { reminderOffsets: [7], digestDay: 'mon' as const, digestHour: 9, digestChannel: '' };
      await store.put('plan-a', second, 'dev@council.example', '2018-09-04T09:00:00.000Z');
      expect(await store.get('plan-a')).toEqual({ ...second, updatedAt: '2018-09-04T09:00:00.000Z', updatedBy: 'dev@council.example' });
    });

    it('keeps plan ids with characters table keys do not allow apart', async () => {
      const s = { reminderOffsets: [28], digestDay: 'fri' as const, digestHour: 8, digestChannel: '' };
      await store.put('a/b#c?d', s, 'x', '2018-09-03T09:00:00.000Z');
      await store.put('a%2Fb#c?d', { ...s, digestHour: 9 }, 'x', '2018-09-03T09:00:00.000Z');
      expect((await store.get('a/b#c?d'))?.digestHour).toBe(8);
      expect((await store.get('a%2Fb#c?d'))?.digestHour).toBe(9);
    });

    it('ignores fields that are not settings', async () => {
      const extra = { reminderOffsets: [3], digestDay: 'sun' as const, digestHour: 1, digestChannel: '', source: 'saved' } as never;
      await store.put('plan-c', extra, 'x', '2018-09-03T09:00:00.000Z');
      expect(Object.keys((await store.get('plan-c'))!).sort()).toEqual([
        'digestChannel',
        'digestDay',
        'digestHour',
        'reminderOffsets',
        'updatedAt',
        'updatedBy',
      ]);
    });
  });
}

/**
 * The send ledger port: one suite for every adapter (embedded SQLite, Azure Table storage). `open`
 * gives a ledger for an instance id; every ledger it gives shares one store (two app instances).
 */
import { CARD_ITEM, REASON_CARD, type LedgerKey, type SendLedger } from '../../src/state/sendLedger';

export type OpenLedger = (instanceId: string) => SendLedger;

const key = (over: Partial<LedgerKey> = {}): LedgerKey => ({
  id: 'p1',
  planId: 'plan',
  itemKey: 'a1',
  milestone: '2018-09-30',
  reason: '28 days',
  personId: 'aad-ann',
  personName: 'Ann',
  dateKey: '2018-09-02',
  ...over,
});

const asked = (keys: string[], reason = 'check-in') =>
  keys.map((k, n) => ({ itemKey: k, slot: `i${n}`, onCard: true, reason, roles: ['Lead'] }));

export function runLedgerContract(name: string, make: () => Promise<{ open: OpenLedger; close(): Promise<void> }>): void {
  describe(`send ledger contract: ${name}`, () => {
    let open: OpenLedger;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ open, close } = await make());
    });
    afterEach(async () => {
      await close();
    });
    /** The instance whose prompt run queues cards, and two queue workers. */
    const runAndWorkers = () => ({ run: open('run'), w1: open('worker-1'), w2: open('worker-2') });
    /** Two cards the run claimed as queued: q1 (for the default person) and q2 (for bob). */
    const queueTwo = async (run: SendLedger) => {
      await run.claim(key({ id: 'q1' }), 't0', undefined, { queued: true });
      await run.claim(key({ id: 'q2', personId: 'bob' }), 't0', undefined, { queued: true });
    };

    it('lets exactly one claimant win, even two instances at once', async () => {
      const a = open('instance-a');
      const b = open('instance-b');
      const racing = await Promise.all(
        [0, 1, 2, 3, 4, 5].map((n) => (n % 2 ? a : b).claim(key({ id: 'race', dateKey: '2018-09-01' }), `2018-09-01T07:00:0${n}Z`)),
      );
      expect(racing.filter(Boolean)).toHaveLength(1);
      expect(await a.claim(key(), '2018-09-02T07:00:00Z')).toBe(true);
      expect(await b.claim(key(), '2018-09-02T07:00:01Z')).toBe(false);
      expect(await a.claim(key(), '2018-09-02T07:00:02Z')).toBe(false);
      // A different day, reason or person is a different prompt.
      expect(await b.claim(key({ id: 'p2', dateKey: '2018-09-03' }), '2018-09-03T07:00:00Z')).toBe(true);
      expect(await b.claim(key({ id: 'p3', personId: 'aad-bob' }), '2018-09-02T07:00:00Z')).toBe(true);
      expect(await a.count()).toBe(4);
      expect(await a.get('p3')).toMatchObject({ state: 'claimed', claimedBy: 'instance-b', personId: 'aad-bob', personName: 'Ann' });
      expect(await a.get('nothing')).toBeUndefined();
    });

    it('re-claims sends that delivered nothing (failed, unreachable), never sent or uncertain ones', async () => {
      const ledger = open('i');
      await ledger.claim(key(), 't0');
      await ledger.markFailed('p1', 'POST to Teams answered 502');
      expect(await ledger.get('p1')).toMatchObject({ state: 'failed', detail: 'POST to Teams answered 502' });
      expect(await ledger.claim(key(), 't1')).toBe(true);
      expect((await ledger.get('p1'))!.detail).toBeUndefined();
      await ledger.markUnreachable('p1', 'not installed');
      expect(await ledger.claim(key(), 't2')).toBe(true);
      await ledger.markSent('p1', {
        at: 't3',
        conversationId: 'c',
        serviceUrl: 'http://s',
        activityId: 'act-1',
        itemVersion: '3',
        detail: 'chat created',
      });
      expect(await ledger.claim(key(), 't4')).toBe(false);
      expect(await ledger.get('p1')).toMatchObject({
        state: 'sent',
        detail: 'chat created',
        sentAt: 't3',
        activityId: 'act-1',
        itemVersion: '3',
        conversationId: 'c',
      });
      await ledger.claim(key({ id: 'p9', personId: 'x' }), 't5');
      await ledger.markUncertain('p9', 'socket hang up');
      expect(await ledger.claim(key({ id: 'p9', personId: 'x' }), 't6')).toBe(false);
    });

    it('marks only what this instance claimed', async () => {
      const a = open('a');
      const b = open('b');
      await a.claim(key(), 't0');
      await b.markSent('p1', { at: 't1', conversationId: 'c', serviceUrl: 'http://s' });
      await b.markFailed('p1', 'no');
      expect((await a.get('p1'))!.state).toBe('claimed');
    });

    it('turns claims older than the lease into uncertain ones (crash between claim and mark)', async () => {
      const ledger = open('i');
      await ledger.claim(key(), '2018-09-02T07:00:00.000Z');
      await ledger.claim(key({ id: 'p2', personId: 'bob' }), '2018-09-02T07:20:00.000Z');
      await ledger.claim(key({ id: 'q1', personId: 'cat' }), '2018-09-02T07:00:00.000Z', undefined, { queued: true });
      const expired = await ledger.expireClaims('2018-09-02T07:15:00.000Z');
      expect(expired.map((r) => [r.id, r.state])).toEqual([['p1', 'uncertain']]);
      expect((await ledger.get('p1'))!.state).toBe('uncertain');
      expect((await ledger.get('p2'))!.state).toBe('claimed');
      // Waiting on the queue is not a crash: nothing was sent yet.
      expect((await ledger.get('q1'))!.state).toBe('queued');
      expect(await ledger.claim(key(), '2018-09-02T08:00:00.000Z')).toBe(false);
    });

    it('lets exactly one queue worker take over a queued card, and none once it was taken or sent', async () => {
      const { run, w1, w2 } = runAndWorkers();
      expect(await run.claim(key(), 't0', undefined, { queued: true })).toBe(true);
      expect(await run.claim(key(), 't0', undefined, { queued: true })).toBe(false);
      expect((await run.get('p1'))!.state).toBe('queued');
      const taken = await Promise.all([w1.takeOver('p1', 't1'), w2.takeOver('p1', 't1'), w1.takeOver('p1', 't1')]);
      expect(taken.filter(Boolean)).toHaveLength(1);
      const owner = taken[1] ? w2 : w1;
      expect(await run.get('p1')).toMatchObject({ state: 'claimed', claimedBy: owner.instanceId });
      await owner.markSent('p1', { at: 't2', conversationId: 'c', serviceUrl: 'http://s', activityId: 'act' });
      expect(await w1.takeOver('p1', 't3')).toBe(false);
      expect(await w2.takeOver('nothing', 't3')).toBe(false);
      expect((await run.get('p1'))!.state).toBe('sent');
    });

    it('takes a queued card over where its message says it is, and by id when the place is wrong', async () => {
      const { run, w1, w2 } = runAndWorkers();
      await queueTwo(run);
      const taken = await Promise.all([
        w1.takeOver('q1', 't1', { planId: 'plan', dateKey: '2018-09-02' }),
        w2.takeOver('q1', 't1', { planId: 'plan', dateKey: '2018-09-02' }),
      ]);
      expect(taken.filter(Boolean)).toHaveLength(1);
      expect(await w1.takeOver('q2', 't1', { planId: 'plan', dateKey: '2019-01-01' })).toBe(true);
      expect(await run.get('q2')).toMatchObject({ state: 'claimed', claimedBy: w1.instanceId });
      expect(await w2.takeOver('nothing', 't1', { planId: 'plan', dateKey: '2018-09-02' })).toBe(false);
    });

    it('takes a queued card over with what its claim passed on, exactly once, and never with a token gone stale', async () => {
      const { run, w1, w2 } = runAndWorkers();
      await queueTwo(run);
      const place = (id: string) => {
        const token = run.queuedToken(id);
        return { planId: 'plan', dateKey: '2018-09-02', ...(token ? { token } : {}) };
      };
      const [p1, p2] = [place('q1'), place('q2')];
      const taken = await Promise.all([w1.takeOver('q1', 't1', p1), w2.takeOver('q1', 't1', p1)]);
      expect(taken.filter(Boolean)).toHaveLength(1);
      expect(await w1.takeOver('q2', 't1', p2)).toBe(true);
      await w1.markSent('q2', { at: 't2', conversationId: 'c', serviceUrl: 'http://s', activityId: 'act' });
      // The message reappears (its worker was slow to delete it): the token it carries is stale now.
      expect(await w2.takeOver('q2', 't3', p2)).toBe(false);
      expect(await run.get('q2')).toMatchObject({ state: 'sent', claimedBy: w1.instanceId, activityId: 'act' });
      // Another card's token does not take this one over.
      await run.claim(key({ id: 'q3', personId: 'cat' }), 't0', undefined, { queued: true });
      expect(await w2.takeOver('q3', 't4', { ...place('q3'), token: p1.token ?? 'none' })).toBe(true);
      expect(await run.get('q1')).toMatchObject({ state: 'claimed' });
      expect(await run.get('q3')).toMatchObject({ state: 'claimed', claimedBy: w2.instanceId });
    });

    it('changes a card only as it is now, whatever this instance last saw of it', async () => {
      const { run, w1, w2 } = runAndWorkers();
      await run.claim(key({ id: 'q1' }), 't0', undefined, { queued: true });
      // Both workers read the card as queued; worker 1 takes it over and sends it.
      expect((await w2.get('q1'))!.state).toBe('queued');
      expect(await w1.takeOver('q1', 't1')).toBe(true);
      await w1.markSent('q1', { at: 't2', conversationId: 'c', serviceUrl: 'http://s', activityId: 'act' });
      // Worker 2's last sight of it is stale: it may neither take it over nor mark it.
      expect(await w2.takeOver('q1', 't3')).toBe(false);
      await w2.markFailed('q1', 'not mine');
      expect(await run.get('q1')).toMatchObject({ state: 'sent', activityId: 'act', claimedBy: w1.instanceId });
      // The run's own last sight (its claim) is stale too: marking it uncertain starts from the card as it is.
      await run.markUncertain('q1', 'checked');
      expect(await run.get('q1')).toMatchObject({ state: 'uncertain', activityId: 'act', sentAt: 't2' });
    });

    it('claims a card with its items in one step, and re-claims it with what is due now when nothing was delivered', async () => {
      const ledger = open('i');
      const card = key({ id: 'c1', itemKey: CARD_ITEM, milestone: '', reason: REASON_CARD });
      expect(await ledger.claim(card, 't0', asked(['a1', 'a2']))).toBe(true);
      expect(await ledger.claim(card, 't1', asked(['a1', 'a2', 'a3']))).toBe(false);
      expect((await ledger.cardItems('c1')).map((i) => i.itemKey)).toEqual(['a1', 'a2']);
      expect((await ledger.cardItems('c1'))[0]).toEqual({
        cardId: 'c1',
        planId: 'plan',
        itemKey: 'a1',
        slot: 'i0',
        onCard: true,
        reason: 'check-in',
        roles: ['Lead'],
      });
      await ledger.markFailed('c1', 'POST to Teams answered 502');
      expect(await ledger.claim(card, 't2', asked(['a2']))).toBe(true);
      expect((await ledger.cardItems('c1')).map((i) => [i.itemKey, i.slot])).toEqual([['a2', 'i0']]);
      expect(await ledger.openCards('plan', 'a1')).toEqual([]);
      expect(await ledger.cardItems('nothing')).toEqual([]);
    });

    it('keeps every field of an item, and items beyond the card after those on it', async () => {
      const ledger = open('i');
      const card = key({ id: 'c1', planId: 'a/b#c?', itemKey: CARD_ITEM, milestone: '', reason: REASON_CARD });
      await ledger.claim(card, 't0', [
        { itemKey: 'x/1', slot: 'i1', onCard: false, reason: 'overdue', roles: [] },
        {
          itemKey: 'x#2',
          slot: 'i0',
          onCard: true,
          reason: 'milestone',
          milestone: '2018-10-01',
          daysUntil: 14,
          periodLabel: 'Q2',
          periodEnd: '2018-09-30',
          roles: ['Lead', 'Deputy'],
          deputy: 'Ann is away',
        },
      ]);
      const items = await ledger.cardItems('c1');
      expect(items.map((i) => i.itemKey)).toEqual(['x#2', 'x/1']);
      expect(items[0]).toMatchObject({
        milestone: '2018-10-01',
        daysUntil: 14,
        periodLabel: 'Q2',
        periodEnd: '2018-09-30',
        deputy: 'Ann is away',
      });
      expect(items[0]!.roles).toEqual(['Lead', 'Deputy']);
    });

    it('marks an item answered on every card that asked about it and returns those cards for their receipts', async () => {
      const ledger = open('i');
      for (const [id, person, day, items] of [
        ['c1', 'ann', '2018-09-02', ['a1', 'a2']],
        ['c2', 'bob', '2018-09-02', ['a1']],
        ['c3', 'ann', '2018-09-16', ['a2', 'a1']],
      ] as const) {
        await ledger.claim(
          key({ id, itemKey: CARD_ITEM, milestone: '', reason: REASON_CARD, personId: person, dateKey: day }),
          `${day}T07:00:00Z`,
          asked([...items], 'milestone'),
        );
        await ledger.markSent(id, {
          at: `${day}T07:00:01Z`,
          conversationId: `c-${person}`,
          serviceUrl: 'http://s',
          activityId: `act-${id}`,
        });
      }
      // Claimed but never sent: not a card to replace.
      await ledger.claim(key({ id: 'c4', itemKey: CARD_ITEM, reason: REASON_CARD, personId: 'cat' }), 't', asked(['a1']));
      expect((await ledger.openCards('plan', 'a1')).map((r) => r.id)).toEqual(['c1', 'c2', 'c3']);
      expect(await ledger.openCards('other-plan', 'a1')).toEqual([]);
      const c1 = (await ledger.get('c1'))!;
      // Ann's later card also asks about a1: it supersedes the first one for that item.
      expect((await ledger.newerCard(c1, 'a1'))?.id).toBe('c3');
      expect(await ledger.newerCard((await ledger.get('c2'))!, 'a1')).toBeUndefined();
      expect(await ledger.newerCard((await ledger.get('c3'))!, 'a1')).toBeUndefined();
      const answered = await ledger.markAnswered('plan', 'a1', '2018-09-17T10:00:00Z', 'Ann');
      expect(answered.map((r) => r.activityId)).toEqual(['act-c1', 'act-c2', 'act-c3']);
      expect(await ledger.openCards('plan', 'a1')).toHaveLength(0);
      // a2 is still open on Ann's cards.
      expect((await ledger.openCards('plan', 'a2')).map((r) => r.id)).toEqual(['c1', 'c3']);
      expect(await ledger.markAnswered('plan', 'a1', 'later', 'Bob')).toHaveLength(0);
      expect((await ledger.answeredSince('plan', 'a1', '2018-09-17T00:00:00Z')).map((r) => r.id)).toEqual(['c1', 'c2', 'c3']);
      expect(await ledger.answeredSince('plan', 'a1', '2018-09-18T00:00:00Z')).toEqual([]);
      expect(
        (await ledger.cardItemsBetween('plan', '2018-09-01', '2018-09-10')).map(({ card, item }) => [
          card.id,
          item.itemKey,
          item.answeredBy ?? '',
        ]),
      ).toEqual([
        ['c1', 'a1', 'Ann'],
        ['c1', 'a2', ''],
        ['c2', 'a1', 'Ann'],
        ['c4', 'a1', 'Ann'],
      ]);
    });

    it('finds a plan’s rows between two days, by day, item and person', async () => {
      const ledger = open('i');
      await ledger.claim(key({ id: 'r1', dateKey: '2018-09-03', personName: 'Bob' }), 't');
      await ledger.claim(key({ id: 'r2', dateKey: '2018-09-03', personId: 'x', personName: 'Ann' }), 't');
      await ledger.claim(key({ id: 'r3', dateKey: '2018-09-01', personId: 'y' }), 't');
      await ledger.claim(key({ id: 'r4', dateKey: '2018-09-10', personId: 'z' }), 't');
      await ledger.claim(key({ id: 'r5', planId: 'other', dateKey: '2018-09-03' }), 't');
      await ledger.claim(key({ id: 'r6', dateKey: '2018-09-02', itemKey: '*', reason: 'digest', personId: 'channel' }), 't');
      expect((await ledger.between('plan', '2018-09-02', '2018-09-09')).map((r) => r.id)).toEqual(['r6', 'r2', 'r1']);
    });
  });
}

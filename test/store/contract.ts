/**
 * The PlanStore contract: one suite that every adapter must pass unchanged (SQLite and Graph).
 * `makeStore` gives a fresh, empty store for each test; `dispose` releases it.
 */
import { planIdOf } from '../../src/domain/identity';
import type { Plan } from '../../src/domain/model';
import { ConflictError, NotFoundError, ValidationError } from '../../src/errors';
import type { PlanStore, StatusChange, StoredItem } from '../../src/store/planStore';
import { makeItem, makePlan } from './fixtures';

export interface StoreHandle {
  store: PlanStore;
  dispose?: () => Promise<void>;
}

export interface ContractOptions {
  /** The shared plan parsed by the real importer, when it is available. */
  sharedPlan?: () => Plan;
}

const change = (to: StatusChange['to'], extra: Partial<StatusChange> = {}): StatusChange => ({
  to,
  by: 'alex.lead@example.gov.uk',
  at: '2019-01-15T10:30:00.000Z',
  ...extra,
});

/** What listItems should return for a freshly imported plan (versions aside). */
function expectedItems(plan: Plan): Array<Omit<StoredItem, 'version'>> {
  const planId = planIdOf(plan.plan);
  return plan.items.map((item) => ({ ...item, planId }));
}

function withoutVersions(items: StoredItem[]): Array<Omit<StoredItem, 'version'>> {
  return items.map(({ version: _version, ...rest }) => rest);
}

export function runPlanStoreContract(name: string, makeStore: () => Promise<StoreHandle>, options: ContractOptions = {}): void {
  describe(`PlanStore contract: ${name}`, () => {
    let handle: StoreHandle;
    let store: PlanStore;

    beforeEach(async () => {
      handle = await makeStore();
      store = handle.store;
    });

    afterEach(async () => {
      await store.close();
      await handle.dispose?.();
    });

    describe('plans', () => {
      it('starts empty', async () => {
        expect(await store.listPlans()).toEqual([]);
        expect(await store.getPlan('no-such-plan')).toBeUndefined();
        expect(await store.listItems('no-such-plan')).toEqual([]);
        expect(await store.getItem('no-such-plan', 'a1-00000000')).toBeUndefined();
      });

      it('creates a plan with its header and every item, in document order', async () => {
        const plan = makePlan(12);
        const summary = await store.importPlan(plan);
        const planId = planIdOf(plan.plan);
        expect(summary).toEqual({ planId, created: 12, updated: 0, unchanged: 0 });
        expect(await store.getPlan(planId)).toEqual({
          id: planId,
          plan: plan.plan,
          objectives: plan.objectives,
          recommendations: plan.recommendations,
        });
        const items = await store.listItems(planId);
        expect(withoutVersions(items)).toEqual(expectedItems(plan));
        for (const item of items) expect(typeof item.version).toBe('string');
        const one = plan.items[4]!;
        expect(withoutVersions([(await store.getItem(planId, one.key))!])).toEqual([{ ...one, planId }]);
      });

      it('lists plans newest first, and a re-import does not reorder them', async () => {
        const first = makePlan(2, 'First Borough');
        const second = makePlan(2, 'Second Borough');
        await store.importPlan(first);
        await store.importPlan(second);
        await store.importPlan(first);
        expect((await store.listPlans()).map((p) => p.id)).toEqual([planIdOf(second.plan), planIdOf(first.plan)]);
      });

      it('keeps plans apart', async () => {
        const first = makePlan(3, 'First Borough');
        const second = makePlan(5, 'Second Borough');
        await store.importPlan(first);
        await store.importPlan(second);
        expect(await store.listItems(planIdOf(first.plan))).toHaveLength(3);
        expect(await store.listItems(planIdOf(second.plan))).toHaveLength(5);
      });

      it('reports progress up to the total', async () => {
        const seen: Array<{ done: number; total: number }> = [];
        await store.importPlan(makePlan(30), { onProgress: (p) => seen.push(p) });
        expect(seen.length).toBeGreaterThan(0);
        expect(seen.at(-1)).toEqual({ done: 30, total: 30 });
        for (const p of seen) expect(p.total).toBe(30);
      });

      it('refuses items with a repeated key and writes nothing', async () => {
        const plan = makePlan(3);
        plan.items.push({ ...plan.items[0]! });
        await expect(store.importPlan(plan)).rejects.toBeInstanceOf(ValidationError);
        expect(await store.listItems(planIdOf(plan.plan))).toEqual([]);
      });
    });

    describe('re-import', () => {
      it('changes nothing when the document is unchanged', async () => {
        const plan = makePlan(10);
        await store.importPlan(plan);
        const before = await store.listItems(planIdOf(plan.plan));
        const summary = await store.importPlan(makePlan(10));
        expect(summary).toEqual({ planId: planIdOf(plan.plan), created: 0, updated: 0, unchanged: 10 });
        expect(await store.listItems(planIdOf(plan.plan))).toEqual(before);
      });

      it('updates changed document fields, adds new items and keeps reported status and history', async () => {
        const plan = makePlan(6);
        const planId = planIdOf(plan.plan);
        await store.importPlan(plan);
        const reported = (await store.getItem(planId, plan.items[2]!.key))!;
        await store.updateStatus(planId, reported.key, change('amber', { note: 'Venue booked' }), reported.version);
        const untouched = (await store.getItem(planId, plan.items[0]!.key))!;

        const next = makePlan(7);
        next.items[2] = { ...next.items[2]!, timescale: 'December 2019', milestones: ['2019-12-31'], status: 'not-reported' };
        const summary = await store.importPlan(next);
        expect(summary).toEqual({ planId, created: 1, updated: 1, unchanged: 5 });

        const after = (await store.getItem(planId, reported.key))!;
        expect(after.timescale).toBe('December 2019');
        expect(after.milestones).toEqual(['2019-12-31']);
        expect(after.status).toBe('amber');
        expect(after.lastUpdate?.note).toBe('Venue booked');
        expect(await store.history(planId, reported.key)).toHaveLength(1);
        expect((await store.getItem(planId, untouched.key))!.version).toBe(untouched.version);
        expect((await store.listItems(planId)).map((i) => i.key)).toEqual(next.items.map((i) => i.key));
      });

      it('updates the plan header when the document changes it', async () => {
        const plan = makePlan(2);
        const planId = planIdOf(plan.plan);
        await store.importPlan(plan);
        const next = makePlan(2);
        next.objectives = [...next.objectives, { number: 5, title: 'Added objective' }];
        next.recommendations = [];
        expect(await store.importPlan(next)).toEqual({ planId, created: 0, updated: 0, unchanged: 2 });
        expect(await store.getPlan(planId)).toEqual({ id: planId, plan: next.plan, objectives: next.objectives, recommendations: [] });
        expect(await store.listPlans()).toHaveLength(1);
      });

      it('keeps items the new document no longer has (their history stays reachable)', async () => {
        const plan = makePlan(4);
        const planId = planIdOf(plan.plan);
        await store.importPlan(plan);
        const shorter = makePlan(3);
        expect(await store.importPlan(shorter)).toEqual({ planId, created: 0, updated: 0, unchanged: 3 });
        expect(await store.getItem(planId, plan.items[3]!.key)).toBeDefined();
      });

      it('takes a new item status from the document, but never overwrites a stored one', async () => {
        const plan = makePlan(2);
        plan.items[1] = { ...plan.items[1]!, status: 'green' };
        const planId = planIdOf(plan.plan);
        await store.importPlan(plan);
        expect((await store.getItem(planId, plan.items[1]!.key))!.status).toBe('green');
        const again = makePlan(2);
        again.items[1] = { ...again.items[1]!, status: 'red' };
        await store.importPlan(again);
        expect((await store.getItem(planId, plan.items[1]!.key))!.status).toBe('green');
      });
    });

    it('pages through 2,500 items and returns every one exactly once, in order', async () => {
      const plan = makePlan(2500);
      const planId = planIdOf(plan.plan);
      expect(await store.importPlan(plan)).toMatchObject({ created: 2500 });
      const items = await store.listItems(planId);
      expect(items).toHaveLength(2500);
      expect(items.map((i) => i.key)).toEqual(plan.items.map((i) => i.key));
      expect(new Set(items.map((i) => i.key)).size).toBe(2500);
      for (const i of [0, 199, 200, 1999, 2000, 2499]) {
        const { version: _v, ...rest } = items[i]!;
        expect(rest).toEqual({ ...makeItem(i), planId });
      }
    });

    describe('status', () => {
      let planId: string;
      let key: string;
      beforeEach(async () => {
        const plan = makePlan(3);
        planId = planIdOf(plan.plan);
        key = plan.items[1]!.key;
        await store.importPlan(plan);
      });

      it('lists the same frozen items until one changes, and the changed one afresh (the API keeps their bytes)', async () => {
        const first = await store.listItems(planId);
        const again = await store.listItems(planId);
        expect(again).toHaveLength(first.length);
        again.forEach((item, i) => {
          expect(item).toBe(first[i]);
          expect(Object.isFrozen(item)).toBe(true);
        });
        const before = first.find((i) => i.key === key)!;
        const updated = await store.updateStatus(planId, key, change('amber'), before.version);
        const after = await store.listItems(planId);
        const now = after.find((i) => i.key === key)!;
        expect(now).not.toBe(before);
        expect(now).toEqual(updated);
        expect(before.status).toBe('not-reported');
      });

      it('records a report on the item and appends it to history', async () => {
        const before = (await store.getItem(planId, key))!;
        const updated = await store.updateStatus(
          planId,
          key,
          change('red', {
            note: 'Provider withdrew',
            figures: { 0: 12 },
            revisedDate: '2019-06-30',
            revision: {
              milestone: before.milestones[0]!,
              to: '2019-06-30',
              at: '2019-01-15T10:30:00.000Z',
              by: 'alex.lead@example.gov.uk',
            },
            revisedFrom: before.milestones[0]!,
            via: 'teams',
            byId: 'OID-ALEX',
          }),
          before.version,
        );
        expect(updated.status).toBe('red');
        expect(updated.version).not.toBe(before.version);
        expect(updated.lastUpdate).toEqual({
          at: '2019-01-15T10:30:00.000Z',
          by: 'alex.lead@example.gov.uk',
          note: 'Provider withdrew',
          figures: { 0: 12 },
          revisedDate: '2019-06-30',
        });
        expect(updated.title).toBe(before.title);
        expect(await store.getItem(planId, key)).toEqual(updated);

        const second = await store.updateStatus(
          planId,
          key,
          change('green', { at: '2019-02-01T09:00:00.000Z', by: 'Sam' }),
          updated.version,
        );
        expect(second.lastUpdate).toEqual({ at: '2019-02-01T09:00:00.000Z', by: 'Sam' });
        expect(await store.history(planId, key)).toEqual([
          {
            itemKey: key,
            at: '2019-01-15T10:30:00.000Z',
            by: 'alex.lead@example.gov.uk',
            from: 'not-reported',
            to: 'red',
            note: 'Provider withdrew',
            figures: { 0: 12 },
            revisedDate: '2019-06-30',
            revisedFrom: before.milestones[0]!,
            via: 'teams',
            byId: 'OID-ALEX',
          },
          { itemKey: key, at: '2019-02-01T09:00:00.000Z', by: 'Sam', from: 'red', to: 'green' },
        ]);
      });

      it('keeps a corrective action with the report, in history and on the item', async () => {
        const before = (await store.getItem(planId, key))!;
        const updated = await store.updateStatus(
          planId,
          key,
          change('amber', { note: 'Venue fell through', correctiveAction: 'Second venue booked for October' }),
          before.version,
        );
        expect(updated.lastUpdate).toMatchObject({ note: 'Venue fell through', correctiveAction: 'Second venue booked for October' });
        expect(await store.getItem(planId, key)).toEqual(updated);
        expect((await store.history(planId, key))[0]).toMatchObject({ to: 'amber', correctiveAction: 'Second venue booked for October' });
      });

      it('keeps milestone revisions across later reports and re-imports; an edit of the milestones replaces them', async () => {
        const plan = makePlan(3);
        const first = (await store.getItem(planId, key))!;
        const planned = first.milestones[0]!;
        const revision = { milestone: planned, to: '2027-06-30', at: '2019-01-15T10:30:00.000Z', by: 'Ann' };
        const red = await store.updateStatus(
          planId,
          key,
          change('red', { note: 'late', revisedDate: '2027-06-30', revision, revisedFrom: planned }),
          first.version,
        );
        expect(red.revisions).toEqual([revision]);
        const amber = await store.updateStatus(
          planId,
          key,
          change('amber', { note: 'better', at: '2019-02-01T09:00:00.000Z' }),
          red.version,
        );
        expect(amber.revisions).toEqual([revision]);
        expect(amber.milestones).toEqual(first.milestones);
        // The plan document says nothing of revisions: a re-import keeps them.
        await store.importPlan(plan);
        expect((await store.getItem(planId, key))!.revisions).toEqual([revision]);
        // A revised date needs the milestone it moves, and the other way round.
        await expect(
          store.updateStatus(planId, key, change('red', { note: 'x', revisedDate: '2027-07-31' }), amber.version),
        ).rejects.toBeInstanceOf(ValidationError);

        const edited = await store.updateItem(planId, key, { milestones: ['2019-12-31'] }, amber.version, {
          by: 'Coordinator',
          at: '2019-03-01T09:00:00.000Z',
          via: 'tab',
        });
        expect(edited.revisions).toBeUndefined();
        expect(edited.milestones).toEqual(['2019-12-31']);
        const history = await store.history(planId, key);
        expect(history.map((h) => [h.kind ?? 'report', h.to])).toEqual([
          ['report', 'red'],
          ['report', 'amber'],
          ['plan-edit', 'amber'],
        ]);
        expect(history[2]).toEqual({
          itemKey: key,
          at: '2019-03-01T09:00:00.000Z',
          by: 'Coordinator',
          via: 'tab',
          from: 'amber',
          to: 'amber',
          kind: 'plan-edit',
          milestonesBefore: [...first.milestones.slice(1), '2027-06-30'].sort(),
          milestonesAfter: ['2019-12-31'],
        });
        // An edit that leaves the dates as they are adds nothing to history.
        await store.updateItem(planId, key, { title: 'Renamed', milestones: ['2019-12-31'] }, edited.version, {
          by: 'Coordinator',
          at: '2019-03-02T09:00:00.000Z',
        });
        expect(await store.history(planId, key)).toHaveLength(3);
      });

      it('gives the whole plan history oldest first, and one item on request', async () => {
        const items = await store.listItems(planId);
        await store.updateStatus(planId, items[2]!.key, change('amber', { at: '2019-01-01T00:00:00.000Z' }), items[2]!.version);
        await store.updateStatus(planId, items[0]!.key, change('green', { at: '2019-01-02T00:00:00.000Z' }), items[0]!.version);
        const all = await store.history(planId);
        expect(all.map((h) => [h.itemKey, h.to])).toEqual([
          [items[2]!.key, 'amber'],
          [items[0]!.key, 'green'],
        ]);
        expect((await store.history(planId, items[0]!.key)).map((h) => h.to)).toEqual(['green']);
        expect(await store.history(planId, key)).toEqual([]);
      });

      it('turns a concurrent update into a conflict, not a lost write', async () => {
        const seenByA = (await store.getItem(planId, key))!;
        const seenByB = (await store.getItem(planId, key))!;
        await store.updateStatus(planId, key, change('amber', { by: 'A', note: 'first' }), seenByA.version);
        const attempt = store.updateStatus(planId, key, change('red', { by: 'B', note: 'second' }), seenByB.version);
        await expect(attempt).rejects.toBeInstanceOf(ConflictError);
        const error = (await attempt.catch((e: unknown) => e)) as ConflictError;
        const current = error.current as StoredItem;
        expect(current.status).toBe('amber');
        expect(current.lastUpdate?.by).toBe('A');
        const stored = (await store.getItem(planId, key))!;
        expect(stored.status).toBe('amber');
        expect(stored.version).toBe(current.version);
        expect((await store.history(planId, key)).map((h) => h.by)).toEqual(['A']);
        // B resolves by retrying against what is stored now.
        const resolved = await store.updateStatus(planId, key, change('red', { by: 'B' }), current.version);
        expect(resolved.status).toBe('red');
        expect((await store.history(planId, key)).map((h) => [h.from, h.to])).toEqual([
          ['not-reported', 'amber'],
          ['amber', 'red'],
        ]);
      });

      it('refuses an unknown status or item and writes nothing', async () => {
        const item = (await store.getItem(planId, key))!;
        await expect(
          store.updateStatus(planId, key, { ...change('red'), to: 'purple' as StatusChange['to'] }, item.version),
        ).rejects.toBeInstanceOf(ValidationError);
        await expect(store.updateStatus(planId, 'a9-ffffffff', change('red'), item.version)).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.getItem(planId, key)).toEqual(item);
        expect(await store.history(planId)).toEqual([]);
      });
    });

    describe('co-ordinator edits', () => {
      it('patches document fields under the same concurrency rule, keeping status', async () => {
        const plan = makePlan(3);
        const planId = planIdOf(plan.plan);
        await store.importPlan(plan);
        const key = plan.items[0]!.key;
        const reported = await store.updateStatus(planId, key, change('green'), (await store.getItem(planId, key))!.version);
        const edited = await store.updateItem(
          planId,
          key,
          { title: 'Renamed workstream', milestones: ['2019-09-30'], leads: ['Head of Youth Services'] },
          reported.version,
        );
        expect(edited).toMatchObject({
          title: 'Renamed workstream',
          milestones: ['2019-09-30'],
          leads: ['Head of Youth Services'],
          status: 'green',
        });
        expect(edited.outcomes).toEqual(plan.items[0]!.outcomes);
        expect(edited.version).not.toBe(reported.version);
        await expect(store.updateItem(planId, key, { title: 'Stale edit' }, reported.version)).rejects.toBeInstanceOf(ConflictError);
        expect((await store.getItem(planId, key))!.title).toBe('Renamed workstream');
        await expect(store.updateItem(planId, 'a9-ffffffff', { title: 'x' }, '1')).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    describe('lead directory', () => {
      it('creates, reads, replaces and removes roles, per plan', async () => {
        const a = makePlan(1, 'First Borough');
        const b = makePlan(1, 'Second Borough');
        await store.importPlan(a);
        await store.importPlan(b);
        const planA = planIdOf(a.plan);
        const planB = planIdOf(b.plan);
        expect(await store.listDirectory(planA)).toEqual([]);

        const sam = { id: '11111111-1111-1111-1111-111111111111', name: 'Sam Patel', email: 'sam.patel@example.gov.uk' };
        const jo = { id: 'local-jo', name: 'Jo Smith' };
        await store.setPeople(planA, 'Prevent Co-ordinator', [sam]);
        await store.setPeople(planA, 'Community Safety Manager', [jo, sam]);
        await store.setPeople(planB, 'Prevent Co-ordinator', [jo]);
        expect(await store.listDirectory(planA)).toEqual([
          { role: 'Community Safety Manager', people: [jo, sam] },
          { role: 'Prevent Co-ordinator', people: [sam] },
        ]);

        await store.setPeople(planA, 'Prevent Co-ordinator', [jo]);
        await store.removeRole(planA, 'Community Safety Manager');
        await store.removeRole(planA, 'No such role');
        expect(await store.listDirectory(planA)).toEqual([{ role: 'Prevent Co-ordinator', people: [jo] }]);
        expect(await store.listDirectory(planB)).toEqual([{ role: 'Prevent Co-ordinator', people: [jo] }]);
      });

      it("keeps who is away and who is a role's deputy", async () => {
        const plan = makePlan(1);
        await store.importPlan(plan);
        const id = planIdOf(plan.plan);
        const lead = { id: 'oid-lead', name: 'Lee Lead', email: 'lee@example.gov.uk', away: true };
        const deputy = { id: 'oid-dep', name: 'Dee Deputy', deputy: true };
        await store.setPeople(id, 'Prevent Co-ordinator', [lead, deputy]);
        expect(await store.listDirectory(id)).toEqual([{ role: 'Prevent Co-ordinator', people: [lead, deputy] }]);
        await store.setPeople(id, 'Prevent Co-ordinator', [{ id: 'oid-lead', name: 'Lee Lead', email: 'lee@example.gov.uk' }, deputy]);
        expect((await store.listDirectory(id))[0]!.people[0]).toEqual({ id: 'oid-lead', name: 'Lee Lead', email: 'lee@example.gov.uk' });
      });

      it('keeps a partner held by e-mail only (id mailto:<address>) beside people in the tenant', async () => {
        const plan = makePlan(1);
        await store.importPlan(plan);
        const id = planIdOf(plan.plan);
        const partner = { id: 'mailto:dc.jones@met.police.uk', name: 'DC Jones (MPS)', email: 'DC.Jones@met.police.uk' };
        const officer = { id: 'oid-officer', name: 'Olu Officer', email: 'olu@example.gov.uk' };
        await store.setPeople(id, 'MPS', [partner, officer]);
        expect(await store.listDirectory(id)).toEqual([{ role: 'MPS', people: [partner, officer] }]);
      });

      it('refuses a directory entry for an unknown plan', async () => {
        await expect(store.setPeople('no-such-plan', 'Lead', [])).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    const sharedPlan = options.sharedPlan;
    if (sharedPlan) {
      it('imports the shared delivery plan once, and a second import changes nothing', async () => {
        const plan = sharedPlan();
        const planId = planIdOf(plan.plan);
        expect(await store.importPlan(plan)).toEqual({ planId, created: 31, updated: 0, unchanged: 0 });
        const items = await store.listItems(planId);
        expect(items.map((i) => i.key)).toEqual(plan.items.map((i) => i.key));
        expect(withoutVersions(items)).toEqual(expectedItems(plan));
        expect(await store.importPlan(sharedPlan())).toEqual({ planId, created: 0, updated: 0, unchanged: 31 });
        expect(await store.listItems(planId)).toEqual(items);
      });
    }
  });
}

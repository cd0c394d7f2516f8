import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { planIdOf } from '../../src/domain/identity';
import { SqlitePlanStore } from '../../src/store/sqlite/sqlitePlanStore';
import { MIGRATIONS } from '../../src/store/sqlite/migrations';
import { runPlanStoreContract } from './contract';
import { makePlan } from './fixtures';
import { sharedPlan } from './sharedPlan';
import Database from 'better-sqlite3';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-sqlite-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
runPlanStoreContract(
  'sqlite',
  async () => {
    const file = path.join(dir, `contract-${n++}.sqlite`);
    return { store: new SqlitePlanStore(file), dispose: async () => fs.rmSync(file, { force: true }) };
  },
  { sharedPlan },
);

describe('SqlitePlanStore', () => {
  it('creates the folder of its file and keeps everything across a reopen', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'plan.sqlite');
    const plan = makePlan(5);
    const planId = planIdOf(plan.plan);
    const first = new SqlitePlanStore(file);
    await first.importPlan(plan);
    const item = (await first.getItem(planId, plan.items[0]!.key))!;
    await first.updateStatus(planId, item.key, { to: 'amber', by: 'Sam', at: '2019-01-01T00:00:00Z' }, item.version);
    await first.setPeople(planId, 'Lead', [{ id: 'p1', name: 'Sam' }]);
    await first.close();

    const second = new SqlitePlanStore(file);
    expect((await second.getItem(planId, item.key))!.status).toBe('amber');
    expect(await second.history(planId)).toHaveLength(1);
    expect(await second.listDirectory(planId)).toEqual([{ role: 'Lead', people: [{ id: 'p1', name: 'Sam' }] }]);
    expect(await second.importPlan(makePlan(5))).toMatchObject({ created: 0, unchanged: 5 });
    await second.close();
  });

  it('records the schema level and refuses a database from a newer version', async () => {
    const file = path.join(dir, 'level.sqlite');
    await new SqlitePlanStore(file).close();
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => new SqlitePlanStore(file)).toThrow(/newer/);
  });

  it('rolls a failed import back entirely', async () => {
    const store = new SqlitePlanStore(':memory:');
    const plan = makePlan(4);
    // A cyclic value cannot be stored: the failure comes after the plan row and the first items are written.
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    (plan.items[3] as unknown as Record<string, unknown>).provider = cyclic;
    await expect(store.importPlan(plan)).rejects.toThrow();
    expect(await store.listPlans()).toEqual([]);
    expect(await store.listItems(planIdOf(plan.plan))).toEqual([]);
    await store.close();
  });
});

describe('SqlitePlanStore shared by two processes', () => {
  it('lets a second connection to the same file see writes and get a conflict on a stale version', async () => {
    const file = path.join(dir, 'shared.sqlite');
    const server = new SqlitePlanStore(file);
    const cli = new SqlitePlanStore(file);
    const plan = makePlan(2);
    const planId = planIdOf(plan.plan);
    await cli.importPlan(plan);
    const seen = (await server.getItem(planId, plan.items[0]!.key))!;
    await cli.updateStatus(planId, seen.key, { to: 'red', by: 'CLI', at: '2019-01-01T00:00:00Z' }, seen.version);
    await expect(
      server.updateStatus(planId, seen.key, { to: 'green', by: 'Tab', at: '2019-01-02T00:00:00Z' }, seen.version),
    ).rejects.toMatchObject({
      name: 'ConflictError',
    });
    expect((await server.history(planId)).map((h) => h.by)).toEqual(['CLI']);
    await server.close();
    await cli.close();
  });

  it("reads a plan's items again after any write, its own or another process's, and hands out items nobody can alter", async () => {
    const file = path.join(dir, 'kept.sqlite');
    const server = new SqlitePlanStore(file);
    const cli = new SqlitePlanStore(file);
    const plan = makePlan(3);
    const planId = planIdOf(plan.plan);
    await server.importPlan(plan);
    const [first] = await server.listItems(planId);
    expect((await server.listItems(planId))[0]).toBe(first); // nothing changed: the items read before
    expect(() => Object.assign(first!, { status: 'red' })).toThrow(TypeError);

    await cli.updateStatus(planId, first!.key, { to: 'red', by: 'CLI', at: '2019-01-01T00:00:00Z' }, first!.version);
    const afterCli = (await server.listItems(planId)).find((i) => i.key === first!.key)!;
    expect(afterCli).toMatchObject({ status: 'red', version: String(Number(first!.version) + 1) });

    await server.updateStatus(
      planId,
      first!.key,
      { to: 'amber', by: 'Tab', note: 'Slipping', at: '2019-01-02T00:00:00Z' },
      afterCli.version,
    );
    expect((await server.listItems(planId)).find((i) => i.key === first!.key)?.status).toBe('amber');
    expect((await cli.listItems(planId)).find((i) => i.key === first!.key)?.status).toBe('amber');
    await server.close();
    await cli.close();
  });
});

/**
 * An instance that joins sends nothing until every other live instance has counted it and lowered
 * its share, however slowly their heartbeats come (a busy machine), so the shares in use never add
 * up to more than the tenant's 50 requests/s.
 */
import type { TableClient } from '@azure/data-tables';
import { createLogger } from '../../src/logger';
import { InstanceHeartbeats, shareOf } from '../../src/state/azure/instanceHeartbeats';
import { openStorageAccount, stateName } from '../../src/state/azure/storageAccount';
import { startAzurite, type Azurite } from '../support/azurite';

jest.setTimeout(60_000);

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite.stop();
});

/** A heartbeat table of its own for a test, in this file's Azurite. */
async function instancesTable(prefix: string): Promise<TableClient> {
  const config = { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, STATE_PREFIX: prefix };
  const account = openStorageAccount(config);
  const name = stateName(config, 'instances');
  await account.ensure({ tables: [name] });
  return account.table(name);
}

it('lets a new instance send only once a slow-beating one has lowered its share', async () => {
  const table = await instancesTable('beats');
  const open = (instanceId: string, intervalMs: number) =>
    new InstanceHeartbeats({ table, instanceId, logger: createLogger('silent'), intervalMs, ttlMs: 60_000 });
  // The first instance beats only every 3 s (its event loop is busy); alone, it has the whole budget.
  const slow = open('a-slow', 3_000);
  await slow.start();
  await slow.ready();
  expect(slow.tenantWindows[0]!.limit).toBe(50);
  const joining = open('b-joining', 100);
  await joining.start();
  let readyAt: number | undefined;
  const ready = joining.ready().then(() => {
    readyAt = Date.now();
  });
  const startedAt = Date.now();
  await ready;
  // Not after a fixed two beats of its own (0.2 s): only once the slow one had counted it.
  expect(readyAt! - startedAt).toBeGreaterThan(1_000);
  expect(slow.tenantWindows[0]!.limit).toBe(25);
  expect(joining.tenantWindows[0]!.limit + slow.tenantWindows[0]!.limit).toBeLessThanOrEqual(50);
  await joining.stop();
  await slow.stop();
});

it('fences an instance whose own heartbeat is stale before any other may count it gone, and has it join again after', async () => {
  const table = await instancesTable('fence');
  let now = 1_000_000;
  // Beats only when told (a long interval), gone after 4 s, on a clock the test moves.
  const open = (instanceId: string) =>
    new InstanceHeartbeats({
      table,
      instanceId,
      logger: createLogger('silent'),
      intervalMs: 600_000,
      ttlMs: 4_000,
      now: () => now,
    });
  const stalled = open('a-stalled');
  expect(stalled.mayStart()).toBe(false); // no row written yet: nobody counts it
  await stalled.start();
  expect(stalled.mayStart()).toBe(false); // alone, so counted by all at once; it joins a window later
  now += 1_100;
  await stalled.beatNow(); // its last row: 1,001,100; no beat of it lands after this one
  expect(stalled.mayStart()).toBe(true);
  now += 1_999;
  expect(stalled.mayStart()).toBe(true);
  now += 1;
  // 2 s on: 4 s (when others count it gone) less the tenant window (1 s) and a margin (1 s).
  expect(stalled.mayStart()).toBe(false);
  // Until its row is 4 s old another instance counts it live (and keeps its own share down for it).
  now = 1_005_099;
  const watcher = open('b-watcher');
  await watcher.start();
  expect(watcher.isLive('a-stalled')).toBe(true);
  expect(shareOf(50, watcher.liveInstances(), 'b-watcher')).toBe(25);
  now = 1_005_101;
  const late = open('c-late');
  await late.start();
  expect(late.isLive('a-stalled')).toBe(false);
  // Its row lands again, 4 s after the last: the others may have taken its share, so it joins again.
  await stalled.beatNow();
  expect(stalled.mayStart()).toBe(false);
  await Promise.all([watcher.beatNow(), late.beatNow()]); // they see it, and lower
  await stalled.beatNow();
  expect(stalled.mayStart()).toBe(false);
  await Promise.all([watcher.beatNow(), late.beatNow()]); // their rows now say they counted it
  await stalled.beatNow();
  expect(stalled.mayStart()).toBe(false); // and what they sent at their larger shares must leave the window
  now += 1_101;
  await Promise.all([watcher.beatNow(), late.beatNow()]);
  await stalled.beatNow();
  expect(stalled.mayStart()).toBe(true);
  expect(stalled.tenantWindows[0]!.limit).toBe(shareOf(50, new Set(['a-stalled', 'b-watcher', 'c-late']), 'a-stalled'));
  await Promise.all([stalled.stop(), watcher.stop(), late.stop()]);
});

it('has a process restarted on the same machine take over its slot and share, never sending while its predecessor might', async () => {
  const table = await instancesTable('slots');
  let now = 2_000_000;
  const open = (instanceId: string, slot?: string) =>
    new InstanceHeartbeats({
      table,
      instanceId,
      ...(slot ? { slot } : {}),
      logger: createLogger('silent'),
      intervalMs: 600_000,
      ttlMs: 4_000,
      now: () => now,
    });
  const other = open('other-pid', 'vm-2');
  await other.start();
  const first = open('first-pid', 'vm-1');
  await first.start(); // its last row: 2,000,000
  await other.beatNow();
  expect(other.liveInstances()).toEqual(new Set(['vm-1', 'vm-2']));

  // The first process dies; 1.5 s later it is restarted on the same machine.
  now += 1_500;
  const restarted = open('restarted-pid', 'vm-1');
  await restarted.start();
  await other.beatNow();
  // The machine was never counted gone (the shares stay as they were); the old process's claims are not live.
  expect(other.liveInstances()).toEqual(new Set(['vm-1', 'vm-2']));
  expect(other.isLive('first-pid')).toBe(false);
  expect(other.isLive('restarted-pid')).toBe(true);
  expect(restarted.tenantWindows[0]!.limit).toBe(25);
  // Not before the old process's fence has closed (2 s after its last row) and its sends left the window (1 s).
  now = 2_003_099;
  expect(restarted.mayStart()).toBe(false);
  now = 2_003_100;
  expect(restarted.mayStart()).toBe(true);

  // Had the old process still been alive, its next beat finds the row taken: it stops at once and
  // joins again under its own id, as a new instance, without raising anyone's share.
  expect(first.mayStart()).toBe(false); // its own row is 3.1 s old: fenced already
  await first.beatNow();
  expect(first.mayStart()).toBe(false);
  expect(first.liveInstances()).toEqual(new Set(['first-pid', 'vm-1', 'vm-2']));
  expect(first.tenantWindows[0]!.limit).toBe(1);
  await Promise.all([other.beatNow(), restarted.beatNow()]);
  expect(restarted.isLive('first-pid')).toBe(true);
  expect(other.tenantWindows[0]!.limit + restarted.tenantWindows[0]!.limit + first.tenantWindows[0]!.limit).toBeLessThanOrEqual(50);
  await Promise.all([other.stop(), first.stop(), restarted.stop()]);
});

it('has a process whose machine was already counted gone join as a new instance', async () => {
  const table = await instancesTable('slotgone');
  let now = 3_000_000;
  const open = (instanceId: string, slot: string) =>
    new InstanceHeartbeats({ table, instanceId, slot, logger: createLogger('silent'), intervalMs: 600_000, ttlMs: 4_000, now: () => now });
  const other = open('other-pid', 'vm-2');
  const first = open('first-pid', 'vm-1');
  await first.start();
  await other.start();
  now += 3_000; // 3 s: within a second of being counted gone (the fence margin), too late to take over
  const restarted = open('restarted-pid', 'vm-1');
  await restarted.start();
  await other.beatNow();
  await restarted.beatNow();
  // Its share is not the machine's yet: it rises only once it has joined (ready: counted by all, then a window).
  expect(restarted.tenantWindows[0]!.limit).toBe(1);
  expect(other.isLive('restarted-pid')).toBe(true);
  await Promise.all([other.stop(), first.stop(), restarted.stop()]);
});

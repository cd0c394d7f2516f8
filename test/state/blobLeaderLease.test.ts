/** One scheduler at a time: leader election on a blob lease, against Azurite. */
import { BlobLeaderLease } from '../../src/state/azure/blobLeaderLease';
import { openStorageAccount } from '../../src/state/azure/storageAccount';
import { createLogger } from '../../src/logger';
import { startAzurite, type Azurite } from '../support/azurite';
import { waitUntil } from '../support/waitUntil';

jest.setTimeout(90_000);

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite.stop();
});

function instances(n: number, container: string): BlobLeaderLease[] {
  const account = openStorageAccount({ AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, STATE_PREFIX: 'dplan' });
  return Array.from(
    { length: n },
    () => new BlobLeaderLease({ container: account.container(container), leaseSeconds: 15, logger: createLogger('silent') }),
  );
}

const leaders = (all: BlobLeaderLease[]) => all.filter((l) => l.isLeader()).length;

it('exactly one of three instances leads; when it dies another takes over within one lease period', async () => {
  const all = instances(3, 'leases-a');
  const became: number[] = [];
  all.forEach((l, i) => l.onLeading(() => became.push(i)));
  await Promise.all(all.map((l) => l.start()));
  expect(leaders(all)).toBe(1);
  const first = all.findIndex((l) => l.isLeader());
  expect(became).toEqual([first]);

  // The leader crashes: it stops renewing and never gives the lease up.
  const started = Date.now();
  await all[first]!.abandon();
  const rest = all.filter((_, i) => i !== first);
  await waitUntil(() => leaders(rest) === 1, { timeoutMs: 40_000, what: 'another instance to take the lease' });
  expect(Date.now() - started).toBeLessThan(15_000 + 5_000 + 5_000);
  expect(leaders(all)).toBe(1);
  expect(became).toHaveLength(2);
  await Promise.all(all.map((l) => l.stop()));
});

it('hands over at once when the leader stops cleanly', async () => {
  const all = instances(2, 'leases-b');
  await Promise.all(all.map((l) => l.start()));
  const leader = all.find((l) => l.isLeader())!;
  const other = all.find((l) => l !== leader)!;
  await leader.stop();
  await waitUntil(() => other.isLeader(), { timeoutMs: 10_000, what: 'the other instance to lead' });
  await other.stop();
});

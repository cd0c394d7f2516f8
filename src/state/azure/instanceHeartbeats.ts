/**
 * Which instances are alive, from a heartbeat row each writes every `intervalMs` (Azure Table
 * storage), and this instance's share of the per-tenant send budget: 50 requests/s per app per
 * tenant is split between the live instances so that the shares add up to exactly 50 (floor(50 / n)
 * each, and one more for the first 50 mod n by instance id: 17 + 17 + 16 for three), so that however
 * the workers of n instances send, the tenant never sees more than 50 in a second.
 *
 * Why this is safe while instances come and go: an instance that starts counts itself at once but
 * sends nothing until every other live instance has lowered its share (each heartbeat row names the
 * instances its writer counted at its last beat, and it lowered its share then) and what they sent
 * at their larger shares has left the tenant's window; waiting a fixed two heartbeats was not enough
 * on a busy machine, where a beat can take longer than that (bench load saw 54 in a second); one
 * that dies keeps its share reserved until its row is `ttlMs` old, so the rest only grow into the
 * budget after it has stopped. Each instance also fences itself: it sends only while its own last
 * written heartbeat is younger than `ttlMs` less the tenant window and a margin (`mayStart`), so by
 * the time the others may count it gone (its row `ttlMs` old) what it sent has left the window. A
 * storage stall delays every instance's beats at once, and the first to beat after it sees the
 * others' rows old; without the fence it took their shares while they sent on (bench load saw 84
 * requests in one second: 50 + 17 + 17). An instance that cannot write its row sends nothing, and
 * one whose row landed so late that others may have counted it gone joins again as a new one does.
 * A process restarted on the same machine (App Service's WEBSITE_INSTANCE_ID, the `slot`) takes its
 * predecessor's row over with an ETag-conditional write, so the others never count the machine gone
 * and keep their shares: it sends once the predecessor's fence has closed and what it sent has left
 * the window (`sendFrom`). Every beat is conditional on the row's ETag, so a predecessor still alive
 * finds its row taken at its next beat, stops at once, and joins again under its own id.
 * While some instances still see a stopped one and others no longer do, the shares still add up to
 * at most 50, because seeing more instances never gives any one of them more: with more seen,
 * either the even share drops, or it stays and fewer extras go to ranks that can only have risen
 * (test/state/instanceShares.test.ts checks every case up to 15 instances).
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit#per-bot-per-thread-limit
 */
import { odata, type TableClient } from '@azure/data-tables';
import type { Logger } from '../../logger';
import { rowKey } from './keys';
import { statusOf } from './storageErrors';

const PARTITION = 'instance';
/** Beyond the tenant window: a request still on its way, and the instances' clocks (NTP-synced, within milliseconds). */
const FENCE_MARGIN_MS = 1_000;

export interface BudgetWindow {
  limit: number;
  ms: number;
}

/**
 * An instance's share of `limit` among `live` (its own id included): floor(limit / n), and one more
 * for the first limit mod n ids in order, so the shares add up to `limit`.
 */
export function shareOf(limit: number, live: ReadonlySet<string>, instanceId: string): number {
  const n = Math.max(1, live.size);
  const even = Math.floor(limit / n);
  const rank = [...live].sort().indexOf(instanceId);
  const extra = rank >= 0 && rank < limit % n ? 1 : 0;
  return Math.max(1, even + extra);
}

/** A heartbeat row: the slot (row key) held by the process `instanceId` at `at`, and whom it counted then. */
interface BeatRow {
  instanceId: string;
  slot?: string;
  at: number;
  counts?: string;
}

export class InstanceHeartbeats {
  private timer: NodeJS.Timeout | undefined;
  /** The live slots (this one included): the shares are split between them. */
  private live = new Set<string>();
  /** The processes holding the live slots (the ledger's `claimedBy`), this one included. */
  private holders = new Set<string>();
  /** The row this process holds: its slot, or its own id once it has no slot (or lost it). */
  private slot: string;
  /** The ETag of this process's row as it last wrote it: every beat replaces exactly that row. */
  private etag: string | undefined;
  /** Before this, the earlier process in the slot may still have had requests in the tenant's window. */
  private sendFrom = Number.NEGATIVE_INFINITY;
  private beating: Promise<void> = Promise.resolve();
  /** Whom each live instance counted at its last beat (from its row). */
  private counted = new Map<string, readonly string[]>();
  /** The `at` of this instance's last heartbeat row written (undefined: none yet). */
  private writtenAt: number | undefined;
  /**
   * Joining: it sends nothing, and its share stays at 1, until every other live instance has
   * counted it (they have lowered their shares) and a window has passed for what they sent at their
   * larger shares. A new instance joins; so does one whose rows stopped landing for so long that
   * others may have counted it gone, and one that lost its slot. One that took a slot over does not.
   */
  private joining = true;
  /** When every other live instance was first seen to count this one (joining). */
  private countedSince: number | undefined;
  private stopping = false;
  /** The per-tenant window this instance's rate limiter counts against (its `limit` follows the share). */
  readonly tenantWindows: BudgetWindow[];

  constructor(
    private readonly options: {
      table: TableClient;
      instanceId: string;
      logger: Logger;
      /**
       * The machine's stable name (App Service: WEBSITE_INSTANCE_ID): a process restarted there
       * takes over its predecessor's row and share. Default: this process's id (a new instance).
       */
      slot?: string;
      /** Requests per second per app per tenant (Teams: 50). */
      tenantLimit?: number;
      intervalMs?: number;
      ttlMs?: number;
      now?: () => number;
    },
  ) {
    this.tenantWindows = [{ limit: 1, ms: 1_000 }];
    this.slot = options.slot ?? options.instanceId;
  }

  private get interval() {
    return this.options.intervalMs ?? 1_000;
  }

  private get now() {
    return (this.options.now ?? Date.now)();
  }

  private get ttl() {
    return this.options.ttlMs ?? 4 * this.interval;
  }

  /**
   * Whether this instance may put a request on its way now: its last heartbeat row is younger than
   * the time after which the others count it gone, less the tenant window (what it sent must have
   * left it) and a second of margin for a request on its way and the instances' clocks.
   */
  mayStart(): boolean {
    const now = this.now;
    return (
      !this.joining &&
      this.writtenAt !== undefined &&
      now - this.writtenAt < this.ttl - this.windowMs - FENCE_MARGIN_MS &&
      now >= this.sendFrom
    );
  }

  private get windowMs() {
    return Math.max(...this.tenantWindows.map((w) => w.ms));
  }

  /** One heartbeat now (the timer beats every interval). */
  beatNow(): Promise<void> {
    this.beating = this.beating.then(() => this.beat());
    return this.beating;
  }

  /** The instances (slots) whose heartbeat is fresh (this one included). */
  liveInstances(): ReadonlySet<string> {
    return this.live;
  }

  /** Whether the process `instanceId` (a ledger claim's `claimedBy`) holds a live row. */
  isLive(instanceId: string): boolean {
    return this.holders.has(instanceId);
  }

  /**
   * Before the first beat, for a named slot: an earlier process's row there, young enough that every
   * other instance still counts it, is taken over (the first beat replaces exactly it: a 412 means
   * its process beat meanwhile and is alive). The earlier process's last beat stands for this one's
   * until then, so a first write that lands too late joins again as a new instance does.
   */
  private async claimSlot(): Promise<void> {
    if (this.slot === this.options.instanceId) return;
    let found: (BeatRow & { etag: string }) | undefined;
    try {
      found = await this.options.table.getEntity<BeatRow>(PARTITION, rowKey(this.slot));
    } catch (err) {
      if (statusOf(err) !== 404) {
        // Unknown whether an earlier process still holds the slot: never write over it; join under this process's id.
        this.options.logger.warn(
          { slot: this.slot, err: (err as Error).message },
          'could not read this instance slot; joining as a new instance',
        );
        this.slot = this.options.instanceId;
      }
      return;
    }
    this.etag = found.etag;
    if (this.now - found.at >= this.ttl - FENCE_MARGIN_MS) return; // others may count it gone: a new instance
    this.joining = false;
    this.writtenAt = found.at;
    // Its fence closed `ttl - window - margin` after its last beat; then what it sent must leave the window.
    this.sendFrom = found.at + this.ttl - FENCE_MARGIN_MS + 100;
  }

  /** This process's row now: replaces exactly the row it last wrote (or took over), else creates it. */
  private async writeRow(at: number, counts: string): Promise<void> {
    const { table, instanceId } = this.options;
    const entity = { partitionKey: PARTITION, rowKey: rowKey(this.slot), instanceId, slot: this.slot, at, counts };
    if (this.etag === undefined) {
      this.etag = (await table.upsertEntity(entity, 'Replace')).etag;
      return;
    }
    try {
      this.etag = (await table.updateEntity(entity, 'Replace', { etag: this.etag })).etag;
    } catch (err) {
      if (statusOf(err) !== 412) throw err;
      const row = await table.getEntity<BeatRow>(PARTITION, rowKey(this.slot));
      // An earlier write of its own that landed though it seemed to fail: write over it.
      if (row.instanceId === instanceId) this.etag = (await table.updateEntity(entity, 'Replace', { etag: row.etag })).etag;
      else {
        this.loseSlot(row.instanceId);
        await this.writeRow(at, counts);
      }
    }
  }

  /** Another process holds the slot (took it over, or is alive in it): this one stops sending at once and joins again under its own id. */
  private loseSlot(holder: string): void {
    this.options.logger.warn(
      { slot: this.slot, holder },
      'another process holds this instance slot; joining as a new instance under this process id',
    );
    this.slot = this.options.instanceId;
    this.etag = undefined;
    this.writtenAt = undefined;
    this.join();
  }

  /** Sends nothing, at a share of 1, until joined (see `joining`). */
  private join(): void {
    this.joining = true;
    this.countedSince = undefined;
    this.sendFrom = Number.NEGATIVE_INFINITY;
    this.tenantWindows[0]!.limit = 1;
  }

  private async beat(): Promise<void> {
    const { table, instanceId } = this.options;
    const at = this.now;
    try {
      // `counts`: whom this instance counted at its last beat (its share follows from them).
      await this.writeRow(at, JSON.stringify([...this.live]));
      // Landed so long after the last row that others may have counted this instance gone (and taken
      // its share): it joins again, as a new instance does, before it sends.
      if (this.writtenAt !== undefined && this.now - this.writtenAt >= this.ttl - FENCE_MARGIN_MS) this.join();
      this.writtenAt = Math.max(this.writtenAt ?? at, at);
      const since = at - this.ttl;
      const live = new Set<string>([this.slot]);
      const holders = new Set<string>([instanceId]);
      const counted = new Map<string, readonly string[]>();
      const rows = table.listEntities<BeatRow>({
        queryOptions: { filter: odata`PartitionKey eq ${PARTITION}` },
      });
      for await (const row of rows) {
        const slot = row.slot ?? row.instanceId;
        if (row.at < since || slot === this.slot) continue;
        live.add(slot);
        holders.add(row.instanceId);
        counted.set(slot, JSON.parse(row.counts ?? '[]') as string[]);
      }
      this.live = live;
      this.holders = holders;
      this.counted = counted;
      if (this.joining) {
        // Counted by every other live instance (they have lowered), then a window for what they sent before.
        if (!this.countedByAll()) this.countedSince = undefined;
        else if ((this.countedSince ??= this.now) + this.windowMs + 100 <= this.now) this.joining = false;
      }
      const share = shareOf(this.options.tenantLimit ?? 50, live, this.slot);
      // Lower at once; raise only once the others have counted this instance (they may not have lowered theirs yet).
      if ((share < this.tenantWindows[0]!.limit || !this.joining) && share !== this.tenantWindows[0]!.limit) {
        this.tenantWindows[0]!.limit = share;
        this.options.logger.info({ slot: this.slot, instances: live.size, share }, 'share of the tenant send budget changed');
      }
    } catch (err) {
      this.options.logger.warn(
        { err: (err as Error).message },
        'instance heartbeat failed; sending stops if its row grows too old for the others to count it (mayStart)',
      );
    }
  }

  async start(): Promise<void> {
    await this.claimSlot();
    await this.beat();
    this.timer = setInterval(() => void this.beatNow(), this.interval);
    this.timer.unref();
  }

  /** Whether every other live instance's last beat counted this one (so it has lowered its share). */
  private countedByAll(): boolean {
    const me = this.slot;
    return [...this.live].every((id) => id === me || (this.counted.get(id) ?? []).includes(me));
  }

  /**
   * Resolves once this instance may send at its share: joined (the others have counted it and what
   * they sent at their larger shares has left the window), or, in a slot it took over, once what its
   * predecessor sent has. While joining it beats every quarter second, to see the others' counts soon.
   */
  async ready(): Promise<void> {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    while (!this.stopping && (this.joining || this.now < this.sendFrom)) {
      await sleep(Math.max(1, Math.min(250, this.interval, this.joining ? Infinity : this.sendFrom - this.now)));
      if (this.joining) await this.beatNow();
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.beating;
    // Only the row it wrote last: a process that took the slot over keeps its own.
    await this.options.table.deleteEntity(PARTITION, rowKey(this.slot), { etag: this.etag ?? '*' }).catch(() => undefined);
  }
}

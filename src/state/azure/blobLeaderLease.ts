/**
 * Leader election on a blob lease: every instance tries to acquire a lease of `leaseSeconds` (15–60)
 * on one blob; the holder renews it every third of that, the others retry
 * acquiring it as often. Acquiring a held lease answers 409 (LeaseAlreadyPresent); a renewal that
 * fails (412/409: the lease expired and was taken) ends leadership at once.
 * https://learn.microsoft.com/rest/api/storageservices/lease-blob
 */
import { randomUUID } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import type { Logger } from '../../logger';
import type { Leadership } from '../leadership';
import { statusOf } from './storageErrors';

export interface BlobLeaseOptions {
  container: ContainerClient;
  /** The blob the lease is held on, one per schedule. */
  blobName?: string;
  /** 15 to 60 seconds, as the Lease Blob operation allows. */
  leaseSeconds?: number;
  logger: Logger;
}

export class BlobLeaderLease implements Leadership {
  private leader = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly leaseId = randomUUID();
  private readonly seconds: number;
  private ticking: Promise<void> = Promise.resolve();
  private readonly listeners: Array<() => void> = [];

  constructor(private readonly options: BlobLeaseOptions) {
    this.seconds = Math.min(60, Math.max(15, options.leaseSeconds ?? 30));
  }

  isLeader(): boolean {
    return this.leader;
  }

  private get blob() {
    return this.options.container.getBlockBlobClient(this.options.blobName ?? 'scheduler-leader');
  }

  private set(leader: boolean): void {
    if (leader === this.leader) return;
    this.leader = leader;
    this.options.logger.info(
      { leader, leaseId: this.leaseId },
      leader ? 'this instance now runs the schedule' : 'this instance no longer runs the schedule',
    );
    if (leader) for (const listener of this.listeners) listener();
  }

  private async tick(): Promise<void> {
    const lease = this.blob.getBlobLeaseClient(this.leaseId);
    try {
      if (this.leader) await lease.renewLease();
      else await lease.acquireLease(this.seconds);
      this.set(true);
    } catch (err) {
      const status = statusOf(err);
      // 409: someone else holds it; 412: ours expired and was taken. Anything else: we cannot tell, so do not lead.
      if (status !== 409 && status !== 412)
        this.options.logger.warn({ status, err: (err as Error).message }, 'the leader lease could not be checked');
      this.set(false);
    }
  }

  onLeading(listener: () => void): void {
    this.listeners.push(listener);
  }

  async start(): Promise<void> {
    await this.options.container.createIfNotExists();
    if (!(await this.blob.exists())) await this.blob.upload('', 0).catch(() => undefined); // another instance may win the race
    await this.tick();
    this.timer = setInterval(
      () => {
        this.ticking = this.ticking.then(() => this.tick());
      },
      (this.seconds * 1000) / 3,
    );
    this.timer.unref();
  }

  /** Stops renewing without giving the lease up: what a crashed instance does (the lease runs out). */
  async abandon(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    this.leader = false;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    if (this.leader)
      await this.blob
        .getBlobLeaseClient(this.leaseId)
        .releaseLease()
        .catch(() => undefined);
    this.set(false);
  }
}

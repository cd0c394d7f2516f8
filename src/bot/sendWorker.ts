/**
 * Send workers (STATE_STORE=azure): every instance takes card messages from the send queue, sends
 * them through the delivery seam, and records the outcome in the shared ledger.
 *
 * Never twice: a message is delivered at least once (it reappears after its visibility timeout when
 * its worker died), so the ledger decides. A card still `queued` is taken over by exactly one worker
 * (ETag-conditional) just before it is sent; already `sent` (or decided otherwise): the message is
 * deleted; taken by an instance that has stopped (its heartbeat is gone): it may or may not have
 * arrived, so it is marked `uncertain`, never re-sent, and the co-ordinator hears of it in the digest.
 *
 * The budget: each instance's sends are paced to its share of the tenant's 50 requests/s
 * (state/azure/instanceHeartbeats.ts), and its TeamsSender's rate limiter counts against that share
 * and every per-conversation window. Sends run in parallel up to a third of the share (`inFlightCap`,
 * counted until Teams has answered; recording the outcome and deleting the message go on beside the
 * next sends); the next messages are received while the last are paced out; a 429 is
 * retried after its Retry-After by the sender inside that one send, so it holds up no other.
 * A message taken more than MAX_DEQUEUES times (the worker kept failing on it) goes to the poison
 * queue, its card is marked failed (a later run may claim it again) and the co-ordinator is told.
 */
import type { Clock } from '../domain/clock';
import type { Logger } from '../logger';
import type { SendLedger } from '../state/sendLedger';
import type { ReceivedSend, SendQueue } from '../state/sendQueue';
import type { PlanStore } from '../store/planStore';
import type { Card } from './cards/common';
import { CoordinatorNotices as Notices } from './coordinatorNotices';
import type { Delivery as DeliverySeam } from './delivery';
import type { BotRuntime } from './runtime';
import { markOutcome } from './sendOutcome';
import { WINDOW_MARGIN_MS } from './rateLimiter';

export const MAX_DEQUEUES = 5;
/** Longer than a send with its 429 retries normally takes; a message whose worker died reappears after it. */
export const VISIBILITY_SECONDS = 30;

export interface SendWorkerDeps {
  queue: SendQueue;
  ledger: SendLedger;
  delivery: DeliverySeam;
  notices: Notices;
  store: PlanStore;
  clock: Clock;
  logger: Logger;
  instances: { isLive(instanceId: string): boolean; ready(): Promise<void> };
  /** This instance's share of the tenant's requests per second (it changes as instances come and go). */
  share: () => number;
  /** How long to wait when the queue is empty (ms). */
  idleMs?: number;
}

/**
 * How many cards an instance may have taken over and not yet had answered. A card counts from its
 * take-over, and the rate limiter may hold it a while before it leaves; if this instance dies then,
 * it is reported "may or may not have arrived" though it never left. A third of the share is several
 * times what a second's sends need at the latencies seen (a few tens of ms each way), and leaves
 * room for a 429's retry; with the whole share, up to 17 cards were held in the limiter at a kill.
 */
export function inFlightCap(share: number): number {
  return Math.max(2, Math.ceil(share / 3));
}

export class SendWorkers {
  private stopped = false;
  private running: Promise<void> | undefined;
  /** Messages being taken over and sent (at most `inFlightCap`). */
  private readonly inFlight = new Set<Promise<void>>();
  /** Sent messages whose outcome is being recorded and whose message is being deleted. */
  private readonly finishing = new Set<Promise<void>>();
  private nextStart = 0;
  /** Messages received and not yet started (at most one receive ahead). */
  private readonly waiting: ReceivedSend[] = [];
  /** The receive under way (resolves false when it failed). */
  private fetching: Promise<boolean> | undefined;
  private readonly log: Logger;
  readonly stats = { sent: 0, skipped: 0, uncertain: 0, poisoned: 0 };

  constructor(private readonly deps: SendWorkerDeps) {
    this.log = deps.logger.child({ component: 'sendWorkers' });
  }

  start(): void {
    this.running = this.loop().catch((err: unknown) => this.log.error({ err: (err as Error).message }, 'send workers stopped'));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    await Promise.all(this.inFlight);
    await Promise.all(this.finishing);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** Paces starts to this instance's share (with the limiter's window margin), so claims are taken just before their send. */
  private async pace(): Promise<void> {
    const gap = (1_000 + WINDOW_MARGIN_MS) / Math.max(1, this.deps.share());
    const now = Date.now();
    const at = Math.max(now, this.nextStart);
    this.nextStart = at + gap;
    if (at > now) await this.sleep(at - now);
  }

  /**
   * Asks the queue for the next messages (one request at a time), into `waiting`; false when the
   * queue could not be read. A receive is a
   * round trip to the storage service; asked for while the last batch is still being paced out, it
   * is never on the way of a send (awaited in line, every batch lost a receive's time of its share).
   */
  private fetch(): Promise<boolean> {
    this.fetching ??= this.deps.queue
      .receive(Math.min(32, Math.max(1, this.deps.share())), VISIBILITY_SECONDS)
      .then(
        (got) => {
          this.waiting.push(...got);
          return true;
        },
        (err: unknown) => {
          this.log.warn({ err: (err as Error).message }, 'could not read the send queue; trying again');
          return false;
        },
      )
      .finally(() => (this.fetching = undefined));
    return this.fetching;
  }

  private async loop(): Promise<void> {
    await this.deps.instances.ready();
    let idle = 0;
    while (!this.stopped) {
      const share = Math.max(1, this.deps.share());
      if (this.inFlight.size >= inFlightCap(share)) {
        await Promise.race(this.inFlight);
        continue;
      }
      if (this.waiting.length === 0) {
        if (!(await this.fetch())) {
          await this.sleep(1_000);
          continue;
        }
        if (this.waiting.length === 0) {
          // A run's queue runs dry for moments when the prompt run queues more slowly than workers send:
          // look again soon for the first 2 s or so, then back off (to 1 s) while nothing is being sent.
          idle = Math.min(idle + 1, 12);
          await this.sleep(Math.min(this.deps.idleMs ?? 250, 1_000) * Math.max(1, idle - 8));
          continue;
        }
        idle = 0;
      }
      // The next batch is asked for while this one goes out (messages wait here a second or so, well within their visibility).
      if (this.waiting.length <= share / 2) void this.fetch();
      const m = this.waiting.shift()!;
      await this.pace();
      if (this.stopped) break; // it and the rest waiting here reappear after their visibility timeout
      const work: Promise<void> = this.handle(m)
        .catch((err: unknown) =>
          this.log.error({ cardId: m.send.cardId, err: (err as Error).message }, 'send message failed; it will reappear'),
        )
        .finally(() => this.inFlight.delete(work));
      this.inFlight.add(work);
    }
    await this.fetching;
  }

  /** Takes the card over and sends it; resolves once Teams has answered (the rest goes on in `finishing`). */
  private async handle(m: ReceivedSend): Promise<void> {
    const { ledger, queue, clock } = this.deps;
    const { send } = m;
    if (m.dequeueCount > MAX_DEQUEUES) return this.poison(m);
    // Almost every message finds its card still `queued`: take it over at once (one conditional write).
    const place = { planId: send.planId, dateKey: send.date, ...(send.claimToken ? { token: send.claimToken } : {}) };
    if (!(await ledger.takeOver(send.cardId, clock.now().toISOString(), place))) return this.decided(m);
    const outcome = await this.deps.delivery.deliver(send.person, send.request, () => send.card as Card, send.chat);
    const finish: Promise<void> = (async () => {
      await markOutcome(ledger, send.cardId, outcome);
      if (outcome.outcome === 'sent') this.stats.sent++;
      await queue.complete(m);
    })()
      .catch((err: unknown) =>
        this.log.error({ cardId: send.cardId, err: (err as Error).message }, 'could not record a send; its message will reappear'),
      )
      .finally(() => this.finishing.delete(finish));
    this.finishing.add(finish);
  }

  /** A message whose card is not `queued`: sent or decided already, or taken by another worker (still at it, or stopped mid-send). */
  private async decided(m: ReceivedSend): Promise<void> {
    const { ledger, queue } = this.deps;
    const { send } = m;
    const row = await ledger.get(send.cardId);
    if (row?.state === 'queued') return; // another worker is taking it over this moment; the message reappears
    if (row?.state === 'claimed' && row.claimedBy !== ledger.instanceId) {
      if (this.deps.instances.isLive(row.claimedBy)) return;
      await ledger.markUncertain(send.cardId, 'the instance sending it stopped mid-send: it may or may not have arrived');
      this.stats.uncertain++;
      this.log.error({ cardId: send.cardId }, 'card taken by an instance that stopped; marked uncertain, not re-sent');
    } else this.stats.skipped++;
    await queue.complete(m);
  }

  private async poison(m: ReceivedSend): Promise<void> {
    const { ledger, queue, store } = this.deps;
    const why = `the send queue gave up on this card after ${MAX_DEQUEUES} attempts`;
    await queue.poison(m, why);
    this.stats.poisoned++;
    this.log.error({ cardId: m.send.cardId }, 'card moved to the poison queue');
    // Whatever kept failing may fail here too: the message is out of the way either way.
    try {
      if (await ledger.takeOver(m.send.cardId, this.deps.clock.now().toISOString())) await ledger.markFailed(m.send.cardId, why);
      const plan = await store.getPlan(m.send.planId);
      if (plan) await this.deps.notices.unreachable(plan, m.send.date, [{ who: m.send.person.name, why }]);
    } catch (err) {
      this.log.error(
        { cardId: m.send.cardId, err: (err as Error).message },
        'could not mark a poisoned card failed or tell the co-ordinator',
      );
    }
  }
}

/** Starts this instance's workers on the runtime's ledger, references and sender. */
export function startSendWorkers(
  runtime: BotRuntime,
  sending: { queue: SendQueue; instances: SendWorkerDeps['instances'] & { tenantWindows: ReadonlyArray<{ limit: number }> } },
  logger: Logger,
): SendWorkers {
  const deps = runtime.bot.deps;
  const workers = new SendWorkers({
    queue: sending.queue,
    ledger: deps.ledger,
    // The runtime's delivery: existing chats, chats it creates (installing the app), and e-mail.
    delivery: deps.delivery,
    notices: new Notices(deps),
    store: deps.store,
    clock: deps.clock,
    logger,
    instances: sending.instances,
    share: () => sending.instances.tenantWindows[0]?.limit ?? 1,
  });
  workers.start();
  return workers;
}

/**
 * The send fan-out (STATE_STORE=azure): a prompt run claims each card (`queued`) and puts one
 * message per card here; every instance's workers take messages, send, and record the outcome.
 * Delivery is at least once: a message whose worker died reappears after its visibility timeout, so
 * workers decide from the ledger whether to send (see bot/sendWorker.ts).
 */
import type { ConversationRef } from './conversationStore';

export interface QueuedSend {
  /** The card's ledger id. */
  cardId: string;
  planId: string;
  date: string;
  person: { id: string; name: string; email?: string };
  /** What the card asks, for the delivery seam (bot/delivery.ts). */
  request: {
    planId: string;
    date: string;
    items: Array<{ itemKey: string; reason: string; milestone?: string; period?: { label: string; end: string } }>;
    summary: string;
  };
  /** The card as built by the prompt run (Adaptive Card JSON). */
  card: unknown;
  /** The person's chat the card was built for, as the prompt run found it (absent: none yet; the worker creates it, or e-mails). */
  chat?: ConversationRef;
  /** The ledger row as the prompt run claimed it (`SendLedger.queuedToken`): taken over in one write. */
  claimToken?: string;
}

export interface ReceivedSend {
  send: QueuedSend;
  /** How many times the message has been taken, this time included. */
  dequeueCount: number;
  messageId: string;
  popReceipt: string;
}

export interface SendQueue {
  enqueue(send: QueuedSend): Promise<void>;
  /** Up to `max` messages, hidden from other workers for `visibilitySeconds`. */
  receive(max: number, visibilitySeconds: number): Promise<ReceivedSend[]>;
  /** Done with it (sent, or decided). False when its receipt is stale (it reappeared and someone else has it). */
  complete(message: ReceivedSend): Promise<boolean>;
  /** Moves it to the poison queue (it failed too often), with why. */
  poison(message: ReceivedSend, why: string): Promise<void>;
  /** Messages waiting (approximate, as the service counts them). */
  depth(): Promise<number>;
}

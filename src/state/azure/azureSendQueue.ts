/**
 * The send fan-out on Azure Queue storage, with a poison queue beside it. Message text is base64 of
 * the JSON (a card is at most ~26 KB; a message may be 64 KiB).
 * https://learn.microsoft.com/rest/api/storageservices/get-messages
 * https://learn.microsoft.com/azure/storage/queues/storage-queues-introduction
 */
import type { QueueClient } from '@azure/storage-queue';
import type { Logger } from '../../logger';
import type { QueuedSend, ReceivedSend, SendQueue } from '../sendQueue';
import { statusOf } from './storageErrors';

/** Message text: base64 of the JSON. */
const textOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

export const UNREADABLE = 'the message is not a card this app can read (base64 JSON with a card id, plan, date and person)';

/** A card's message, or undefined when the text is not one. */
function readSend(text: string): QueuedSend | undefined {
  try {
    const send = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as Partial<QueuedSend> | null;
    const strings = [send?.cardId, send?.planId, send?.date, send?.person?.id, send?.person?.name];
    if (!strings.every((v) => typeof v === 'string' && v !== '') || typeof send?.request !== 'object' || !send.card) return undefined;
    return send as QueuedSend;
  } catch {
    return undefined;
  }
}

export class AzureSendQueue implements SendQueue {
  constructor(
    private readonly queue: QueueClient,
    private readonly poisonQueue: QueueClient,
    private readonly logger?: Logger,
  ) {}

  async enqueue(send: QueuedSend): Promise<void> {
    await this.queue.sendMessage(textOf(send));
  }

  /**
   * Up to `max` messages. One this app cannot read (not its JSON, or not a card's message: left by
   * another version, or put there by hand) goes to the poison queue at once, saying so, rather than
   * failing every receive it comes back in.
   */
  async receive(max: number, visibilitySeconds: number): Promise<ReceivedSend[]> {
    const got = await this.queue.receiveMessages({
      numberOfMessages: Math.min(32, Math.max(1, max)),
      visibilityTimeout: visibilitySeconds,
    });
    const out: ReceivedSend[] = [];
    for (const m of got.receivedMessageItems) {
      const send = readSend(m.messageText);
      if (send) out.push({ send, dequeueCount: m.dequeueCount, messageId: m.messageId, popReceipt: m.popReceipt });
      else {
        await this.poisonQueue.sendMessage(textOf({ why: UNREADABLE, dequeueCount: m.dequeueCount, messageText: m.messageText }));
        await this.remove(m.messageId, m.popReceipt);
        this.logger?.error({ messageId: m.messageId }, 'a message on the send queue could not be read; moved to the poison queue');
      }
    }
    return out;
  }

  complete(message: ReceivedSend): Promise<boolean> {
    return this.remove(message.messageId, message.popReceipt);
  }

  private async remove(messageId: string, popReceipt: string): Promise<boolean> {
    try {
      await this.queue.deleteMessage(messageId, popReceipt);
      return true;
    } catch (err) {
      // 404: the receipt is stale (the message reappeared and another worker holds it) or it is gone.
      if (statusOf(err) === 404) return false;
      throw err;
    }
  }

  async poison(message: ReceivedSend, why: string): Promise<void> {
    await this.poisonQueue.sendMessage(textOf({ ...message.send, why, dequeueCount: message.dequeueCount }));
    await this.complete(message);
  }

  async depth(): Promise<number> {
    return (await this.queue.getProperties()).approximateMessagesCount ?? 0;
  }
}

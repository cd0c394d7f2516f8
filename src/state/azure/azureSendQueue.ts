/**
 * The send fan-out on Azure Queue storage, with a poison queue beside it. Message text is base64 of
 * the JSON (a card is at most ~26 KB; a message may be 64 KiB).
 * https://learn.microsoft.com/rest/api/storageservices/get-messages
 * https://learn.microsoft.com/azure/storage/queues/storage-queues-introduction
 */
import type { QueueClient } from '@azure/storage-queue';
import type { QueuedSend, ReceivedSend, SendQueue } from '../sendQueue';

const statusOf = (err: unknown) => (err as { statusCode?: number }).statusCode;

export class AzureSendQueue implements SendQueue {
  constructor(
    private readonly queue: QueueClient,
    private readonly poisonQueue: QueueClient,
  ) {}

  async enqueue(send: QueuedSend): Promise<void> {
    await this.queue.sendMessage(Buffer.from(JSON.stringify(send)).toString('base64'));
  }

  async receive(max: number, visibilitySeconds: number): Promise<ReceivedSend[]> {
    const got = await this.queue.receiveMessages({
      numberOfMessages: Math.min(32, Math.max(1, max)),
      visibilityTimeout: visibilitySeconds,
    });
    return got.receivedMessageItems.map((m) => ({
      send: JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as QueuedSend,
      dequeueCount: m.dequeueCount,
      messageId: m.messageId,
      popReceipt: m.popReceipt,
    }));
  }

  async complete(message: ReceivedSend): Promise<boolean> {
    try {
      await this.queue.deleteMessage(message.messageId, message.popReceipt);
      return true;
    } catch (err) {
      // 404: the receipt is stale (the message reappeared and another worker holds it) or it is gone.
      if (statusOf(err) === 404) return false;
      throw err;
    }
  }

  async poison(message: ReceivedSend, why: string): Promise<void> {
    await this.poisonQueue.sendMessage(
      Buffer.from(JSON.stringify({ ...message.send, why, dequeueCount: message.dequeueCount })).toString('base64'),
    );
    await this.complete(message);
  }

  async depth(): Promise<number> {
    return (await this.queue.getProperties()).approximateMessagesCount ?? 0;
  }
}

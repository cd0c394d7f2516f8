/** What the ledger records when a send does not go through: the person cannot be reached, nothing was delivered, or nobody knows. */
import type { Logger } from '../logger';
import { sendFailure, type DeliveryOutcome } from './delivery';
import type { SendLedger } from './ledger';

/** Records a delivery's outcome in the ledger (claim → send → mark). */
export async function markOutcome(ledger: SendLedger, ledgerId: string, outcome: DeliveryOutcome, itemVersion?: string): Promise<void> {
  switch (outcome.outcome) {
    case 'sent':
      await ledger.markSent(ledgerId, {
        at: outcome.at,
        conversationId: outcome.conversationId,
        serviceUrl: outcome.serviceUrl,
        ...(outcome.activityId ? { activityId: outcome.activityId } : {}),
        ...(outcome.detail ? { detail: outcome.detail } : {}),
        ...(itemVersion ? { itemVersion } : {}),
      });
      return;
    case 'unreachable':
      await ledger.markUnreachable(ledgerId, outcome.detail);
      return;
    case 'failed':
      await ledger.markFailed(ledgerId, outcome.detail);
      return;
    case 'uncertain':
      await ledger.markUncertain(ledgerId, outcome.detail);
  }
}

export async function recordSendFailure(
  ledger: SendLedger,
  logger: Logger,
  ledgerId: string,
  err: unknown,
): Promise<{ outcome: 'unreachable' | 'failed' | 'uncertain'; detail: string }> {
  const failure = sendFailure(err);
  await markOutcome(ledger, ledgerId, failure);
  if (failure.outcome === 'unreachable') logger.warn({ ledgerId }, 'Teams says the person cannot be reached');
  else if (failure.outcome === 'failed') logger.error({ ledgerId }, 'send failed; a later run may retry');
  else logger.error({ ledgerId }, 'send may or may not have been delivered; not retried');
  return failure;
}

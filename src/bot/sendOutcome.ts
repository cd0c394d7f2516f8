/** What the ledger records when a send does not go through: the person cannot be reached, nothing was delivered, or nobody knows. */
import type { Logger } from '../logger';
import { sendFailure, type DeliveryOutcome } from './delivery';
import type { SendLedger } from './ledger';

/** Records a delivery's outcome in the ledger (claim → send → mark). */
export function markOutcome(ledger: SendLedger, ledgerId: string, outcome: DeliveryOutcome, itemVersion?: string): void {
  switch (outcome.outcome) {
    case 'sent':
      ledger.markSent(ledgerId, {
        at: outcome.at,
        conversationId: outcome.conversationId,
        serviceUrl: outcome.serviceUrl,
        ...(outcome.activityId ? { activityId: outcome.activityId } : {}),
        ...(outcome.detail ? { detail: outcome.detail } : {}),
        ...(itemVersion ? { itemVersion } : {}),
        ...(outcome.detail ? { detail: outcome.detail } : {}),
      });
      return;
    case 'unreachable':
      ledger.markUnreachable(ledgerId, outcome.detail);
      return;
    case 'failed':
      ledger.markFailed(ledgerId, outcome.detail);
      return;
    case 'uncertain':
      ledger.markUncertain(ledgerId, outcome.detail);
  }
}

export function recordSendFailure(
  ledger: SendLedger,
  logger: Logger,
  ledgerId: string,
  err: unknown,
): { outcome: 'unreachable' | 'failed' | 'uncertain'; detail: string } {
  const failure = sendFailure(err);
  markOutcome(ledger, ledgerId, failure);
  if (failure.outcome === 'unreachable') logger.warn({ ledgerId }, 'Teams says the person cannot be reached');
  else if (failure.outcome === 'failed') logger.error({ ledgerId }, 'send failed; a later run may retry');
  else logger.error({ ledgerId }, 'send may or may not have been delivered; not retried');
  return failure;
}

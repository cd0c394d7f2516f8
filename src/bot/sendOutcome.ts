/** What the ledger records when a send throws: the person cannot be reached, nothing was delivered, or nobody knows. */
import type { Logger } from '../logger';
import type { SendLedger } from './ledger';
import { SendError } from './sender';

export function recordSendFailure(
  ledger: SendLedger,
  logger: Logger,
  ledgerId: string,
  err: unknown,
): { outcome: 'unreachable' | 'failed' | 'uncertain'; detail: string } {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof SendError && err.unreachable) {
    ledger.markUnreachable(ledgerId, message);
    logger.warn({ ledgerId, status: err.status }, 'Teams says the person cannot be reached');
    return { outcome: 'unreachable', detail: message };
  }
  if (err instanceof SendError && err.delivered === 'no') {
    ledger.markFailed(ledgerId, message);
    logger.error({ ledgerId, status: err.status }, 'send failed; a later run may retry');
    return { outcome: 'failed', detail: message };
  }
  ledger.markUncertain(ledgerId, message);
  logger.error({ ledgerId }, 'send may or may not have been delivered; not retried');
  return { outcome: 'uncertain', detail: message };
}

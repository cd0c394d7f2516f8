/**
 * Local mode's outbox: with no mailbox configured (MAIL_SENDER unset), the e-mails the app would send
 * are kept in memory and listed here, newest last, so a co-ordinator trying the app on their own
 * machine can open the answer links. Local mode only (loopback, no sign-in).
 */
import express from 'express';
import type { LocalOutbox } from '../../graph/mailer';

export function outboxRoute(outbox: LocalOutbox): express.Router {
  const router = express.Router();
  router.get('/outbox', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ messages: outbox.list() });
  });
  return router;
}

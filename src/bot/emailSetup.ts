/**
 * E-mail from configuration, for the composition root and the command line: the signer of answer
 * links, and where mail goes (Graph from MAIL_SENDER; in local mode without it, the local outbox).
 * Neither configured: no e-mail (people held by e-mail only are reported as not reachable).
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config';
import { AnswerLinkSigner } from '../auth/answerLink';
import type { Clock } from '../domain/clock';
import { graphHttpFrom } from '../graph/graphConnection';
import type { GraphHttp } from '../graph/graphHttp';
import { GraphMailer, LocalOutbox, type Mailer } from '../graph/mailer';
import type { Logger } from '../logger';

export interface MailParts {
  signer: AnswerLinkSigner;
  mailer: Mailer;
  /** Local mode's outbox (GET /api/outbox), when mail goes there. */
  outbox?: LocalOutbox;
  /** E-mail people in the tenant whom Teams cannot reach (a real mailbox only). */
  fallback: boolean;
}

export function mailPartsFrom(config: Config, logger: Logger, clock: Clock, graph?: GraphHttp): MailParts | undefined {
  const now = () => clock.now();
  const log = logger.child({ component: 'mail' });
  if (config.MAIL_SENDER) {
    // config.ts requires ANSWER_LINK_SECRET with MAIL_SENDER.
    const signer = new AnswerLinkSigner(config.ANSWER_LINK_SECRET!, config.ANSWER_LINK_DAYS, now);
    return { signer, mailer: new GraphMailer(graph ?? graphHttpFrom(config, log), config.MAIL_SENDER), fallback: true };
  }
  if (!config.LOCAL_MODE) return undefined;
  // Local mode: links signed with the configured key, else a key made for this run (links die with it).
  const secret = config.ANSWER_LINK_SECRET ?? randomBytes(48).toString('base64');
  const outbox = new LocalOutbox(log, now);
  return { signer: new AnswerLinkSigner(secret, config.ANSWER_LINK_DAYS, now), mailer: outbox, outbox, fallback: false };
}

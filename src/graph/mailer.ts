/**
 * Where the app's e-mail goes: through Graph from the configured mailbox (MAIL_SENDER), or, in local
 * mode with no Graph, into a local outbox that the co-ordinator reads at GET /api/outbox (and that
 * the log mentions, without the link or the body). Both keep to one small interface.
 */
import type { Logger } from '../logger';
import type { GraphHttp } from './graphHttp';
import { sendMail, type MailMessage } from './sendMail';

export type { MailMessage };

export interface Mailer {
  /** Where the mail leaves from, in words for the ledger ("e-mailed from …", "written to the local outbox"). */
  readonly from: string;
  /** Sends (or, locally, keeps) the message; throws when it was not accepted. */
  send(message: MailMessage): Promise<void>;
}

export class GraphMailer implements Mailer {
  constructor(
    private readonly http: GraphHttp,
    readonly from: string,
  ) {}

  send(message: MailMessage): Promise<void> {
    return sendMail(this.http, this.from, message);
  }
}

export interface OutboxEntry extends MailMessage {
  at: string;
}

/** Local mode's outbox: the last 200 messages, newest last. */
export class LocalOutbox implements Mailer {
  readonly from = 'the local outbox';
  private readonly entries: OutboxEntry[] = [];

  constructor(
    private readonly logger: Logger,
    private readonly now: () => Date,
  ) {}

  async send(message: MailMessage): Promise<void> {
    this.entries.push({ ...message, at: this.now().toISOString() });
    if (this.entries.length > 200) this.entries.shift();
    this.logger.info({ to: message.to.address, subject: message.subject }, 'e-mail written to the local outbox (GET /api/outbox)');
  }

  list(): OutboxEntry[] {
    return [...this.entries];
  }
}

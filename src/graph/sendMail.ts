/**
 * Sending an e-mail from the app's mailbox through Graph: `POST /users/{sender}/sendMail`
 * (https://learn.microsoft.com/en-us/graph/api/user-sendmail), application permission Mail.Send,
 * which an Exchange administrator limits to the one sending mailbox (RBAC for Applications or an
 * application access policy; docs/deployment.md). Graph answers 202 Accepted with no body: the
 * message was accepted for delivery, not delivered. The request is not idempotent, so a dropped
 * connection surfaces as AmbiguousWriteError (it may or may not have been sent) and is not repeated.
 */
import type { GraphHttp } from './graphHttp';

export interface MailMessage {
  to: { address: string; name?: string };
  subject: string;
  /** HTML body (simple markup that Outlook renders). */
  html: string;
}

export async function sendMail(http: GraphHttp, sender: string, message: MailMessage): Promise<void> {
  await http.request('POST', `/users/${encodeURIComponent(sender)}/sendMail`, {
    body: {
      message: {
        subject: message.subject,
        body: { contentType: 'HTML', content: message.html },
        toRecipients: [{ emailAddress: { address: message.to.address, ...(message.to.name ? { name: message.to.name } : {}) } }],
      },
      saveToSentItems: true,
    },
  });
}

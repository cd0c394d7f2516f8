/**
 * `POST /users/{id | userPrincipalName}/sendMail` as Graph answers it for an app (client credentials):
 *  - 202 Accepted, no body (https://learn.microsoft.com/en-us/graph/api/user-sendmail, "Response");
 *    the message is kept here for tests to read (`sent`);
 *  - 403 without the Mail.Send application permission in the token's roles
 *    (https://learn.microsoft.com/en-us/graph/api/user-sendmail, "Permissions"), and 403
 *    `ErrorAccessDenied` "Access is denied. Check credentials and try again." when an application
 *    access policy / RBAC for Applications scope leaves the mailbox out
 *    (https://learn.microsoft.com/en-us/graph/auth-limit-mailbox-access,
 *    https://learn.microsoft.com/en-us/exchange/permissions-online/application-rbac);
 *  - 404 `ErrorInvalidUser` "The requested user '…' is invalid." for a mailbox that does not exist (as
 *    reported in https://github.com/microsoftgraph/microsoft-graph-docs/issues/4097);
 *  - 400 for a malformed message: no `message`, or a recipient without a valid address gives
 *    `ErrorInvalidRecipients` "At least one recipient isn't valid., …" (as seen in
 *    https://github.com/microsoftgraph/msgraph-sdk-dotnet/issues/1891 and
 *    https://github.com/microsoftgraph/ruby-connect-rest-sample/issues/15); a body contentType other
 *    than Text or HTML is refused (https://learn.microsoft.com/en-us/graph/api/resources/itembody).
 */
import { requireRole, type EmulatorApp } from './access';
import { GraphFailure, type Answer, type Json } from './model';

export interface SentMail {
  from: string;
  to: Array<{ address: string; name?: string }>;
  subject: string;
  contentType: string;
  content: string;
  saveToSentItems: boolean;
}

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export class EmulatorMail {
  /** Mailboxes that exist (user principal names, lower-case). */
  private readonly mailboxes = new Set<string>();
  /** Per app: the only mailboxes it may use (an application access policy); absent: every mailbox. */
  private readonly scopes = new Map<string, Set<string>>();
  readonly sent: SentMail[] = [];

  addMailbox(upn: string): void {
    this.mailboxes.add(upn.toLowerCase());
  }

  /** Limits an app to these mailboxes, as an application access policy (RestrictAccess) does. */
  restrictApp(appId: string, mailboxes: string[]): void {
    this.scopes.set(appId, new Set(mailboxes.map((m) => m.toLowerCase())));
  }

  sendMail(app: EmulatorApp, user: string, body: Json): Answer {
    requireRole(app, ['Mail.Send']);
    const mailbox = user.toLowerCase();
    if (!this.mailboxes.has(mailbox)) throw new GraphFailure(404, 'ErrorInvalidUser', `The requested user '${user}' is invalid.`);
    const scope = this.scopes.get(app.appId);
    if (scope && !scope.has(mailbox))
      throw new GraphFailure(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
    const message = body.message as Json | undefined;
    if (!message || typeof message !== 'object') {
      throw new GraphFailure(400, 'ErrorInvalidRequest', "The request is missing the required property 'message'.");
    }
    const recipients = (Array.isArray(message.toRecipients) ? message.toRecipients : []) as Json[];
    const to = recipients.map((r) => (r.emailAddress ?? {}) as { address?: unknown; name?: unknown });
    if (to.length === 0) {
      throw new GraphFailure(
        400,
        'ErrorInvalidRecipients',
        "At least one recipient isn't valid., A message can't be sent because it contains no recipients.",
      );
    }
    const bad = to.find((t) => typeof t.address !== 'string' || !ADDRESS.test(t.address));
    if (bad) {
      throw new GraphFailure(
        400,
        'ErrorInvalidRecipients',
        `At least one recipient isn't valid., Recipient '${String(bad.address ?? '')}' isn't resolved. All recipients must be resolved before a message can be submitted.`,
      );
    }
    const itemBody = (message.body ?? {}) as { contentType?: unknown; content?: unknown };
    const contentType = String(itemBody.contentType ?? 'Text');
    if (!/^(text|html)$/i.test(contentType)) {
      throw new GraphFailure(400, 'RequestBodyRead', `Requested value '${contentType}' was not found.`);
    }
    this.sent.push({
      from: mailbox,
      to: to.map((t) => ({ address: String(t.address), ...(typeof t.name === 'string' ? { name: t.name } : {}) })),
      subject: typeof message.subject === 'string' ? message.subject : '',
      contentType,
      content: typeof itemBody.content === 'string' ? itemBody.content : '',
      saveToSentItems: body.saveToSentItems !== false,
    });
    return { status: 202 };
  }
}

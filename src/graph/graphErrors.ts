/**
 * What a failed Graph request means, for the code that called it and for the person who reads it:
 *  - GraphRequestError: Graph answered with an error (`{ error: { code, message } }`,
 *    https://learn.microsoft.com/en-us/graph/errors);
 *  - AmbiguousWriteError: a write whose outcome is unknown (the connection dropped, or a 504 came
 *    back after Graph's gateway gave up waiting for SharePoint, which may still have applied it): the
 *    caller re-reads by key before retrying or reporting;
 *  - MissingGrantError: a 403, turned into a sentence that names the permission the app lacks. With
 *    `Sites.Selected` an admin grants the app a role on the site (read, write, manage;
 *    https://learn.microsoft.com/en-us/graph/api/site-post-permissions); other APIs need an application
 *    permission consented in Entra (the Teams app catalog: AppCatalog.Read.All,
 *    https://learn.microsoft.com/en-us/graph/api/appcatalogs-list-teamsapps; installing the app for a
 *    user: TeamsAppInstallation.ReadWriteSelfForUser.All,
 *    https://learn.microsoft.com/en-us/graph/api/userteamwork-post-installedapps; mail: Mail.Send,
 *    https://learn.microsoft.com/en-us/graph/api/user-sendmail).
 */
import { AppError } from '../errors';

export class GraphRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly method: string,
    readonly path: string,
  ) {
    super(`Graph ${method} ${path.split('?')[0]} failed: ${status} ${code}: ${message}`);
    this.name = 'GraphRequestError';
  }
}

/** The write may or may not have been applied: the caller must find out what happened. */
export class AmbiguousWriteError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly reason: unknown,
  ) {
    super(`Graph ${method} ${path.split('?')[0]} got no definite answer; the write may or may not have been applied`);
    this.name = 'AmbiguousWriteError';
  }
}

/** Graph refused for want of a permission; the message names it and who can grant it. */
export class MissingGrantError extends AppError {
  /** Configuration of the tenant, not of the request: the HTTP edge answers 503. */
  readonly code = 'config';
  constructor(
    readonly grant: string,
    readonly method: string,
    readonly path: string,
    detail: string,
  ) {
    super(
      `Microsoft Graph refused ${method} ${path.split('?')[0]} (403 ${detail}): the Delivery Plan app needs ${grant}. ` +
        'A Microsoft 365 administrator grants it; "dplan doctor" checks every permission the app relies on.',
    );
    this.name = 'MissingGrantError';
  }
}

/** The permission a request needs, in words an administrator can act on. */
export function grantNeeded(method: string, path: string): string {
  const p = path.split('?')[0] ?? '';
  if (p.startsWith('/appCatalogs'))
    return 'the AppCatalog.Read.All application permission (admin consent) to find itself in the Teams app catalog';
  if (/\/teamwork\/installedApps/.test(p))
    return 'the TeamsAppInstallation.ReadWriteSelfForUser.All application permission (admin consent)';
  if (/\/sendMail$/.test(p)) return 'the Mail.Send application permission, with the sending mailbox inside its application access policy';
  if (p.startsWith('/sites')) {
    const role = method === 'GET' ? 'read' : /\/items(\/|$)/.test(p) ? 'write' : 'manage';
    return `the Sites.Selected application permission with the ${role} role on this SharePoint site${role === 'manage' ? ' (to create lists and columns)' : ''}`;
  }
  return 'a Microsoft Graph permission it has not been granted';
}

/** The error for a failed answer (top-level or one part of a batch). */
export function graphErrorOf(status: number, body: unknown, method: string, path: string): Error {
  const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  const code = error?.code ?? 'unknown';
  if (status === 403) return new MissingGrantError(grantNeeded(method, path), method, path, code);
  return new GraphRequestError(status, code, error?.message ?? 'request failed', method, path);
}

/**
 * Who may do what, as Graph decides it for an app (client credentials):
 *  - the app's application permissions (app roles consented in Entra) travel in the token's `roles`
 *    claim (https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference);
 *  - `Sites.Selected` grants nothing by itself: an admin grants the app a role on each site — read,
 *    write, manage or fullcontrol (https://learn.microsoft.com/en-us/graph/api/site-post-permissions);
 *    `Sites.Read.All`, `Sites.ReadWrite.All`, `Sites.Manage.All`, `Sites.FullControl.All` reach every site;
 *  - reading lists and items needs read, writing items write, creating lists and columns manage
 *    (https://learn.microsoft.com/en-us/graph/api/listitem-create, .../list-create, .../list-post-columns);
 *  - without the access: 403 `accessDenied` "Access denied"
 *    (https://learn.microsoft.com/en-us/graph/errors, and as seen in
 *    https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/3985);
 *  - the Teams app catalog needs AppCatalog.Read.All or AppCatalog.ReadWrite.All
 *    (https://learn.microsoft.com/en-us/graph/api/appcatalogs-list-teamsapps); Teams answers a missing
 *    role with 403 naming the roles the API needs and the ones the request had.
 */
import { randomUUID } from 'node:crypto';
import { ACCESS_LEVELS, GraphFailure, type AccessLevel, type Site } from './model';

export interface EmulatorApp {
  /** The app registration's client id. */
  appId: string;
  /** Application permissions consented for it (the token's `roles`). */
  roles: string[];
}

const TENANT_WIDE: Record<string, AccessLevel> = {
  'Sites.Read.All': 'read',
  'Sites.ReadWrite.All': 'write',
  'Sites.Manage.All': 'manage',
  'Sites.FullControl.All': 'fullcontrol',
};

/** The access an app has on a site: the best of its tenant-wide roles and its Sites.Selected grant. */
export function accessOn(site: Site, app: EmulatorApp): AccessLevel {
  let best: AccessLevel = 'none';
  const raise = (level: AccessLevel) => {
    if (ACCESS_LEVELS.indexOf(level) > ACCESS_LEVELS.indexOf(best)) best = level;
  };
  for (const role of app.roles) if (TENANT_WIDE[role]) raise(TENANT_WIDE[role]);
  if (app.roles.includes('Sites.Selected')) raise(site.grants.get(app.appId) ?? 'none');
  return best;
}

/** The access a request on a site needs. */
export function accessNeeded(method: string, rest: string): AccessLevel {
  if (method === 'GET') return 'read';
  if (/^\/lists(\/[^/]+\/columns)?$/.test(rest) || /^\/lists\/[^/]+$/.test(rest)) return 'manage';
  return 'write';
}

export function requireAccess(site: Site, app: EmulatorApp, needed: AccessLevel): void {
  if (ACCESS_LEVELS.indexOf(accessOn(site, app)) < ACCESS_LEVELS.indexOf(needed)) {
    throw new GraphFailure(403, 'accessDenied', 'Access denied');
  }
}

export function requireRole(app: EmulatorApp, anyOf: string[]): void {
  if (!anyOf.some((r) => app.roles.includes(r))) {
    throw new GraphFailure(
      403,
      'Forbidden',
      `Missing role permissions on the request. API requires one of '${anyOf.join(', ')}'. Roles on the request '${app.roles.join(', ')}'.`,
    );
  }
}

/** A JWT-shaped access token carrying the app's id and roles (not signed: only the emulator reads it). */
export function tokenFor(app: EmulatorApp, audience: string, tenantId: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return [
    part({ typ: 'JWT', alg: 'none' }),
    part({
      aud: audience,
      iss: `https://sts.windows.net/${tenantId}/`,
      appid: app.appId,
      tid: tenantId,
      roles: app.roles,
      iat: now,
      exp: now + 3600,
      uti: randomUUID(),
    }),
    'emulator',
  ].join('.');
}

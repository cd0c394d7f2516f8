/**
 * The tenant's users and the Teams apps installed in their personal scope, as Graph answers:
 *   POST /users/{id}/teamwork/installedApps  { "teamsApp@odata.bind": "https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/{id}" }
 *   https://learn.microsoft.com/en-us/graph/api/userteamwork-post-installedapps
 *  - 201 Created when installed (the documented response, with no body needed by the caller);
 *  - 409 Conflict when the app is already installed for the user (Microsoft's guidance for proactive
 *    installs: https://learn.microsoft.com/en-us/microsoftteams/platform/graph-api/proactive-bots-and-messages/graph-proactive-bots-and-messages);
 *  - 404 for a user the tenant does not hold, or an app not in the catalog
 *    (https://learn.microsoft.com/en-us/graph/errors: itemNotFound / NotFound);
 *  - 403 without an application permission that allows it (TeamsAppInstallation.ReadWriteSelfForUser.All
 *    or a broader one), naming the roles (./access.ts requireRole);
 *  - 403 "App is blocked by app permission policy" for a user whose Teams permission policy blocks
 *    the app (as reported in https://github.com/OfficeDev/microsoft-teams-apps-company-communicator/issues/1537).
 *   GET /users/{id}/teamwork/installedApps lists them (https://learn.microsoft.com/en-us/graph/api/userteamwork-list-installedapps).
 */
import { requireRole, type EmulatorApp } from './access';
import type { CatalogApp } from './routes';
import { GraphFailure, type Answer, type Json } from './model';

const INSTALL_ROLES = [
  'TeamsAppInstallation.ReadWriteSelfForUser.All',
  'TeamsAppInstallation.ReadWriteForUser.All',
  'TeamsAppInstallation.ReadWriteAndConsentSelfForUser.All',
  'TeamsAppInstallation.ReadWriteAndConsentForUser.All',
];
const READ_ROLES = [...INSTALL_ROLES, 'TeamsAppInstallation.ReadForUser.All'];

export class TenantUsers {
  /** Users by Entra object id (lower case). */
  private readonly users = new Map<string, { blockedByPolicy: boolean }>();
  /** Catalog app ids installed per user. */
  private readonly installs = new Map<string, Set<string>>();
  /** Install requests answered (any status), for tests. */
  readonly requests: Array<{ userId: string; status: number }> = [];

  addUser(id: string, options: { blockedByPolicy?: boolean } = {}): void {
    this.users.set(id.toLowerCase(), { blockedByPolicy: options.blockedByPolicy ?? false });
  }

  hasApp(userId: string, catalogAppId?: string): boolean {
    const apps = this.installs.get(userId.toLowerCase());
    return !!apps && (catalogAppId ? apps.has(catalogAppId) : apps.size > 0);
  }

  installed(userId: string): string[] {
    return [...(this.installs.get(userId.toLowerCase()) ?? [])];
  }

  /** Answers /users/{id}/teamwork/installedApps; undefined for any other path (left to other routes). */
  route(catalog: readonly CatalogApp[], app: EmulatorApp, method: string, path: string, json: () => Json): Answer | undefined {
    const m = /^\/users\/([^/]+)\/teamwork\/installedApps$/.exec(path);
    if (!m) return undefined;
    const userId = (m[1] as string).toLowerCase();
    if (method === 'GET') {
      requireRole(app, READ_ROLES);
      this.userOrThrow(userId);
      return { status: 200, body: { value: this.installed(userId).map((id) => ({ id: `${userId}##${id}`, teamsApp: { id } })) } };
    }
    if (method !== 'POST') throw new GraphFailure(405, 'BadRequest', `${method} is not supported on installedApps`);
    requireRole(app, INSTALL_ROLES);
    const answer = this.install(catalog, userId, json());
    this.requests.push({ userId, status: answer.status });
    return answer;
  }

  private userOrThrow(userId: string): { blockedByPolicy: boolean } {
    const user = this.users.get(userId);
    if (!user) throw new GraphFailure(404, 'NotFound', `User ${userId} was not found in the tenant.`);
    return user;
  }

  private install(catalog: readonly CatalogApp[], userId: string, body: Json): Answer {
    const bind = body['teamsApp@odata.bind'];
    const appId = typeof bind === 'string' ? /\/appCatalogs\/teamsApps\/([^/?]+)$/.exec(bind)?.[1] : undefined;
    if (!appId) throw new GraphFailure(400, 'BadRequest', 'teamsApp@odata.bind must name /appCatalogs/teamsApps/{id}.');
    const user = this.userOrThrow(userId);
    if (!catalog.some((a) => a.id === appId)) throw new GraphFailure(404, 'NotFound', `App ${appId} was not found in the app catalog.`);
    if (user.blockedByPolicy)
      throw new GraphFailure(403, 'Forbidden', `App is blocked by app permission policy. UserObjectId: ${userId}, AppId: ${appId}`);
    const apps = this.installs.get(userId) ?? new Set<string>();
    if (apps.has(appId)) throw new GraphFailure(409, 'Conflict', 'App is already installed for the user.');
    apps.add(appId);
    this.installs.set(userId, apps);
    return { status: 201, body: {} };
  }
}

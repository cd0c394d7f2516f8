/**
 * Installing the app in a user's personal scope through Microsoft Graph, so the bot can create its
 * 1:1 chat with a lead who never installed it (Teams refuses the chat until then):
 *   POST /users/{id}/teamwork/installedApps  { "teamsApp@odata.bind": "…/appCatalogs/teamsApps/{catalog id}" }
 *   https://learn.microsoft.com/en-us/graph/api/userteamwork-post-installedapps
 * Application permission TeamsAppInstallation.ReadWriteSelfForUser.All (the app may install only
 * itself). Answers: 201 installed; 409 already installed; 404 no such user; 403 either the permission
 * is missing ("Missing role permissions…") or the organisation's app permission policy blocks the app
 * for the user ("App is blocked by app permission policy", as Company Communicator users report:
 * https://github.com/OfficeDev/microsoft-teams-apps-company-communicator/issues/1537).
 *
 * The catalog app id: TEAMS_APP_ID when set (the id the Teams admin centre shows, which deep links
 * need too), else looked up once by the manifest id (CLIENT_ID), which needs AppCatalog.Read.All:
 *   GET /appCatalogs/teamsApps?$filter=externalId eq '{manifest id}'
 *   https://learn.microsoft.com/en-us/graph/api/appcatalogs-list-teamsapps
 */
import type { GraphHttp } from '../graph/graphHttp';
import type { Logger } from '../logger';

export type InstallResult =
  | { outcome: 'installed' }
  | { outcome: 'already-installed' }
  | { outcome: 'user-not-found'; detail: string }
  | { outcome: 'blocked-by-policy'; detail: string }
  /** The app lacks a Graph permission (or is not in the catalog): an administrator must act. */
  | { outcome: 'not-permitted'; detail: string }
  | { outcome: 'failed'; detail: string };

/** The port Delivery uses (a test may stand in for it). */
export interface AppInstaller {
  install(userId: string): Promise<InstallResult>;
}

interface GraphErrorBody {
  error?: { code?: string; message?: string };
}

function messageOf(body: unknown): string {
  const e = (body as GraphErrorBody | undefined)?.error;
  return [e?.code, e?.message].filter(Boolean).join(': ') || 'no detail';
}

export class GraphAppInstaller implements AppInstaller {
  private readonly log: Logger;
  private catalogId?: Promise<string | InstallResult>;

  constructor(
    private readonly deps: {
      graph: GraphHttp;
      /** GRAPH_BASE_URL: the bind names the app by its full Graph address. */
      graphBaseUrl: string;
      /** TEAMS_APP_ID: the catalog app id, when known. */
      catalogAppId?: string;
      /** The manifest id (CLIENT_ID), to look the catalog id up when TEAMS_APP_ID is not set. */
      manifestId?: string;
      logger: Logger;
    },
  ) {
    this.log = deps.logger.child({ component: 'appInstaller' });
  }

  async install(userId: string): Promise<InstallResult> {
    const catalogId = await this.catalogAppId();
    if (typeof catalogId !== 'string') return catalogId;
    const path = `/users/${encodeURIComponent(userId)}/teamwork/installedApps`;
    let answer;
    try {
      answer = await this.deps.graph.request('POST', path, {
        body: { 'teamsApp@odata.bind': `${this.deps.graphBaseUrl.replace(/\/+$/, '')}/appCatalogs/teamsApps/${catalogId}` },
        // A second install answers 409 (already installed): safe to send again after a lost answer.
        idempotent: true,
        accept: [400, 403, 404, 409],
      });
    } catch (err) {
      return { outcome: 'failed', detail: `Graph could not install the app: ${(err as Error).message}` };
    }
    if (answer.status === 201 || answer.status === 200) return { outcome: 'installed' };
    if (answer.status === 409) return { outcome: 'already-installed' };
    const detail = messageOf(answer.body);
    if (answer.status === 404) return { outcome: 'user-not-found', detail: `Microsoft Graph has no such user in the tenant (${detail})` };
    if (answer.status === 403 && /missing role|scope permissions|roles on the request/i.test(detail)) {
      this.log.error({ detail }, 'the app may not install itself: grant TeamsAppInstallation.ReadWriteSelfForUser.All');
      return {
        outcome: 'not-permitted',
        detail: 'the app may not install itself for people: an administrator must grant TeamsAppInstallation.ReadWriteSelfForUser.All',
      };
    }
    if (answer.status === 403) return { outcome: 'blocked-by-policy', detail: `Teams app permission policy (${detail})` };
    return { outcome: 'failed', detail: `Graph answered ${answer.status} (${detail})` };
  }

  /** TEAMS_APP_ID, or the catalog id found once by the manifest id (kept; a failure is asked again next time). */
  private catalogAppId(): Promise<string | InstallResult> {
    if (this.deps.catalogAppId) return Promise.resolve(this.deps.catalogAppId);
    this.catalogId ??= this.lookUp().then((found) => {
      if (typeof found !== 'string') this.catalogId = undefined;
      return found;
    });
    return this.catalogId;
  }

  private async lookUp(): Promise<string | InstallResult> {
    const manifestId = this.deps.manifestId;
    if (!manifestId)
      return { outcome: 'not-permitted', detail: 'neither TEAMS_APP_ID nor CLIENT_ID is set: the app cannot find itself in the catalog' };
    const filter = encodeURIComponent(`externalId eq '${manifestId.replace(/'/g, "''")}'`);
    try {
      const answer = await this.deps.graph.get<{ value?: Array<{ id: string }> }>(`/appCatalogs/teamsApps?$filter=${filter}`, {
        accept: [403],
      });
      if (answer.status === 403)
        return {
          outcome: 'not-permitted',
          detail: 'the app cannot read the Teams app catalog: set TEAMS_APP_ID to its catalog id, or grant AppCatalog.Read.All',
        };
      const id = answer.body.value?.[0]?.id;
      if (!id)
        return {
          outcome: 'not-permitted',
          detail: `the Teams app ${manifestId} is not in the organisation's app catalog: upload it in the Teams admin centre`,
        };
      this.log.warn({ catalogAppId: id }, `set TEAMS_APP_ID=${id} so that "Open the plan" links name the same app`);
      return id;
    } catch (err) {
      return { outcome: 'failed', detail: `the Teams app catalog could not be read: ${(err as Error).message}` };
    }
  }
}

/** The tab's client of the JSON API: adds the SSO token, turns error bodies into readable errors. */
import type { Dashboard } from '../domain/dashboard';
import type { StatusUpdate } from '../domain/model';
import type { DirectoryPersonView, DirectoryRoleView } from '../server/api/directory';
import type { MeView } from '../server/api/me';
import type { StoredItem, StoredPlan } from '../store/planStore';
import type { ResolvedSettings } from '../usecases/planSettings';
import type { Host } from './host';

export type { Dashboard, DirectoryPersonView, DirectoryRoleView, StatusUpdate, StoredItem, StoredPlan };

export type Me = MeView;

/** What the tab opens with (GET /api/start): the plans, the one shown, who the caller is in it, its items. */
export interface Opening {
  plans: PlanSummary[];
  plan: StoredPlan;
  me: Me;
  items: StoredItem[];
}

export interface PlanSummary extends StoredPlan {
  itemCount: number;
}

/** A plan's settings as the server resolves them (saved in the tab, else the environment's). */
export type Settings = ResolvedSettings;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: { error?: string; message?: string; current?: unknown; problems?: Array<{ field: string; message: string }> } = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The response of a request already sent, or the error to show for it. */
async function checked(request: Promise<Response>): Promise<Response> {
  let res: Response;
  try {
    res = await request;
  } catch {
    throw new ApiError(0, 'The server could not be reached. Check your connection and try again.');
  }
  if (!res.ok) {
    let parsed: ApiError['body'] = {};
    try {
      parsed = (await res.json()) as ApiError['body'];
    } catch {
      // Not JSON: keep the status text.
    }
    throw new ApiError(res.status, parsed.message ?? `The server answered ${res.status} ${res.statusText}`, parsed);
  }
  return res;
}

/** The JSON of a request the page sent before the app's code ran (boot.ts), read as any other. */
export async function jsonOf<T>(request: Promise<Response>): Promise<T> {
  return (await (await checked(request)).json()) as T;
}

export class Api {
  constructor(private readonly host: Pick<Host, 'getToken'>) {}

  private async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    file?: Blob,
  ): Promise<Response> {
    let token: string | undefined;
    try {
      token = await this.host.getToken();
    } catch (e) {
      throw new ApiError(
        401,
        `Teams could not sign you in to the plan (${e instanceof Error ? e.message : String(e)}). Reload the tab; if it keeps happening, ask your administrator to grant the app consent.`,
      );
    }
    // X-Requested-With: a local-mode server takes changes only with it (no other site can send it; see server/localGuard.ts).
    const h: Record<string, string> = { accept: 'application/json', 'x-requested-with': 'dplan-tab', ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    if (body !== undefined) h['content-type'] = 'application/json';
    const payload = file ?? (body !== undefined ? JSON.stringify(body) : undefined);
    return checked(fetch(`/api${path}`, { method, headers: h, ...(payload !== undefined ? { body: payload } : {}) }));
  }

  async get<T>(path: string): Promise<T> {
    return (await (await this.request('GET', path)).json()) as T;
  }

  async send<T>(method: 'POST' | 'PATCH' | 'PUT', path: string, body: unknown, ifMatch?: string): Promise<T> {
    return (await (await this.request(method, path, body, ifMatch ? { 'if-match': `"${ifMatch}"` } : {})).json()) as T;
  }

  /** A file sent as the raw request body (plan upload), JSON back. */
  async upload<T>(path: string, file: Blob): Promise<T> {
    const type = file.type || 'application/octet-stream';
    return (await (await this.request('POST', path, undefined, { 'content-type': type }, file)).json()) as T;
  }

  /** A file download (export): the body and the file name the server gave. */
  async download(path: string): Promise<{ blob: Blob; filename: string }> {
    const res = await this.request('GET', path, undefined, { accept: '*/*' });
    const disposition = res.headers.get('content-disposition') ?? '';
    const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'export';
    return { blob: await res.blob(), filename };
  }
}

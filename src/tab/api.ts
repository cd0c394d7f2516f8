/** The tab's client of the JSON API: adds the SSO token, turns error bodies into readable errors. */
import type { Dashboard } from '../domain/dashboard';
import type { StatusUpdate } from '../domain/model';
import type { DirectoryPersonView, DirectoryRoleView } from '../server/api/directory';
import type { MeView } from '../server/api/me';
import type { StoredItem, StoredPlan } from '../store/planStore';
import type { ResolvedSettings } from '../usecases/planSettings';
import type { Host } from './host';
import type { EarlyAnswer } from './window';

export type { Dashboard, DirectoryPersonView, DirectoryRoleView, StatusUpdate, StoredItem, StoredPlan };

export type Me = MeView;

/** What the tab opens with (GET /api/start): the plan shown, who the caller is in it, its items. */
export interface Opening {
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

/** The error to show for an answer that is not a success, from its JSON body when it has one. */
function apiErrorOf(status: number, statusText: string, body: unknown): ApiError {
  const parsed = (body && typeof body === 'object' ? body : {}) as ApiError['body'];
  return new ApiError(status, parsed.message ?? `The server answered ${status} ${statusText}`, parsed);
}

const UNREACHABLE = 'The server could not be reached. Check your connection and try again.';

/** The response of a request already sent, or the error to show for it. */
async function checked(request: Promise<Response>): Promise<Response> {
  let res: Response;
  try {
    res = await request;
  } catch {
    throw new ApiError(0, UNREACHABLE);
  }
  if (!res.ok) {
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      // Not JSON: keep the status text.
    }
    throw apiErrorOf(res.status, res.statusText, body);
  }
  return res;
}

/** The JSON of a request the page sent and read before the app's code ran (boot.ts), or the error to show for it. */
export async function jsonOfEarly<T>(answer: Promise<EarlyAnswer>): Promise<T> {
  let got: EarlyAnswer;
  try {
    got = await answer;
  } catch {
    throw new ApiError(0, UNREACHABLE);
  }
  if (!got.ok) throw apiErrorOf(got.status, got.statusText, got.json?.value);
  if (!got.json) throw new ApiError(got.status, 'The server answered with something other than JSON. Reload the tab.');
  return got.json.value as T;
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

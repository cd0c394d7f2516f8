/**
 * SharePoint's per-app resource-unit budget, as "Avoid getting throttled or blocked in SharePoint
 * Online" describes it (https://learn.microsoft.com/en-us/sharepoint/dev/general-development/how-to-avoid-getting-throttled-or-blocked-in-sharepoint-online):
 *  - each app has a budget of resource units per minute: 1,200 for a tenant of up to 1,000 licences
 *    (2,400 up to 5,000, …);
 *  - a Graph request costs 1 unit for a single item (get an item, a delta with a token), 2 for a
 *    query of many items (list items, lists, columns, a delta without a token) and for any create,
 *    update or delete; requests inside a `$batch` are counted one by one;
 *  - over budget: 429 with Retry-After (seconds, and it can be minutes), and throttled requests count
 *    towards the budget too;
 *  - `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` headers (IETF draft 03) come with
 *    answers once an app has used 80 % of its minute, for app-only calls
 *    (https://devblogs.microsoft.com/microsoft365dev/prevent-throttling-in-your-application-by-using-ratelimit-headers-in-sharepoint-online/).
 * The window is a sliding minute on the emulator's clock, so tests advance a manual clock instead of
 * waiting for real.
 */

export interface Clock {
  now(): number;
}

/** A clock that moves only when told: tests and benchmarks "wait" minutes in no time. */
export class ManualClock implements Clock {
  constructor(private at: number = Date.parse('2019-01-15T09:00:00Z')) {}
  now(): number {
    return this.at;
  }
  advance(ms: number): void {
    this.at += Math.max(0, ms);
  }
}

export const systemClock: Clock = { now: () => Date.now() };

const WINDOW_MS = 60_000;
const WARN_SHARE = 0.8;

export type Charge = { ok: true; headers: Record<string, string> } | { ok: false; headers: Record<string, string> };

export class ResourceBudget {
  private readonly spent = new Map<string, Array<{ at: number; units: number }>>();
  /** Units charged in all, and refused, per app (for assertions and benchmarks). */
  readonly charged = new Map<string, number>();

  constructor(
    readonly unitsPerMinute: number,
    private readonly clock: Clock,
  ) {}

  /** Charges `units` to `app`; over budget, the answer is a 429 with the wait. */
  charge(app: string, units: number): Charge {
    const now = this.clock.now();
    const entries = (this.spent.get(app) ?? []).filter((e) => e.at > now - WINDOW_MS);
    this.spent.set(app, entries);
    this.charged.set(app, (this.charged.get(app) ?? 0) + units);
    const used = entries.reduce((sum, e) => sum + e.units, 0);
    entries.push({ at: now, units });
    if (used + units > this.unitsPerMinute) {
      const wait = this.secondsUntilRoom(entries, units, now);
      return {
        ok: false,
        headers: {
          'Retry-After': String(wait),
          'RateLimit-Limit': String(this.unitsPerMinute),
          'RateLimit-Remaining': '0',
          'RateLimit-Reset': String(wait),
        },
      };
    }
    const after = used + units;
    if (after < this.unitsPerMinute * WARN_SHARE) return { ok: true, headers: {} };
    const reset = Math.max(1, Math.ceil((entries[0]!.at + WINDOW_MS - now) / 1000));
    return {
      ok: true,
      headers: {
        'RateLimit-Limit': String(this.unitsPerMinute),
        'RateLimit-Remaining': String(Math.max(0, this.unitsPerMinute - after)),
        'RateLimit-Reset': String(reset),
      },
    };
  }

  /** Whole seconds until `units` more fit in the window (the refused request's own charge included). */
  private secondsUntilRoom(entries: Array<{ at: number; units: number }>, units: number, now: number): number {
    let used = entries.reduce((sum, e) => sum + e.units, 0);
    for (const e of entries) {
      if (used + units <= this.unitsPerMinute) break;
      used -= e.units;
      if (used + units <= this.unitsPerMinute) return Math.max(1, Math.ceil((e.at + WINDOW_MS - now) / 1000));
    }
    return Math.max(1, Math.ceil(WINDOW_MS / 1000));
  }
}

/** Resource units of one Graph request, by the table on the throttling page. */
export function resourceUnits(method: string, path: string, q: URLSearchParams): number {
  if (method !== 'GET') return 2;
  if (/\/items\/delta$/.test(path)) return q.get('token') && q.get('token') !== 'latest' ? 1 : 2;
  if (/\/items\/\d+(\/fields)?$/.test(path)) return 1;
  if (/^\/sites\/[^/:]+(:\/[^:]*:?)?$/.test(path) || /\/lists\/[^/]+$/.test(path)) return 1;
  return 2;
}

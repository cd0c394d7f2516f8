/**
 * What the tab opens with (GET /api/start). In a plain browser the page's boot script (boot.ts) has
 * already sent the request while the code loaded; in Teams it is sent as soon as the host is
 * connected (with the sign-in token), before the first render.
 */
import { Api, jsonOfEarly, type Opening } from './api';
import type { Host } from './host';
import type { TabMode } from './App';
import type { DplanBoot } from './window';

export interface EarlyOpening {
  promise: Promise<Opening>;
  /** Set once the answer has been read: the first render can show the plan without a spinner first. */
  value?: Opening;
}

/** The opening request the boot script sent, if any; taken once (a reload asks again). */
export function takeEarlyOpening(): EarlyOpening | undefined {
  const boot: DplanBoot | undefined = window.dplanBoot;
  const start = boot?.start;
  if (!boot || !start) return undefined;
  delete boot.start;
  return kept(jsonOfEarly<Opening>(start));
}

/** The opening request sent now, for a host the boot script could not send it for (Teams). */
export function sendOpening(host: Host, mode: TabMode): EarlyOpening {
  return kept(requestOpening(new Api(host), mode, wantedPlan(host)));
}

/** The plan the tab was configured with: the channel tab's ?plan=, or the Teams deep link's sub-page. */
export function wantedPlan(host: Pick<Host, 'subPageId'>): string | undefined {
  return new URLSearchParams(window.location.search).get('plan') ?? host.subPageId ?? undefined;
}

function kept(promise: Promise<Opening>): EarlyOpening {
  const early: EarlyOpening = { promise };
  promise.then(
    (value) => {
      early.value = value;
    },
    () => undefined,
  );
  return early;
}

/**
 * Waits for the early answer for at most `ms`, so that the usual first render (server quicker than
 * the code) shows the plan at once, and a slow server gets the "Loading the plan…" spinner soon.
 */
export async function briefly(early: EarlyOpening | undefined, ms: number): Promise<void> {
  if (!early) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([early.promise.catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** The opening request: the plan the tab was configured with (else the newest), for this tab. */
export function requestOpening(api: Api, mode: TabMode, wanted: string | undefined): Promise<Opening> {
  const query = new URLSearchParams({ mode });
  if (wanted) query.set('plan', wanted);
  return api.get<Opening>(`/start?${query.toString()}`);
}

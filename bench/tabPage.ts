/**
 * What the tab bench measures inside Chromium, as a person sees it: from the input event (its
 * `timeStamp`, when the browser received the key or the choice) to the first paint that shows the
 * new result. The result is on screen when the "Showing N of M items" line says the count the API
 * gives for the same filter; the paint is the frame after that DOM change (a requestAnimationFrame
 * callback runs just before the frame is painted, and a message posted from it runs just after).
 *
 * Each function here is serialised into the page by playwright: they use nothing from this module.
 */

/** Installed before the tab's scripts run: when the first plan row reaches the screen (ms from navigation start). */
export function watchFirstRows(): void {
  const w = window as unknown as { dplanFirstRows?: number };
  const painted = (): void => {
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        w.dplanFirstRows = performance.now();
      };
      channel.port2.postMessage(null);
    });
  };
  const observer = new MutationObserver(() => {
    if (!document.querySelector('[data-testid="item-row"]')) return;
    observer.disconnect();
    painted();
  });
  observer.observe(document, { subtree: true, childList: true });
}

/** When the tab's code started (its modules loaded and run) and when the opening request had answered, from navigation start. */
export function phasesOfLoad(): { code: number; data: number } {
  return {
    code: performance.getEntriesByName('dplan:start')[0]?.startTime ?? NaN,
    data:
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((e) => e.name.includes('/api/start'))?.responseEnd ??
      NaN,
  };
}

export interface Armed {
  /** CSS selector of the control the input goes to. */
  selector: string;
  /** `keydown` for the search box, `input` for a select. */
  event: 'keydown' | 'input';
  /** The count of items the screen must show once the input has been applied. */
  expected: number;
}

/**
 * Arms one measurement: the promise (kept on window) resolves to input → painted result, in ms.
 * Resolves to -1 if the result has not shown within 20 s (the bench then reports the failure).
 */
export function arm({ selector, event, expected }: Armed): void {
  const w = window as unknown as { dplanMeasure?: Promise<number> };
  w.dplanMeasure = new Promise<number>((resolve) => {
    const control = document.querySelector(selector);
    const status = (): Element | null => document.querySelector('[data-testid="result-count"]');
    let started: number | undefined;
    let done = false;
    const shows = (): boolean => new RegExp(`^Showing ${expected} of `).test((status()?.textContent ?? '').trim());
    const finish = (): void => {
      if (done || started === undefined || !shows()) return;
      done = true;
      observer.disconnect();
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now() - (started as number));
        channel.port2.postMessage(null);
      });
    };
    const observer = new MutationObserver(finish);
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    control?.addEventListener(
      event,
      (e) => {
        started ??= e.timeStamp;
        // A change that renders in the same task as the event is seen by the observer's next check.
        queueMicrotask(finish);
      },
      { capture: true, once: true },
    );
    setTimeout(() => {
      if (!done) {
        observer.disconnect();
        resolve(-1);
      }
    }, 20_000);
  });
}

export function measured(): Promise<number> | undefined {
  return (window as unknown as { dplanMeasure?: Promise<number> }).dplanMeasure;
}

/** Elements in the document once it has stopped changing (no change for a second, 30 s at most). */
export async function settledNodeCount(): Promise<number> {
  const count = (): number => document.getElementsByTagName('*').length;
  let last = count();
  let stableSince = performance.now();
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    const now = count();
    if (now !== last) {
      last = now;
      stableSince = performance.now();
    } else if (performance.now() - stableSince > 1000) break;
  }
  return last;
}

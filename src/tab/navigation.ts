/**
 * Where the tab is (its hash: `#/plan`, `#/plan/<item key>`, and the Plan's filters after a `?`:
 * `#/plan?status=red`), and the rule that a change of place
 * closes every open dialog first. A Fluent dialog that is unmounted while open (its view replaced on
 * a hash change or Back) leaves the rest of the page aria-hidden, and screen-reader users lose the
 * whole app; so each open dialog registers how to close it, and a navigation closes them all and
 * waits until Fluent has given the page back before the view changes.
 */

export interface Route<View extends string = string> {
  view: View;
  /** The item whose detail is open. */
  item?: string;
  /** The view's filters, as a query string without its `?` (the Plan's: see PlanFilters' queryOf). */
  query?: string;
}

export function routeFromHash<View extends string>(views: readonly View[]): Route<View> {
  const hash = window.location.hash.replace(/^#\/?/, '');
  const at = hash.indexOf('?');
  const [id, item] = (at < 0 ? hash : hash.slice(0, at)).split('/');
  const query = at < 0 ? '' : hash.slice(at + 1);
  const view = views.find((v) => v === id) ?? (views[0] as View);
  let key: string | undefined;
  try {
    key = item ? decodeURIComponent(item) : undefined;
  } catch {
    key = undefined;
  }
  return { view, ...(key ? { item: key } : {}), ...(query ? { query } : {}) };
}

export function hashOf(route: Route): string {
  return `#/${route.view}${route.item ? `/${encodeURIComponent(route.item)}` : ''}${route.query ? `?${route.query}` : ''}`;
}

/** The same place: view, open item and filters. */
export function samePlace(a: Route, b: Route): boolean {
  return a.view === b.view && a.item === b.item && (a.query ?? '') === (b.query ?? '');
}

const open = new Set<() => void>();

/** Registers an open dialog's close; returns the unregister. */
export function trackModal(close: () => void): () => void {
  open.add(close);
  return () => open.delete(close);
}

/** Closes every open dialog. */
export function closeModals(): void {
  for (const close of [...open]) close();
}

/** No dialog is in the page and the app is not hidden from assistive technology. */
export function modalsGone(): boolean {
  return (
    document.querySelector('[role="dialog"], [role="alertdialog"]') === null && document.querySelector('#root[aria-hidden="true"]') === null
  );
}

/** Resolves once `modalsGone()`: Fluent has played the exit animations and removed aria-hidden. */
export function whenModalsGone(): Promise<void> {
  if (modalsGone()) return Promise.resolve();
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (!modalsGone()) return;
      observer.disconnect();
      resolve();
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-hidden', 'role'] });
  });
}

/** True while the media query matches (re-renders when it starts or stops matching). */
import { useCallback, useSyncExternalStore } from 'react';

/** Below this width the tab lays out for a phone: cards, filters behind a button, full-screen detail. */
export const NARROW = '(max-width: 640px)';
/** From this width the item detail has room for its history beside the form. */
export const WIDE = '(min-width: 1024px)';

const lists = new Map<string, MediaQueryList>();

/**
 * One MediaQueryList per query for the page's life: React reads the snapshot on every render of the
 * list and again after each commit, and `window.matchMedia` parses the query and makes a new list
 * each time (about 1.5 ms a keystroke in Search on the plan), where `.matches` of a kept list is a read.
 */
function listFor(query: string): MediaQueryList {
  let list = lists.get(query);
  if (!list) {
    list = window.matchMedia(query);
    lists.set(query, list);
  }
  return list;
}

export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (changed: () => void) => {
      const list = listFor(query);
      list.addEventListener('change', changed);
      return () => list.removeEventListener('change', changed);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => listFor(query).matches);
}

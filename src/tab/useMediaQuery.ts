/** True while the media query matches (re-renders when it starts or stops matching). */
import { useCallback, useSyncExternalStore } from 'react';

/** Below this width the tab lays out for a phone: cards, filters behind a button, full-screen detail. */
export const NARROW = '(max-width: 640px)';
/** From this width the item detail has room for its history beside the form. */
export const WIDE = '(min-width: 1024px)';

export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (changed: () => void) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', changed);
      return () => list.removeEventListener('change', changed);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => window.matchMedia(query).matches);
}

/** What every view gets: the API client, the caller, the plan and its items (kept fresh after edits). */
import { createContext, useContext } from 'react';
import type { Api, Me, StoredItem, StoredPlan } from './api';
import type { TeamPlace } from './host';

export interface PlanContextValue {
  api: Api;
  me: Me;
  plan: StoredPlan;
  items: StoredItem[];
  /** The team and channel of a channel tab in Teams (none in local mode or the personal tab). */
  team?: TeamPlace;
  /** Today in London, as the server sees it. */
  today: string;
  /** Replaces one item after a change (status, edit, conflict). */
  replaceItem(item: StoredItem): void;
  /** Reloads items from the server. */
  reload(): Promise<void>;
  /** Bumped whenever an item changes, so views holding derived data (dashboard) reload. */
  revision: number;
  /** Says something to screen-reader users (polite live region). */
  announce(message: string): void;
  /** The item whose detail is open (from the address: `#/<view>/<item key>`). */
  openKey?: string;
  /**
   * Opens an item's detail (a new history entry, so that Back closes it and returns here), over the
   * current view or over `view` (the dashboard opens items over the Plan: `#/plan/<item key>`).
   */
  openItem(key: string, view?: string): void;
  /** Closes the detail. */
  closeItem(): void;
}

export const PlanContext = createContext<PlanContextValue | undefined>(undefined);

export function usePlan(): PlanContextValue {
  const value = useContext(PlanContext);
  if (!value) throw new Error('usePlan outside PlanContext');
  return value;
}

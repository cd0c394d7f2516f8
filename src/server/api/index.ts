/** The tab's JSON API under /api/ (built by the tab and API issue). */
import type express from 'express';
import type { AppDeps } from '../deps';

export function mountApi(_app: express.Express, _deps: AppDeps): void {
  // Not built yet: the tab and API issue adds the routes here.
}

/** What the tab API is given by the composition root (src/app.ts), and small helpers its routes share. */
import type express from 'express';
import type { Config } from '../../config';
import type { Clock } from '../../domain/clock';
import { londonDate } from '../../domain/calendar';
import { NotFoundError, ValidationError } from '../../errors';
import type { GraphHttp } from '../../graph/graphHttp';
import type { Logger } from '../../logger';
import type { PlanStore, StoredItem, StoredPlan } from '../../store/planStore';
import type { PlanSettingsResolver } from '../../usecases/planSettings';
import type { TokenValidator } from '../auth/token';

/** What the tab needs from the Teams bot. Without it, "Send prompt now" answers 503 and nobody is listed as unreachable. */
export interface BotHooks {
  /** Sends a prompt to the item's leads now. */
  promptNow(planId: string, itemKey: string, requestedBy: string): Promise<{ sent: number; alreadySent: number; unreachable: string[] }>;
  /** Leads the bot cannot reach (no 1:1 chat, app removed) and why. */
  unreachableLeads(planId: string): Promise<Array<{ who: string; why: string }>>;
  /** The team a channel belongs to (the tab was set up in it), so the bot can post there. */
  linkChannel?(link: { channelId: string; teamId: string; tenantId?: string }): Promise<void>;
}

export interface ApiDeps {
  config: Config;
  store: PlanStore;
  logger: Logger;
  clock: Clock;
  settings: PlanSettingsResolver;
  bot?: BotHooks;
  /** Replaces SSO validation (tests). */
  validator?: TokenValidator;
  /** Graph acting as the signed-in user (people search); on-behalf-of their SSO token by default. */
  graphForUser?: (ssoToken: string) => GraphHttp;
}

/** The server's calendar date (Europe/London): the tab's "today" for due dates. */
export function today(deps: Pick<ApiDeps, 'clock'>): string {
  return londonDate(deps.clock.now());
}

export function param(req: express.Request, name: string): string {
  return String(req.params[name]);
}

export async function planOr404(store: PlanStore, planId: string): Promise<StoredPlan> {
  const plan = await store.getPlan(planId);
  if (!plan) throw new NotFoundError(`There is no plan "${planId}". Choose a plan from the list (GET /api/plans).`);
  return plan;
}

export async function itemOr404(store: PlanStore, planId: string, key: string): Promise<StoredItem> {
  const item = await store.getItem(planId, key);
  if (!item)
    throw new NotFoundError(`There is no item "${key}" in plan "${planId}": it may have been removed by a re-import. Reload the plan.`);
  return item;
}

/** The version the person saw: If-Match (an ETag we sent) or the body's `version`. */
export function expectedVersion(req: express.Request, bodyVersion?: string): string {
  const header = req.get('if-match');
  const version = header ? header.replace(/^W\//, '').replace(/^"|"$/g, '') : bodyVersion;
  if (!version)
    throw new ValidationError(
      'Send the version you are changing (If-Match header or "version"), so that nobody\'s change is overwritten',
      'version',
    );
  return version;
}

export function sendItem(res: express.Response, item: StoredItem, status = 200): void {
  res.status(status).set('ETag', `"${item.version}"`).json(item);
}

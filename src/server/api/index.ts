/**
 * The tab's JSON API under /api/. Every route needs a caller (SSO token in Teams, the development
 * identity in local mode). Reads are open to every caller; a lead may report status only on the
 * items their role leads; editing items, prompting, the directory, settings and export are for
 * co-ordinators. Updates carry the version the person saw (If-Match or `version`): a stale one gets
 * 409 with the current item, and nothing is written.
 */
import express from 'express';
import { buildDashboard } from '../../domain/dashboard';
import { filterItems, localDate, sortItems } from '../../domain/filters';
import { slugify } from '../../domain/identity';
import type { Rag } from '../../domain/model';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors';
import type { ItemPatch, Person, StatusChange, StoredItem, StoredPlan } from '../../store/planStore';
import type { AppDeps } from '../deps';
import { authenticate, callerOf, isCoordinator, leadsItem, rolesOf, type Caller } from '../auth';
import type { TokenValidator } from '../auth/token';
import { graphTokenOnBehalfOf } from '../auth/obo';
import { openSettingsStore, planSettingsSchema, type SettingsStore } from '../../store/settingsStore';
import { directoryView } from './directory';
import { errorHandler, UnavailableError } from './errors';
import { exportPlan } from './export';
import { importRouter } from './importRoute';
import {
  dashboardQuerySchema,
  directoryPutSchema,
  exportQuerySchema,
  itemPatchSchema,
  itemsQuerySchema,
  peopleQuerySchema,
  statusChangeSchema,
} from './schemas';

/**
 * What the tab needs from the Teams bot, which registers it as `app.locals.bot` when it is mounted
 * (the API reads it per request, so mounting order does not matter). Without it, "send a prompt now"
 * answers 503 and the directory knows only roles with nobody named as unreachable.
 */
export interface BotHooks {
  /** Sends a prompt to the item's leads now. */
  promptNow?(planId: string, itemKey: string, requestedBy: string): Promise<{ sent: number; unreachable: string[] }>;
  /** Leads the bot cannot reach (no 1:1 chat, app removed) and why. */
  unreachableLeads?(planId: string): Promise<Array<{ who: string; why: string }>>;
}

export interface ApiOptions {
  /** Replaces SSO validation (tests). */
  validator?: TokenValidator;
  settings?: SettingsStore;
  /** Exchanges the caller's SSO token for a Graph token (on-behalf-of); MSAL by default. */
  onBehalfOf?: (config: AppDeps['config'], userToken: string) => Promise<string>;
}

export function mountApi(app: express.Express, deps: AppDeps, options: ApiOptions = {}): void {
  app.use('/api/plans/import', importRouter(deps, options)); // raw file bodies, ahead of the JSON-only API
  app.use('/api', createApiRouter(deps, options, app));
}

export function createApiRouter(deps: AppDeps, options: ApiOptions = {}, app?: express.Express): express.Router {
  const { store, config, clock, logger } = deps;
  let settings = options.settings;
  const settingsStore = (): SettingsStore => (settings ??= openSettingsStore(config));
  const router = express.Router();
  router.use(express.json({ limit: '256kb' }));
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.use(authenticate(config, options.validator));
  // A body in another format would reach the routes as no body at all, and be refused for the wrong reason.
  router.use((req, res, next) => {
    // An empty body (POST …/prompt, Content-Length: 0) carries no format to refuse.
    const empty = req.get('content-length') === '0' || (!req.get('content-length') && !req.get('transfer-encoding'));
    if (!empty && req.is('application/json') === false) {
      res
        .status(415)
        .json({
          error: 'invalid',
          message: `Send the body as JSON (Content-Type: application/json), not ${req.get('content-type') ?? 'without a content type'}`,
        });
      return;
    }
    next();
  });

  const today = (): string => localDate(clock.now(), config.TZ_DISPLAY);

  async function planOr404(planId: string): Promise<StoredPlan> {
    const plan = await store.getPlan(planId);
    if (!plan) throw new NotFoundError(`There is no plan "${planId}". Choose a plan from the list (GET /api/plans).`);
    return plan;
  }

  async function itemOr404(planId: string, key: string): Promise<StoredItem> {
    const item = await store.getItem(planId, key);
    if (!item)
      throw new NotFoundError(`There is no item "${key}" in plan "${planId}": it may have been removed by a re-import. Reload the plan.`);
    return item;
  }

  function requireCoordinator(caller: Caller, what: string): void {
    if (!isCoordinator(caller, config))
      throw new ForbiddenError(`Only a plan co-ordinator can ${what}. Ask a co-ordinator, or to be added to COORDINATOR_IDS.`);
  }

  async function rights(planId: string, caller: Caller): Promise<{ coordinator: boolean; roles: string[] }> {
    const directory = await store.listDirectory(planId);
    return { coordinator: isCoordinator(caller, config), roles: rolesOf(caller, directory) };
  }

  /** The version the person saw: If-Match (an ETag we sent) or the body's `version`. */
  function expectedVersion(req: express.Request, bodyVersion?: string): string {
    const header = req.get('if-match');
    const version = header ? header.replace(/^W\//, '').replace(/^"|"$/g, '') : bodyVersion;
    if (!version)
      throw new ValidationError(
        'Send the version you are changing (If-Match header or "version"), so that nobody\'s change is overwritten',
        'version',
      );
    return version;
  }

  async function directoryFor(planId: string): Promise<ReturnType<typeof directoryView>> {
    const bot = app?.locals.bot as BotHooks | undefined;
    const [items, directory, history, unreachable] = await Promise.all([
      store.listItems(planId),
      store.listDirectory(planId),
      store.history(planId),
      bot?.unreachableLeads ? bot.unreachableLeads(planId).catch(() => []) : Promise.resolve([]),
    ]);
    return directoryView(items, directory, history, unreachable);
  }

  const sendItem = (res: express.Response, item: StoredItem, status = 200): void => {
    res.status(status).set('ETag', `"${item.version}"`).json(item);
  };

  const param = (req: express.Request, name: string): string => String(req.params[name]);

  router.get('/me', async (req, res) => {
    const caller = callerOf(req);
    const planId = typeof req.query.plan === 'string' ? req.query.plan : undefined;
    const roles = planId ? rolesOf(caller, await store.listDirectory(planId)) : [];
    res.json({
      id: caller.id,
      name: caller.name,
      email: caller.email ?? null,
      localMode: caller.local,
      coordinator: isCoordinator(caller, config),
      roles,
      /** The server's calendar date (Europe/London): the tab's "today" for due dates. */
      today: today(),
      /** Entity id the setup page gives the channel tab, the one the bot's deep links name. */
      tabEntityId: (config as typeof config & { TAB_ENTITY_ID?: string }).TAB_ENTITY_ID ?? 'plan',
    });
  });

  /**
   * People search for the directory. In Teams: Microsoft Graph on behalf of the signed-in user (so
   * only people they may see); in local mode: the people already in the plans' directories.
   */
  router.get('/people', async (req, res) => {
    const caller = callerOf(req);
    const { q } = peopleQuerySchema.parse(req.query);
    if (caller.token && config.CLIENT_SECRET) {
      const graphToken = await (options.onBehalfOf ?? graphTokenOnBehalfOf)(config, caller.token);
      const term = q.replace(/["\\]/g, ' ').trim();
      const url = `${config.GRAPH_BASE_URL}/users?$search=${encodeURIComponent(`"displayName:${term}" OR "mail:${term}"`)}&$select=id,displayName,mail,userPrincipalName&$top=10`;
      const graph = await fetch(url, {
        headers: { authorization: `Bearer ${graphToken}`, ConsistencyLevel: 'eventual', accept: 'application/json' },
      });
      if (!graph.ok)
        throw new UnavailableError(
          `Microsoft Graph could not search people just now (${graph.status}). Type the person's name and email instead.`,
        );
      const body = (await graph.json()) as {
        value?: Array<{ id: string; displayName?: string; mail?: string | null; userPrincipalName?: string }>;
      };
      res.json(
        (body.value ?? []).map((u) => ({
          id: u.id,
          name: u.displayName ?? u.userPrincipalName ?? u.id,
          email: u.mail ?? u.userPrincipalName ?? null,
        })),
      );
      return;
    }
    const folded = q.toLowerCase();
    const seen = new Map<string, { id: string; name: string; email: string | null }>();
    for (const plan of await store.listPlans()) {
      for (const entry of await store.listDirectory(plan.id)) {
        for (const p of entry.people) {
          if ((p.name.toLowerCase().includes(folded) || p.email?.toLowerCase().includes(folded)) && !seen.has(p.id))
            seen.set(p.id, { id: p.id, name: p.name, email: p.email ?? null });
        }
      }
    }
    res.json([...seen.values()].slice(0, 10));
  });

  router.get('/plans', async (_req, res) => {
    const plans = await store.listPlans();
    const withCounts = await Promise.all(plans.map(async (p) => ({ ...p, itemCount: (await store.listItems(p.id)).length })));
    res.json(withCounts);
  });

  router.get('/plans/:planId', async (req, res) => {
    res.json(await planOr404(param(req, 'planId')));
  });

  router.get('/plans/:planId/items', async (req, res) => {
    const planId = param(req, 'planId');
    await planOr404(planId);
    const q = itemsQuerySchema.parse(req.query);
    const asOf = q.asOf ?? today();
    const filter = {
      ...(q.objective !== undefined ? { objective: q.objective } : {}),
      ...(q.lead ? { lead: q.lead } : {}),
      ...(q.status ? { statuses: q.status as Rag[] } : {}),
      ...(q.kind ? { kind: q.kind } : {}),
      ...(q.due ? { due: q.due } : {}),
      ...(q.q ? { text: q.q } : {}),
    };
    const items = sortItems(filterItems(await store.listItems(planId), filter, asOf), q.sort, q.dir, asOf);
    res.json(items);
  });

  router.get('/plans/:planId/items/:key', async (req, res) => {
    sendItem(res, await itemOr404(param(req, 'planId'), param(req, 'key')));
  });

  router.patch('/plans/:planId/items/:key', async (req, res) => {
    const caller = callerOf(req);
    requireCoordinator(caller, 'edit an item');
    const planId = param(req, 'planId');
    const key = param(req, 'key');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { version: bodyVersion, ...fields } = body;
    const patch = itemPatchSchema.parse(fields) as ItemPatch;
    const plan = await planOr404(planId);
    const known = new Set(plan.objectives.map((o) => o.number));
    for (const n of patch.objectives ?? []) if (!known.has(n)) throw new ValidationError(`The plan has no objective ${n}`, 'objectives');
    const recs = new Set(plan.recommendations.map((r) => r.number));
    for (const n of patch.recommendations ?? [])
      if (!recs.has(n)) throw new ValidationError(`The plan has no recommendation ${n}`, 'recommendations');
    const version = expectedVersion(req, typeof bodyVersion === 'string' ? bodyVersion : undefined);
    await itemOr404(planId, key);
    const updated = await store.updateItem(planId, key, patch, version);
    logger.info({ planId, key, by: caller.id, fields: Object.keys(patch) }, 'item edited');
    sendItem(res, updated);
  });

  router.post('/plans/:planId/items/:key/status', async (req, res) => {
    const caller = callerOf(req);
    const planId = param(req, 'planId');
    const key = param(req, 'key');
    const body = statusChangeSchema.parse(req.body ?? {});
    const item = await itemOr404(planId, key);
    const { coordinator, roles } = await rights(planId, caller);
    if (!coordinator && !leadsItem(roles, item)) {
      throw new ForbiddenError(
        roles.length
          ? `You lead ${roles.join(', ')}; this item is led by ${item.leads.join(', ')}. Only its leads or a co-ordinator can report on it.`
          : `You are not listed as a lead in this plan's directory, so you can report only on items you lead. Ask a co-ordinator to add you.`,
      );
    }
    if (body.to === 'not-reported')
      throw new ValidationError('Choose Red, Amber, Green or Complete: "not reported" cannot be reported', 'to');
    if (body.revisedDate && body.to !== 'red' && body.to !== 'amber')
      throw new ValidationError('A revised date goes with a Red or Amber status', 'revisedDate');
    // As on the bot's card: the revised date is when the item will now be delivered.
    if (body.revisedDate && body.revisedDate < today())
      throw new ValidationError(
        `The revised date ${body.revisedDate} is in the past: give the date the item will now be delivered`,
        'revisedDate',
      );
    const figures: Record<number, number> = {};
    for (const [index, value] of Object.entries(body.figures ?? {})) {
      const output = item.outputs[Number(index)];
      if (!output) throw new ValidationError(`The item has no output ${index} to report a figure against`, 'figures');
      if (typeof output.target !== 'number')
        throw new ValidationError(
          `Output ${index} ("${output.text.slice(0, 60)}") has no numeric target, so it takes no figure`,
          'figures',
        );
      figures[Number(index)] = value;
    }
    const change: StatusChange = { to: body.to, by: caller.email ?? caller.name, at: clock.now().toISOString() };
    if (body.note) change.note = body.note;
    if (Object.keys(figures).length) change.figures = figures;
    if (body.revisedDate) change.revisedDate = body.revisedDate;
    const updated = await store.updateStatus(planId, key, change, expectedVersion(req, body.version));
    logger.info({ planId, key, by: caller.id, to: body.to }, 'status reported from the tab');
    sendItem(res, updated);
  });

  router.get('/plans/:planId/items/:key/history', async (req, res) => {
    const planId = param(req, 'planId');
    const key = param(req, 'key');
    await itemOr404(planId, key);
    res.json(await store.history(planId, key));
  });

  router.get('/plans/:planId/history', async (req, res) => {
    const planId = param(req, 'planId');
    await planOr404(planId);
    res.json(await store.history(planId));
  });

  router.post('/plans/:planId/items/:key/prompt', async (req, res) => {
    const caller = callerOf(req);
    requireCoordinator(caller, 'send a prompt');
    const planId = param(req, 'planId');
    const key = param(req, 'key');
    await itemOr404(planId, key);
    const bot = app?.locals.bot as BotHooks | undefined;
    if (!bot?.promptNow)
      throw new UnavailableError(
        'Prompts are sent by the Teams bot, which is not running on this server. Start the server with the bot configured and try again.',
      );
    const result = await bot.promptNow(planId, key, caller.email ?? caller.name);
    res.status(202).json(result);
  });

  router.get('/plans/:planId/dashboard', async (req, res) => {
    const planId = param(req, 'planId');
    const plan = await planOr404(planId);
    const q = dashboardQuerySchema.parse(req.query);
    const [items, history] = await Promise.all([store.listItems(planId), store.history(planId)]);
    res.json(
      buildDashboard({
        objectives: plan.objectives,
        recommendations: plan.recommendations,
        items,
        history,
        asOf: q.asOf ?? today(),
        ...(q.upcomingDays ? { upcomingDays: q.upcomingDays } : {}),
      }),
    );
  });

  router.get('/plans/:planId/directory', async (req, res) => {
    const planId = param(req, 'planId');
    await planOr404(planId);
    res.json(await directoryFor(planId));
  });

  router.put('/plans/:planId/directory', async (req, res) => {
    const caller = callerOf(req);
    requireCoordinator(caller, 'change the directory');
    const planId = param(req, 'planId');
    await planOr404(planId);
    const body = directoryPutSchema.parse(req.body ?? {});
    for (const { role, people } of body.roles) {
      const withIds: Person[] = people.map((p) => {
        const person: Person = { id: p.id ?? p.email?.toLowerCase() ?? `local:${slugify(p.name)}`, name: p.name };
        if (p.email) person.email = p.email;
        return person;
      });
      if (withIds.length) await store.setPeople(planId, role, withIds);
      else await store.removeRole(planId, role);
    }
    logger.info({ planId, by: caller.id, roles: body.roles.length }, 'directory changed');
    res.json(await directoryFor(planId));
  });

  router.get('/plans/:planId/settings', async (req, res) => {
    const planId = param(req, 'planId');
    await planOr404(planId);
    res.json(settingsStore().get(planId));
  });

  router.put('/plans/:planId/settings', async (req, res) => {
    const caller = callerOf(req);
    requireCoordinator(caller, 'change settings');
    const planId = param(req, 'planId');
    await planOr404(planId);
    const body = { ...(req.body ?? {}) } as Record<string, unknown>;
    delete body.updatedAt;
    delete body.updatedBy;
    const parsed = planSettingsSchema.parse(body);
    res.json(settingsStore().put(planId, parsed, caller.email ?? caller.name, clock.now().toISOString()));
  });

  router.get('/plans/:planId/export', async (req, res) => {
    const caller = callerOf(req);
    requireCoordinator(caller, 'export the plan');
    const planId = param(req, 'planId');
    const plan = await planOr404(planId);
    const { format } = exportQuerySchema.parse(req.query);
    const items = await store.listItems(planId);
    const file = await exportPlan(plan, items, format);
    res
      .status(200)
      .set('Content-Type', file.contentType)
      .set('Content-Disposition', `attachment; filename="${file.filename}"`)
      .send(file.body);
  });

  router.use((req, res) => {
    res.status(404).json({ error: 'not_found', message: `No API route ${req.method} /api${req.path}` });
  });
  router.use(errorHandler(logger));
  return router;
}

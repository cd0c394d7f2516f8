/**
 * The composition root: builds every part of the running app once and hands each what it needs.
 *
 *   settings (one resolver) ─┬─▶ bot (Teams endpoint, prompt run, answers, digest) ─▶ scheduler
 *   store ───────────────────┤
 *                            └─▶ tab API (/api/*, with the bot's hooks)   + the tab (/tab/)
 *
 * `npm start` (src/main.ts) calls startApp with the configured store; tests call it with theirs.
 */
import type { Config } from './config';
import type { Clock } from './domain/clock';
import type { Logger } from './logger';
import { routeActivities } from './bot/activityRouter';
import { reportingDeps } from './bot/botDeps';
import { mailPartsFrom } from './bot/emailSetup';
import type { Bot } from './bot/bot';
import { createBotRuntime, type BotRuntime } from './bot/runtime';
import { TeamsSender } from './bot/sender';
import { createTeamsEndpoint } from './bot/teamsApp';
import { PER_CONVERSATION, RateLimiter, realTime, WINDOW_MARGIN_MS } from './bot/rateLimiter';
import { startSendWorkers, type SendWorkers } from './bot/sendWorker';
import { startScheduler, type Scheduler } from './scheduler/scheduler';
import { createApiRouter, type BotHooks } from './server/api';
import { answerRoutes } from './server/answer/answerRoutes';
import { outboxRoute } from './server/answer/outboxRoute';
import { createHttpApp, listen, serveTab, type Listening } from './server/app';
import type { TokenValidator } from './server/auth/token';
import type { PlanStore } from './store/planStore';
import { openState, type SharedState } from './state/openState';
import { PlanSettingsResolver } from './usecases/planSettings';
import type express from 'express';
import type { GraphHttp } from './graph/graphHttp';

export interface AppParts {
  config: Config;
  store: PlanStore;
  logger: Logger;
  clock: Clock;
  /** The bot's shared state (settings, leadership); from STATE_STORE by default. */
  state?: SharedState;
  /** Stand-ins for tests: the Teams sender, SSO validation, Graph for a signed-in user. */
  sender?: TeamsSender;
  validator?: TokenValidator;
  graphForUser?: (ssoToken: string) => GraphHttp;
  /** Graph for the app itself (sending mail from MAIL_SENDER); from configuration by default. */
  graph?: GraphHttp;
}

export interface RunningApp extends Listening {
  app: express.Express;
  bot: Bot;
  runtime: BotRuntime;
  settings: PlanSettingsResolver;
  scheduler?: Scheduler;
  /** STATE_STORE=azure: this instance's send workers. */
  workers?: SendWorkers;
}

export async function startApp(parts: AppParts, where: { port?: number; host?: string } = {}): Promise<RunningApp> {
  const { config, store, logger, clock } = parts;
  const state = parts.state ?? (await openState(config, logger));
  const settings = new PlanSettingsResolver(config, state.settings);

  const app = createHttpApp(config);
  // E-mail for partners outside Teams: answer links are signed once here and checked by the answer page.
  const mail = mailPartsFrom(config, logger, clock, parts.graph);
  let answerBase = config.PUBLIC_URL;
  // The bot first: it owns /api/messages and must see the raw activity.
  const endpoint = createTeamsEndpoint(app, config, logger);
  // STATE_STORE=azure: sends go through the queue, paced to this instance's share of the tenant's budget.
  const sending = state.sending;
  if (sending) await sending.instances.start();
  const sender =
    parts.sender ??
    (sending
      ? new TeamsSender({
          logger: logger.child({ part: 'bot', component: 'sender' }),
          limiter: new RateLimiter(realTime, PER_CONVERSATION, sending.instances.tenantWindows, WINDOW_MARGIN_MS, () =>
            sending.instances.mayStart(),
          ),
          ...(endpoint.token ? { token: endpoint.token } : {}),
        })
      : undefined);
  const runtime = createBotRuntime({
    config,
    store,
    logger,
    clock,
    settings,
    ...(endpoint.token ? { token: endpoint.token } : {}),
    ...(sender ? { sender } : {}),
    ...(state.bot ? { shared: state.bot } : {}),
    ...(sending ? { sendQueue: sending.queue } : {}),
    ...(mail ? { mail, answerBaseUrl: () => answerBase ?? `http://127.0.0.1:${config.PORT}` } : {}),
  });
  const workers = sending ? startSendWorkers(runtime, sending, logger) : undefined;
  routeActivities(endpoint.teams, runtime.bot, logger);
  await endpoint.start();
  logger.info({ ledger: runtime.dbFile }, 'send ledger and conversation references');

  const hooks: BotHooks = {
    promptNow: (planId, itemKey, requestedBy) => runtime.bot.promptNow(planId, itemKey, requestedBy),
    unreachableLeads: async (planId) => {
      const plan = await store.getPlan(planId);
      return plan ? runtime.bot.unreachableLeads(plan, await store.listItems(planId)) : [];
    },
    linkChannel: (link) => runtime.bot.linkChannel(link),
  };
  if (mail) {
    app.use(
      '/answer',
      answerRoutes({
        store,
        signer: mail.signer,
        reporting: reportingDeps(runtime.bot.deps),
        logger,
        ...(config.MAIL_SENDER ? { contact: config.MAIL_SENDER } : {}),
      }),
    );
    if (mail.outbox && config.LOCAL_MODE) app.use('/api', outboxRoute(mail.outbox));
  }
  app.use(
    '/api',
    createApiRouter({
      config,
      store,
      logger: logger.child({ part: 'api' }),
      clock,
      settings,
      bot: hooks,
      ...(parts.validator ? { validator: parts.validator } : {}),
      ...(parts.graphForUser ? { graphForUser: parts.graphForUser } : {}),
    }),
  );
  serveTab(app);

  const runSchedule = config.SCHEDULER && config.NODE_ENV !== 'test';
  if (runSchedule) await state.leadership.start();
  const scheduler = runSchedule
    ? startScheduler({
        config,
        clock,
        logger: logger.child({ part: 'scheduler' }),
        leadership: state.leadership,
        instance: runtime.ledger.instanceId,
        runs: { runPrompts: (date) => runtime.bot.runPrompts(date), runDigest: (now) => runtime.bot.runDigest(now, { onlyDue: true }) },
      })
    : undefined;

  const listening = await listen(app, where.port ?? config.PORT, where.host ?? config.HOST ?? '127.0.0.1');
  answerBase ??= listening.url;
  logger.info({ url: listening.url, store: config.STORE }, 'server listening');
  return {
    ...listening,
    app,
    bot: runtime.bot,
    runtime,
    settings,
    ...(scheduler ? { scheduler } : {}),
    ...(workers ? { workers } : {}),
    close: async () => {
      await scheduler?.stop();
      await workers?.stop();
      await sending?.instances.stop();
      await listening.close();
      await runtime.close();
      if (!parts.state) await state.close();
    },
  };
}

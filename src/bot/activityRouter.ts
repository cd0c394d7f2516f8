/** Routes each incoming Teams activity to the part of the bot that handles it. */
import type { Logger } from '../logger';
import { conversationKind, type IncomingActivity } from './activity';
import type { Bot } from './bot';
import type { DplanTeamsApp } from './teamsApp';

/** What Teams is told when an answer could not be handled (the store failed): nothing was lost. */
const NOT_RECORDED = 'Your answer could not be recorded just now. Nothing was lost: try again in a minute.';

export function routeActivities(teams: DplanTeamsApp, bot: Bot, logger: Logger): void {
  const log = logger.child({ component: 'activities' });
  teams.use(async (ctx) => {
    const activity = ctx.activity as unknown as IncomingActivity;
    const personal = conversationKind(activity) === 'personal';
    switch (activity.type) {
      case 'installationUpdate': {
        if (activity.action?.startsWith('remove')) bot.forget(activity);
        else {
          bot.remember(activity);
          if (activity.action === 'add') await bot.welcome(activity);
        }
        return;
      }
      case 'conversationUpdate': {
        const botId = activity.recipient.id;
        if (activity.membersAdded?.some((m) => m.id === botId)) {
          bot.remember(activity);
          if (personal) await bot.welcome(activity);
        } else if (activity.membersRemoved?.some((m) => m.id === botId)) bot.forget(activity);
        return;
      }
      case 'message': {
        if (personal) await bot.handleMessage(activity);
        else await bot.handleChannelMessage(activity);
        return;
      }
      case 'invoke': {
        if (activity.name !== 'adaptiveCard/action') return { status: 200 };
        bot.remember(activity);
        try {
          return { status: 200, body: await bot.handleCardAction(activity) };
        } catch (err) {
          log.error({ err: (err as Error).message }, 'card action failed');
          return {
            status: 200,
            body: { statusCode: 500, type: 'application/vnd.microsoft.error', value: { code: 'InternalError', message: NOT_RECORDED } },
          };
        }
      }
      default:
        return;
    }
  });
}

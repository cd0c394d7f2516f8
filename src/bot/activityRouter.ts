/** Routes each incoming Teams activity to the part of the bot that handles it. */
import type { Logger } from '../logger';
import { cardResponse, conversationKind, type CardActionResponse, type IncomingActivity } from './activity';
import type { Bot } from './bot';
import { notRecordedCard } from './notRecorded';
import type { DplanTeamsApp } from './teamsApp';

export function routeActivities(teams: DplanTeamsApp, bot: Bot, logger: Logger): void {
  const log = logger.child({ component: 'activities' });
  teams.use(async (ctx) => {
    const activity = ctx.activity as unknown as IncomingActivity;
    const personal = conversationKind(activity) === 'personal';
    switch (activity.type) {
      case 'installationUpdate': {
        if (activity.action?.startsWith('remove')) await bot.forget(activity);
        else {
          await bot.remember(activity);
          if (activity.action === 'add') await bot.welcome(activity);
        }
        return;
      }
      case 'conversationUpdate': {
        const botId = activity.recipient.id;
        if (activity.membersAdded?.some((m) => m.id === botId)) {
          await bot.remember(activity);
          if (personal) await bot.welcome(activity);
        } else if (activity.membersRemoved?.some((m) => m.id === botId)) await bot.forget(activity);
        return;
      }
      case 'message': {
        if (personal) await bot.handleMessage(activity);
        else await bot.handleChannelMessage(activity);
        return;
      }
      case 'invoke': {
        if (activity.name !== 'adaptiveCard/action') return { status: 200 };
        let body: CardActionResponse;
        try {
          // The conversation reference is kept for later sends; failing to keep it must not lose the answer.
          try {
            await bot.remember(activity);
          } catch (err) {
            log.error({ err: (err as Error).message }, 'could not keep the conversation reference of a card answer');
          }
          body = await bot.handleCardAction(activity);
        } catch (err) {
          log.error({ err: (err as Error).message }, 'card action failed');
          body = cardResponse(await notRecordedCard(bot, activity));
        }
        return { status: 200, body };
      }
      default:
        return;
    }
  });
}

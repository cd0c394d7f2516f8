/** Routes each incoming Teams activity to the part of the bot that handles it. */
import { NOTE_MAX, REPORT_FIELD } from '../domain/statusReport';
import type { Logger } from '../logger';
import type { StoredItem, StoredPlan } from '../store/planStore';
import { cardResponse, conversationKind, type CardActionResponse, type IncomingActivity } from './activity';
import type { Bot } from './bot';
import { ACTION_DATA_KEYS, card, heading, plain, text, type Card } from './cards/common';
import { promptCard } from './cards/promptCard';
import type { DplanTeamsApp } from './teamsApp';

/** What the person is told when their answer could not be handled (the store failed): nothing was lost. */
export const NOT_RECORDED = 'Your answer could not be recorded just now';
const NOTHING_LOST = 'Nothing was lost: your answer is still in the form below. Select Record status again in a few minutes.';

/** The card's own inputs, as the person typed them, no longer than the inputs take. */
function typedValues(data: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    if (ACTION_DATA_KEYS.includes(k) || typeof v !== 'string') continue;
    if (k !== REPORT_FIELD.rag && k !== REPORT_FIELD.note && k !== REPORT_FIELD.revisedDate && !/^figure_\d{1,3}$/.test(k)) continue;
    const max = k === REPORT_FIELD.note ? NOTE_MAX : 100;
    out[k] = v.length > max ? `${v.slice(0, max - 1)}…` : v;
  }
  return out;
}

/**
 * The card a lead gets when their answer failed on the server (a full disk, a store that cannot be
 * reached): a card, never a bare error, saying that nothing was recorded and what they typed is kept,
 * in the prompt's form so they can send it again. When the item has changed since their card was
 * made, the answer may have landed before the failure: the card says it does not know, shows the item
 * as it stands, and offers no button that could record it twice.
 */
async function notRecordedCard(bot: Bot, activity: IncomingActivity): Promise<Card> {
  const data = (activity.value?.action?.data ?? {}) as Record<string, unknown>;
  const values = typedValues(data);
  const str = (k: string): string | undefined => (typeof data[k] === 'string' ? (data[k] as string) : undefined);
  const [planId, itemKey, version, promptId] = [str('planId'), str('itemKey'), str('version'), str('promptId')];
  let item: StoredItem | undefined;
  let plan: StoredPlan | undefined;
  try {
    if (planId && itemKey) [plan, item] = await Promise.all([bot.deps.store.getPlan(planId), bot.deps.store.getItem(planId, itemKey)]);
  } catch {
    // The store cannot be read either: the plain card below.
  }
  if (item && version && item.version !== version) {
    return promptCard({
      ...(plan ? { plan } : {}),
      item,
      values,
      actionable: false,
      banner: {
        title: 'Your answer may or may not have been recorded',
        lines: [
          'The server failed while handling it, and the item has changed since this card was sent. The status as it stands now is shown below: check it in the plan tab before answering again.',
        ],
      },
    });
  }
  if (item) {
    return promptCard({
      ...(plan ? { plan } : {}),
      item,
      values,
      ...(promptId ? { promptId } : {}),
      banner: { title: `Not recorded: ${NOT_RECORDED.toLowerCase()}`, lines: [NOTHING_LOST] },
    });
  }
  const typed = Object.entries(values).filter(([, v]) => v.trim() !== '');
  return card([
    heading('Not recorded'),
    text(`${NOT_RECORDED}. Nothing was lost: what you typed is below. Answer again from the plan tab or this card in a few minutes.`),
    ...typed.map(([k, v]) => text(`${plain(k)}: ${plain(v)}`, { spacing: 'Small' })),
  ]);
}

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
        let body: CardActionResponse;
        try {
          // The conversation reference is kept for later sends; failing to keep it must not lose the answer.
          try {
            bot.remember(activity);
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

/** What every part of the bot is given: built once by the composition root (src/app.ts) or a test. */
import type { Clock } from '../domain/clock';
import type { Logger } from '../logger';
import type { PlanStore } from '../store/planStore';
import { reportingRules, type PlanSettingsResolver } from '../usecases/planSettings';
import type { ReportingDeps } from '../usecases/recordStatus';
import type { BackgroundWork } from './background';
import type { ConversationStore } from './conversations';
import type { DeepLinks } from './deepLinks';
import type { Delivery } from './delivery';
import type { EmailDelivery } from './emailDelivery';
import type { SendLedger } from './ledger';
import type { SendQueue } from '../state/sendQueue';
import type { PeopleLookup } from './peopleCache';
import type { TeamsSender } from './sender';

export interface BotDeps {
  store: PlanStore;
  logger: Logger;
  clock: Clock;
  ledger: SendLedger;
  conversations: ConversationStore;
  sender: TeamsSender;
  /** How a card reaches a person (their chat, a chat the bot creates, the app installed first). */
  delivery: Delivery;
  /** Teams profiles (UPN, e-mail) looked up once and kept, so answers do not call Teams. */
  people: PeopleLookup;
  settings: PlanSettingsResolver;
  links: DeepLinks;
  /** Where "My actions" opens (the personal tab). */
  myActionsLink: string;
  /** Co-ordinators (Entra object ids or UPNs): may answer for any item, get escalations. */
  coordinatorIds: readonly string[];
  background: BackgroundWork;
  /** STATE_STORE=azure: prompt runs queue their cards here and every instance's workers send them (bot/sendWorker.ts). */
  sendQueue?: SendQueue;
  /** E-mail for people outside Teams (MAIL_SENDER, or the local outbox in local mode); absent: nobody is e-mailed. */
  email?: EmailDelivery;
}

/** What recording a report needs, from the bot's parts. */
export function reportingDeps(deps: BotDeps): ReportingDeps {
  return {
    store: deps.store,
    clock: deps.clock,
    logger: deps.logger,
    coordinatorIds: deps.coordinatorIds,
    ...reportingRules(deps.settings, deps.store),
  };
}

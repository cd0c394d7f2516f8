/** "Open the plan" links: a Teams deep link to the plan tab, or the tab's web address where there is no Teams app id. */
import type { Config } from '../config';

export type LinkConfig = Pick<Config, 'TEAMS_APP_ID' | 'CLIENT_ID' | 'PUBLIC_URL' | 'PORT' | 'TAB_ENTITY_ID'>;

export type DeepLinks = (planId?: string, channelId?: string) => string;

/** https://teams.microsoft.com/l/entity/<appId>/<entityId>?webUrl=…&label=…&context=… */
export function deepLinks(config: LinkConfig): DeepLinks {
  const appId = config.TEAMS_APP_ID ?? config.CLIENT_ID;
  const webUrl = `${(config.PUBLIC_URL ?? `http://localhost:${config.PORT || 3978}`).replace(/\/+$/, '')}/tab/`;
  return (planId, channelId) => {
    // Without a Teams app id there is no Teams deep link: link the tab's web address instead.
    if (!appId) return webUrl;
    const context: Record<string, string> = {};
    if (planId) context.subEntityId = planId;
    if (channelId) context.channelId = channelId;
    const params = new URLSearchParams();
    params.set('webUrl', webUrl);
    params.set('label', 'Delivery plan');
    if (Object.keys(context).length > 0) params.set('context', JSON.stringify(context));
    return `https://teams.microsoft.com/l/entity/${encodeURIComponent(appId)}/${encodeURIComponent(config.TAB_ENTITY_ID)}?${params.toString().replace(/\+/g, '%20')}`;
  };
}

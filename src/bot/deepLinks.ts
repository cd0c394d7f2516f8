/** "Open the plan" links: a Teams deep link to the plan tab, or the tab's web address where there is no Teams app id. */
import type { Config } from '../config';

export type LinkConfig = Pick<Config, 'TEAMS_APP_ID' | 'CLIENT_ID' | 'PUBLIC_URL' | 'PORT' | 'TAB_ENTITY_ID'> &
  Partial<Pick<Config, 'HOST'>>;

/**
 * The tab's own address when no PUBLIC_URL is set: the host and port the server listens on
 * (HOST and PORT, as `npm start` and `dplan` read them), localhost for a wildcard or unset host.
 */
function baseUrl(config: LinkConfig): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL.replace(/\/+$/, '');
  const host = !config.HOST || ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(config.HOST) ? 'localhost' : config.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.PORT || 3978}`;
}

export type DeepLinks = (planId?: string, channelId?: string) => string;

/** https://teams.microsoft.com/l/entity/<appId>/<entityId>?webUrl=…&label=…&context=… */
export function deepLinks(config: LinkConfig): DeepLinks {
  const appId = config.TEAMS_APP_ID ?? config.CLIENT_ID;
  const webUrl = `${baseUrl(config)}/tab/`;
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

/** The personal "My actions" tab: a Teams deep link to the app's personal tab, or its web address. */
export function myActionsLink(config: LinkConfig): string {
  const appId = config.TEAMS_APP_ID ?? config.CLIENT_ID;
  const web = `${baseUrl(config)}/tab/personal.html`;
  if (!appId) return web;
  const params = new URLSearchParams({ webUrl: web, label: 'My actions' });
  return `https://teams.microsoft.com/l/entity/${encodeURIComponent(appId)}/my-actions?${params.toString().replace(/\+/g, '%20')}`;
}

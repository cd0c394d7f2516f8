/**
 * The host the tab runs in: Microsoft Teams (SSO token, theme from the client) or a plain browser
 * (local mode: the server's development identity, theme from ?theme= or the system setting).
 * teams-js is loaded only when the page looks hosted, so the plain-browser bundle stays small.
 * Slow Teams clients (mobile, virtual desktops) get up to 15 s to answer; meanwhile the page says it
 * is connecting. A plain browser (not framed, not the Teams app; see boot.ts) is known at once.
 */
import type * as TeamsModule from '@microsoft/teams-js';
import type { DplanBoot } from './window';

export type ThemeName = 'light' | 'dark' | 'contrast';

export interface Host {
  inTeams: boolean;
  theme: ThemeName;
  /** The tab's sub-page from a Teams deep link (the bot links a plan id). */
  subPageId?: string;
  /** The team and channel the tab is in (a channel tab in Teams), from the Teams context. */
  team?: TeamPlace;
  /** Bearer token for the API (Teams SSO); undefined in local mode. */
  getToken(): Promise<string | undefined>;
  /** Calls `handler` whenever the host's theme changes, until the returned function is called. */
  onThemeChange(handler: (theme: ThemeName) => void): () => void;
}

export interface TeamPlace {
  /** The team's Microsoft 365 group id (what Graph calls the team's id). */
  groupId: string;
  /** The channel the tab was added to: its id (19:…@thread.tacv2) and name. */
  channelId?: string;
  channelName?: string;
  /** The team's Teams thread id (19:…@thread.tacv2), which the bot needs to post in a channel of it. */
  internalId?: string;
}

type TeamsJs = typeof TeamsModule;

export function themeFromTeams(theme: string | undefined): ThemeName {
  if (theme === 'dark') return 'dark';
  if (theme === 'contrast') return 'contrast';
  return 'light';
}

function themeFromUrl(): ThemeName | undefined {
  const t = new URLSearchParams(window.location.search).get('theme');
  if (t === 'dark' || t === 'light' || t === 'contrast') return t;
  if (t === 'default') return 'light';
  return undefined;
}

/** Whether the page may be inside a Teams client: decided once, by the page's inline boot script (boot.ts). */
function looksHosted(): boolean {
  const boot: DplanBoot | undefined = window.dplanBoot;
  if (!boot) throw new Error('The tab page was built without its boot script (src/tab/boot.ts, inlined by vite.config.ts).');
  return boot.hosted;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

function browserHost(): Host {
  const fromUrl = themeFromUrl();
  const media = window.matchMedia?.('(prefers-color-scheme: dark)');
  const contrast = window.matchMedia?.('(forced-colors: active)');
  const system = (): ThemeName => (contrast?.matches ? 'contrast' : media?.matches ? 'dark' : 'light');
  return {
    inTeams: false,
    theme: fromUrl ?? system(),
    getToken: async () => undefined,
    onThemeChange(handler) {
      if (fromUrl) return () => undefined;
      const changed = (): void => handler(system());
      media?.addEventListener?.('change', changed);
      contrast?.addEventListener?.('change', changed);
      return () => {
        media?.removeEventListener?.('change', changed);
        contrast?.removeEventListener?.('change', changed);
      };
    },
  };
}

/** How long Teams has to answer teams-js' initialize (slow mobile and virtual-desktop clients). */
export const TEAMS_CONNECT_TIMEOUT_MS = 15_000;

/**
 * Shows "Connecting to Microsoft Teams…" with an indeterminate progress bar in the page's root while
 * the client is slow to answer (after a moment, so a quick connection shows nothing), and a second
 * line after a few seconds; returns the function that removes it. React replaces it on first render.
 */
function showConnecting(): () => void {
  const root = document.getElementById('root');
  if (!root) return () => undefined;
  let box: HTMLElement | undefined;
  const show = setTimeout(() => {
    box = document.createElement('div');
    box.setAttribute('role', 'status');
    box.style.cssText = 'font-family: system-ui, sans-serif; padding: 16px; max-width: 480px';
    const text = document.createElement('p');
    text.textContent = 'Connecting to Microsoft Teams…';
    const bar = document.createElement('progress');
    bar.setAttribute('aria-label', 'Connecting to Microsoft Teams');
    bar.style.width = '100%';
    box.append(text, bar);
    root.append(box);
  }, 400);
  const slow = setTimeout(() => {
    const more = document.createElement('p');
    more.textContent = 'Teams is slow to answer. This can take up to 15 seconds on a phone or a virtual desktop.';
    box?.append(more);
  }, 5000);
  return () => {
    clearTimeout(show);
    clearTimeout(slow);
    box?.remove();
  };
}

/** Connects to Teams when hosted (up to 15 s, showing progress), else a plain-browser host at once. */
export async function connectHost(): Promise<Host> {
  if (!looksHosted()) return browserHost();
  const hide = showConnecting();
  let teams: TeamsJs;
  try {
    teams = await import('@microsoft/teams-js');
    await withTimeout(teams.app.initialize(), TEAMS_CONNECT_TIMEOUT_MS);
  } catch {
    hide();
    return browserHost();
  }
  let theme: ThemeName = themeFromUrl() ?? 'light';
  let subPageId: string | undefined;
  let team: TeamPlace | undefined;
  try {
    const context = await withTimeout(teams.app.getContext(), 5000);
    theme = themeFromUrl() ?? themeFromTeams(context.app.theme);
    subPageId = context.page.subPageId || undefined;
    if (context.team?.groupId) {
      team = { groupId: context.team.groupId };
      if (context.channel?.id) team.channelId = context.channel.id;
      if (context.channel?.displayName) team.channelName = context.channel.displayName;
      if (context.team.internalId) team.internalId = context.team.internalId;
    }
  } catch {
    // Keep the default theme.
  }
  hide();
  // Tells Teams the tab has loaded (it stops its own loading indicator); nothing here waits on its answer.
  void teams.app.notifySuccess();
  return {
    inTeams: true,
    theme,
    ...(subPageId ? { subPageId } : {}),
    ...(team ? { team } : {}),
    getToken: () => teams.authentication.getAuthToken(),
    onThemeChange(handler) {
      // Teams keeps one handler: the latest registered wins, and "unsubscribing" drops what it says.
      let live = true;
      teams.app.registerOnThemeChangeHandler((t) => {
        if (live) handler(themeFromTeams(t));
      });
      return () => {
        live = false;
      };
    },
  };
}

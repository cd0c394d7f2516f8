/**
 * The tab: a header with the plan and (in local mode) a development-identity banner, a view switcher
 * and the views. The plan comes from ?plan= (the configurable tab's contentUrl) or is the newest one.
 *
 * Where the person is lives in the address (`#/plan`, `#/plan/<item key>` with an item's detail
 * open; see navigation.ts), so Back closes the detail and returns to the last view. Every change of
 * place closes open dialogs first, and a change of view waits until Fluent has given the page back
 * to assistive technology. The views other than the Plan load on first use, so the first screen
 * needs only the Plan's code.
 */
import { MessageBar, MessageBarBody, MessageBarTitle, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { Api, ApiError, type Me, type Opening, type StoredItem, type StoredPlan } from './api';
import { PlanContext, type PlanContextValue } from './context';
import { ErrorBoundary } from './ErrorBoundary';
import type { Host } from './host';
import { closeModals, hashOf, modalsGone, routeFromHash, samePlace, whenModalsGone, type Route } from './navigation';
import { requestOpening, wantedPlan, type EarlyOpening } from './opening';
import { useShared } from './styles';
import { Themed } from './Themed';
import { PlanView } from './views/PlanView';
import { MyActionsView } from './views/MyActionsView';

const DashboardView = lazy(() => import('./views/DashboardView').then((m) => ({ default: m.DashboardView })));
const DirectoryView = lazy(() => import('./views/DirectoryView').then((m) => ({ default: m.DirectoryView })));
const ReportView = lazy(() => import('./views/ReportView').then((m) => ({ default: m.ReportView })));
const SettingsView = lazy(() => import('./views/SettingsView').then((m) => ({ default: m.SettingsView })));

export type ViewId = 'plan' | 'dashboard' | 'directory' | 'settings' | 'report' | 'mine';
export type TabMode = 'channel' | 'personal';

/** The channel tab has the whole plan; the personal "My actions" tab has what the person leads. */
export const VIEWS: Record<TabMode, ReadonlyArray<{ id: ViewId; label: string }>> = {
  channel: [
    { id: 'plan', label: 'Plan' },
    { id: 'dashboard', label: 'Dashboard' },
    { id: 'directory', label: 'Directory' },
    { id: 'settings', label: 'Settings' },
    { id: 'report', label: 'Board report' },
  ],
  personal: [
    { id: 'mine', label: 'My actions' },
    { id: 'dashboard', label: 'Dashboard' },
  ],
};

const useStyles = makeStyles({
  shell: {
    padding: '12px 20px 32px',
    maxWidth: '1600px',
    margin: '0 auto',
    boxSizing: 'border-box',
    '@media (max-width: 640px)': { padding: '8px 12px 24px' },
  },
  header: { display: 'flex', flexDirection: 'column', gap: '4px', marginBottom: '8px', overflowWrap: 'anywhere' },
  h1: {
    fontSize: tokens.fontSizeBase600,
    lineHeight: tokens.lineHeightBase600,
    fontWeight: tokens.fontWeightSemibold,
    margin: 0,
    '@media (max-width: 640px)': { fontSize: tokens.fontSizeBase500, lineHeight: tokens.lineHeightBase500 },
  },
  nav: { borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, marginBottom: '12px', '@media print': { display: 'none' } },
  navList: { display: 'flex', flexWrap: 'wrap', gap: '0 4px', listStyleType: 'none', margin: 0, padding: 0 },
  navLink: {
    display: 'inline-flex',
    alignItems: 'center',
    minHeight: '36px',
    padding: '0 12px',
    '@media (max-width: 640px)': { padding: '0 8px' },
    color: tokens.colorNeutralForeground2,
    textDecorationLine: 'none',
    fontSize: tokens.fontSizeBase300,
    borderBottom: '3px solid transparent',
    ':hover': { color: tokens.colorNeutralForeground1, borderBottomColor: tokens.colorNeutralStroke1 },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px', borderRadius: tokens.borderRadiusMedium },
  },
  navCurrent: {
    color: tokens.colorNeutralForeground1,
    fontWeight: tokens.fontWeightSemibold,
    borderBottomColor: tokens.colorCompoundBrandStroke,
  },
  skip: {
    position: 'absolute',
    left: '-10000px',
    ':focus': {
      left: '8px',
      top: '8px',
      zIndex: 10,
      padding: '8px',
      backgroundColor: tokens.colorNeutralBackground1,
      color: tokens.colorNeutralForeground1,
      outline: `2px solid ${tokens.colorStrokeFocus2}`,
    },
  },
  banner: { marginBottom: '8px', '@media print': { display: 'none' } },
  // The development identity banner, shorter on a phone: its title says it all.
  bannerDetail: { '@media (max-width: 640px)': { display: 'none' } },
});

/** The place the address names, among the tab's views. */
function addressedRoute(mode: TabMode): Route<ViewId> {
  return routeFromHash(VIEWS[mode].map((v) => v.id));
}

/** The place in the address; a link from the bot or the digest (`?item=`) opens that item's detail. */
function initialRoute(mode: TabMode): Route<ViewId> {
  const route = addressedRoute(mode);
  const linked = new URLSearchParams(window.location.search).get('item');
  return !route.item && linked && window.location.hash.replace(/^#\/?/, '') === '' ? { view: route.view, item: linked } : route;
}

/** `early`: the opening request already sent (by the boot script in a plain browser, by mountTab in Teams). */
export function App({ host, mode = 'channel', early }: { host: Host; mode?: TabMode; early?: EarlyOpening }): ReactElement {
  return (
    <Themed host={host}>
      <Shell host={host} mode={mode} {...(early ? { early } : {})} />
    </Themed>
  );
}

function Shell({ host, mode, early }: { host: Host; mode: TabMode; early?: EarlyOpening }): ReactElement {
  const styles = useStyles();
  const shared = useShared();
  const api = useMemo(() => new Api(host), [host]);
  const [route, setRoute] = useState<Route<ViewId>>(() => initialRoute(mode));
  const view = route.view;
  const current = useRef(route);
  current.current = route;
  /** True when the open detail was opened here (a history entry of ours): closing it goes Back. */
  const pushedDetail = useRef(false);
  // When the early opening request has answered already, the first render shows the plan.
  const [me, setMe] = useState<Me | undefined>(early?.value?.me);
  const [plan, setPlan] = useState<StoredPlan | undefined>(early?.value?.plan);
  const [items, setItems] = useState<StoredItem[] | undefined>(early?.value?.items);
  const earlyOpening = useRef(early);
  const [error, setError] = useState<string>();
  const [revision, setRevision] = useState(0);
  const [announcement, setAnnouncement] = useState('');

  useEffect(() => {
    // Back and forward between the list and an item's detail keep the list where the person left it.
    window.history.scrollRestoration = 'manual';
    let live = true;
    const onHash = (): void => {
      const next = addressedRoute(mode);
      const was = current.current;
      if (!next.item) pushedDetail.current = false;
      if (samePlace(next, was)) return;
      // Dialogs close on every change of place. A new view waits until they have gone and the page is
      // given back: a dialog closed a moment ago (say, the detail by Escape) may still be holding it.
      closeModals();
      if (next.view !== was.view && !modalsGone()) void whenModalsGone().then(() => live && setRoute(addressedRoute(mode)));
      else setRoute(next);
    };
    window.addEventListener('hashchange', onHash);
    return () => {
      live = false;
      window.removeEventListener('hashchange', onHash);
    };
  }, [mode]);

  const openItem = useCallback(
    (key: string, over?: string) => {
      pushedDetail.current = true;
      const views: readonly string[] = VIEWS[mode].map((v) => v.id);
      // The personal tab has no Plan view: its items open over My actions.
      const target = (over && views.includes(over) ? over : over ? views[0] : current.current.view) ?? current.current.view;
      // Over the same view its filters stay in the address, so that they are there again after Back.
      const query = target === current.current.view ? current.current.query : undefined;
      window.location.hash = hashOf({ view: target, item: key, ...(query ? { query } : {}) });
    },
    [mode],
  );
  const closeItem = useCallback(() => {
    if (!current.current.item) return;
    if (pushedDetail.current) {
      pushedDetail.current = false;
      window.history.back();
      return;
    }
    // Opened by a link (?item=, or an address with the item): close in place, without leaving the tab.
    const url = new URL(window.location.href);
    url.searchParams.delete('item');
    const { item: _closed, ...place } = current.current;
    url.hash = hashOf(place);
    window.history.replaceState(window.history.state, '', url);
    setRoute(place);
  }, []);
  /**
   * Keeps a view's filters in the address (replacing the entry: a filter change is not a step Back
   * goes through), so that a reload, a copied link or Back from an item shows the same list.
   */
  const keepQuery = useCallback(
    (query: string) => {
      const was = current.current;
      if ((was.query ?? '') === query) return;
      // The address has moved on (a change of view waiting for a dialog to close): not this entry's to change.
      if (!samePlace(addressedRoute(mode), was)) return;
      const { query: _old, ...rest } = was;
      const place = query ? { ...rest, query } : rest;
      const url = new URL(window.location.href);
      url.hash = hashOf(place);
      window.history.replaceState(window.history.state, '', url);
      // At once, not at the next render: an item opened next (openItem) keeps these filters.
      current.current = place;
      setRoute(place);
    },
    [mode],
  );

  const load = useCallback(async () => {
    const sent = earlyOpening.current;
    earlyOpening.current = undefined;
    try {
      // The early answer may have come after the first render read it and before this effect: it is
      // applied here either way (the same values again change nothing). Returning when it had come
      // left the tab on "Loading the plan…" for good (seen about once in 60 loads, bench probe).
      const opening: Opening = sent?.value ?? (await (sent?.promise ?? requestOpening(api, mode, wantedPlan(host))));
      performance.mark('dplan:data');
      setMe(opening.me);
      setPlan(opening.plan);
      setItems(opening.items);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The plan could not be loaded.');
    }
  }, [api, host, mode]);

  useEffect(() => {
    void load();
  }, [load]);

  // Leads also answer from the bot's cards: when the tab comes back into view, fetch what changed.
  useEffect(() => {
    if (!plan) return;
    const onVisible = (): void => {
      if (document.visibilityState !== 'visible') return;
      api.get<StoredItem[]>(`/plans/${encodeURIComponent(plan.id)}/items`).then(
        (list) => {
          setItems(list);
          setRevision((r) => r + 1);
        },
        () => undefined,
      );
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [api, plan]);

  const context = useMemo<PlanContextValue | undefined>(() => {
    if (!me || !plan || !items) return undefined;
    return {
      api,
      me,
      plan,
      items,
      ...(host.team ? { team: host.team } : {}),
      today: me.today,
      replaceItem: (item) => {
        setItems((list) => list?.map((i) => (i.key === item.key ? item : i)));
        setRevision((r) => r + 1);
      },
      reload: async () => {
        setItems(await api.get<StoredItem[]>(`/plans/${encodeURIComponent(plan.id)}/items`));
        setRevision((r) => r + 1);
      },
      revision,
      announce: (message) => {
        setAnnouncement('');
        window.setTimeout(() => setAnnouncement(message), 50);
      },
      ...(route.item ? { openKey: route.item } : {}),
      openItem,
      closeItem,
    };
  }, [api, me, plan, items, revision, route.item, openItem, closeItem, host.team]);

  // The document title names the view and the plan (WCAG 2.4.2).
  useEffect(() => {
    const label = VIEWS[mode].find((v) => v.id === view)?.label ?? '';
    document.title = plan ? `${label} – ${plan.plan.title} – ${plan.plan.organisation}` : label || 'Delivery plan';
  }, [mode, view, plan]);

  return (
    <div className={styles.shell}>
      <a
        href="#main"
        className={styles.skip}
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header className={styles.header}>
        {me?.localMode && (
          <MessageBar intent="warning" className={styles.banner} data-testid="local-mode-banner">
            <MessageBarBody>
              <MessageBarTitle>Local mode — development identity</MessageBarTitle>
              <span className={styles.bannerDetail}>
                You are {me.name}
                {me.email ? ` (${me.email})` : ''}: not signed in through Teams. For development and testing only.
              </span>
            </MessageBarBody>
          </MessageBar>
        )}
        <h1 className={styles.h1}>
          {plan ? `${plan.plan.title} ${plan.plan.periodStart.slice(0, 4)}–${plan.plan.periodEnd.slice(2, 4)}` : 'Delivery plan'}
        </h1>
        {plan && (
          <p className={shared.muted} style={{ margin: 0 }}>
            {plan.plan.organisation}
            {me ? ` · ${me.coordinator ? 'Co-ordinator' : me.roles.length ? `Lead: ${me.roles.join(', ')}` : 'Viewer'}` : ''}
          </p>
        )}
      </header>
      <nav aria-label="Views" className={styles.nav}>
        <ul className={styles.navList}>
          {VIEWS[mode].map((v) => (
            <li key={v.id}>
              <a
                href={`#/${v.id}`}
                id={`nav-${v.id}`}
                className={`${styles.navLink} ${v.id === view ? styles.navCurrent : ''}`}
                aria-current={v.id === view ? 'page' : undefined}
              >
                {v.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1} aria-labelledby={`nav-${view}`}>
        <div id="view-panel">
          {error && (
            <MessageBar intent="error">
              <MessageBarBody>
                <MessageBarTitle>Cannot show the plan</MessageBarTitle>
                {error}
              </MessageBarBody>
            </MessageBar>
          )}
          {!error && !context && <Spinner label="Loading the plan…" />}
          {context && (
            <PlanContext.Provider value={context}>
              <ErrorBoundary resetKey={view}>
                <Suspense fallback={<Spinner label="Loading…" />}>
                  {view === 'plan' && <PlanView query={route.query ?? ''} onQuery={keepQuery} />}
                  {view === 'dashboard' && <DashboardView planLinks={VIEWS[mode].some((v) => v.id === 'plan')} />}
                  {view === 'directory' && <DirectoryView />}
                  {view === 'settings' && <SettingsView />}
                  {view === 'report' && <ReportView />}
                  {view === 'mine' && <MyActionsView />}
                </Suspense>
              </ErrorBoundary>
            </PlanContext.Provider>
          )}
        </div>
      </main>
      <div role="status" aria-live="polite" className={shared.visuallyHidden}>
        {announcement}
      </div>
    </div>
  );
}

/**
 * Runs inline in the head of each tab page (vite.config.mts inlines it, compiled), before the tab's
 * code has loaded. It decides once whether the page may be inside a Teams client, and in a plain
 * browser it starts the tab's opening request (GET /api/start) at once, so the first rows wait for
 * the code or the server, whichever is slower, rather than for the one and then the other. In Teams
 * the request waits for the sign-in token (src/tab/host.ts, App.tsx).
 *
 * Hosted means framed (Teams web and desktop) or the Teams mobile app's web view (its native bridge
 * or user agent); `?host=browser` says plainly that it is not. Kept free of imports: it is a script
 * (its types are in window.d.ts).
 */
(function boot(): void {
  const query = new URLSearchParams(window.location.search);
  const native = (window as Window & { nativeInterface?: unknown }).nativeInterface;
  const hosted = query.get('host') !== 'browser' && (window.parent !== window || !!native || /Teams\//.test(navigator.userAgent));
  const state: NonNullable<Window['dplanBoot']> = { hosted };
  window.dplanBoot = state;
  if (hosted) return;
  const opening = new URLSearchParams({ mode: document.documentElement.dataset.tabMode === 'personal' ? 'personal' : 'channel' });
  const plan = query.get('plan');
  if (plan) opening.set('plan', plan);
  // The body is read and parsed as it arrives, while the code loads: see EarlyAnswer (window.d.ts).
  state.start = fetch(`/api/start?${opening.toString()}`, {
    headers: { accept: 'application/json', 'x-requested-with': 'dplan-tab' },
  }).then(async (res) => {
    const text = await res.text();
    const answer = { ok: res.ok, status: res.status, statusText: res.statusText };
    try {
      return { ...answer, json: { value: JSON.parse(text) as unknown } };
    } catch {
      return answer;
    }
  });
  // A failure is the app's to report (it awaits this promise); none goes unhandled meanwhile.
  state.start.catch(() => undefined);
})();

/** Starts a tab page: connects to the host (Teams or a plain browser) and renders the app in #root. */
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { App, type TabMode } from './App';
import { connectHost } from './host';
import { briefly, sendOpening, takeEarlyOpening } from './opening';

/** How long the first render waits for the opening request, before showing a spinner. */
const OPENING_GRACE_MS = 250;

export function mountTab(mode: TabMode): void {
  performance.mark('dplan:start');
  const early = takeEarlyOpening();
  const root = createRoot(document.getElementById('root') as HTMLElement);
  void connectHost().then(async (host) => {
    // In Teams the opening request leaves as soon as the host is connected, not after a first render.
    const opening = early ?? sendOpening(host, mode);
    await briefly(opening, OPENING_GRACE_MS);
    // Rendered in this task: root.render alone would queue the first render as a task of its own,
    // behind whatever else the page has queued meanwhile.
    flushSync(() => root.render(<App host={host} mode={mode} early={opening} />));
  });
}

/** The personal "My actions" tab (manifest staticTabs my-actions → /tab/personal.html). */
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectHost } from './host';

performance.mark('dplan:start');
const root = createRoot(document.getElementById('root') as HTMLElement);
void connectHost().then((host) => root.render(<App host={host} mode="personal" />));

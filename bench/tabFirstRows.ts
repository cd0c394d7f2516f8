/**
 * The tab's first rows as a person meets them: in Chromium started on its own, with no DevTools
 * attached.
 *
 * Playwright drives Chromium through DevTools. DevTools' network instrumentation keeps a copy of
 * every response body in the page's renderer, decoded as text. For the 2,000-item opening answer
 * (1.1 MB of JSON) that costs the page's main thread about 60 ms. Those 60 ms fall between the answer
 * arriving and the tab seeing it. Measured with a probe: from the answer's last byte to the parsed
 * plan took 80-100 ms under Playwright, and 15-27 ms here. So the first rows of tab.ts's
 * DevTools-driven loads come later than a person sees them. tab.ts keeps them as a second figure.
 *
 * How it works:
 * - A small proxy in front of the app adds a script to the tab's page: the watcher (tabPage.ts
 *   watchFirstRows) and what reports its figures. The page reports by beacon to the proxy, then goes
 *   on to its next load by itself.
 * - Each browser profile is new. Chromium first shows a warm-up page on another site (localhost,
 *   where the tab is on 127.0.0.1), with a script it caches: the browser, its disk cache and a
 *   renderer are running when the tab's first visit starts, and the tab gets a renderer of its own,
 *   as a tab in Teams does (its frame is on another site than Teams). That first visit has nothing
 *   of the tab cached. The later loads are repeat visits: the scripts come from the HTTP cache, and
 *   from the third load on from V8's code cache.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/support/browser';
import { phasesOfLoad, watchFirstRows } from './tabPage';

export interface LoadFigures {
  /** Which load in the profile (0: the first visit). */
  load: number;
  /** First rows on screen, ms from navigation start. */
  rows: number;
  /** The tab's code running, and the opening answer in (ms from navigation start). */
  code: number;
  data: number;
}

/** The script the proxy puts first in the tab's head: the watcher, and a report of its figures once the rows are painted. */
function reporter(loads: number): string {
  return `<script>(() => {
  window.__name = (f) => f;
  const load = Number(new URLSearchParams(location.search).get('load') ?? '0');
  const phases = ${phasesOfLoad.toString()};
  Object.defineProperty(window, 'dplanFirstRows', {
    configurable: true,
    set(rows) {
      navigator.sendBeacon('/__figures', JSON.stringify({ load, rows, ...phases() }));
      if (load + 1 >= ${loads}) return;
      // The next visit once this one has settled (its caches written), as a person comes back later.
      const next = () => location.assign('/tab/?theme=light&load=' + (load + 1));
      const idle = () => requestIdleCallback(() => setTimeout(next, 500));
      if (document.readyState === 'complete') idle();
      else addEventListener('load', idle);
    },
  });
  (${watchFirstRows.toString()})();
})();</script>`;
}

/** The page Chromium opens first (on localhost); once it has loaded and the browser is idle, the tab's first visit (on 127.0.0.1). */
function warmUp(port: number): string {
  return `<!doctype html><title>warm-up</title><script src="/__warm.js"></script><script>addEventListener('load', () => requestIdleCallback(() => setTimeout(() => location.assign('http://127.0.0.1:${port}/tab/?theme=light&load=0'), 500)));</script>`;
}

/** `loads` loads of the tab in each of `profiles` new browser profiles: each load's figures, profile by profile. */
export async function firstRowsWithoutDevtools(appUrl: string, profiles: number, loads: number): Promise<LoadFigures[][]> {
  const app = new URL(appUrl);
  let onFigures: (figures: LoadFigures) => void = () => undefined;
  const script = reporter(loads);
  let port = 0;
  const proxy = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/__warm') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(warmUp(port));
      return;
    }
    if (url === '/__warm.js') {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'max-age=86400' }).end('window.warm = 1;');
      return;
    }
    if (url === '/__figures') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        res.writeHead(204).end();
        onFigures(JSON.parse(body) as LoadFigures);
      });
      return;
    }
    // The tab's page is fetched uncompressed, to add the script; everything else passes as it is.
    const page = url === '/tab/' || url.startsWith('/tab/?');
    const headers = { ...req.headers, host: app.host };
    if (page) delete headers['accept-encoding'];
    const upstream = http.request({ host: app.hostname, port: app.port, path: url, method: req.method, headers }, (answer) => {
      if (!page) {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        return;
      }
      let html = '';
      answer.setEncoding('utf8');
      answer.on('data', (chunk: string) => (html += chunk));
      answer.on('end', () => {
        // The page's content security policy would refuse the added inline script.
        const { 'content-length': _length, 'content-security-policy': _csp, ...rest } = answer.headers;
        res.writeHead(answer.statusCode ?? 502, rest).end(html.replace('<head>', `<head>${script}`));
      });
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  ({ port } = proxy.address() as { port: number });
  const all: LoadFigures[][] = [];
  try {
    for (let p = 0; p < profiles; p++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-bench-chromium-'));
      const got: LoadFigures[] = [];
      const done = new Promise<void>((resolve) => {
        onFigures = (figures) => {
          got.push(figures);
          if (got.length === loads) resolve();
        };
      });
      const chromium = spawn(
        CHROMIUM,
        ['--headless=new', ...CHROMIUM_ARGS, '--window-size=1280,800', `--user-data-dir=${dir}`, `http://localhost:${port}/__warm`],
        // Its own process group: its renderer and helper processes end with it, before its profile is removed.
        { stdio: 'ignore', detached: true },
      );
      const exited = new Promise((resolve) => chromium.once('exit', resolve));
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          done,
          new Promise((_resolve, reject) => {
            timer = setTimeout(
              () => reject(new Error(`no first rows from Chromium within 60 s (got ${got.length} of ${loads} loads)`)),
              60_000,
            );
          }),
        ]);
      } finally {
        clearTimeout(timer);
        const group = (signal: NodeJS.Signals): void => {
          try {
            process.kill(-chromium.pid!, signal);
          } catch {
            // the group has ended already
          }
        };
        group('SIGTERM');
        await exited;
        group('SIGKILL');
        fs.rmSync(dir, { recursive: true, force: true, maxRetries: 10 });
      }
      all.push([...got].sort((a, b) => a.load - b.load));
    }
  } finally {
    await new Promise((resolve) => proxy.close(resolve));
  }
  return all;
}

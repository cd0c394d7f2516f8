/**
 * One HTTP server for everything: the bot endpoint (/api/messages), the tab's JSON API (/api/*)
 * and the tab itself (static, /tab/). Built from AppDeps so tests can run it on a port of their own.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import type { AppDeps } from './deps';
import { mountApi } from './api';
import { mountBot, type BotHandle } from '../bot/mount';

export interface RunningApp {
  app: express.Express;
  server: http.Server;
  port: number;
  url: string;
  bot: BotHandle;
  close(): Promise<void>;
}

/**
 * Who may frame the tab: Teams and the other Microsoft 365 hosts, as Microsoft's tab requirements
 * list them (https://learn.microsoft.com/microsoftteams/platform/tabs/how-to/tab-requirements),
 * and the app itself. Any other site framing it (clickjacking) is refused by the browser.
 */
export const FRAME_ANCESTORS = [
  "'self'",
  'https://*.cloud.microsoft',
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.microsoft365.com',
  'https://*.office.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
];

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': `frame-ancestors ${FRAME_ANCESTORS.join(' ')}; object-src 'none'; base-uri 'self'`,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
};

/** Where the built tab lives (vite output). */
export const TAB_DIST = path.resolve(__dirname, '..', '..', 'dist', 'tab');

export async function createApp(deps: AppDeps, server: http.Server): Promise<{ app: express.Express; bot: BotHandle }> {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use((_req, res, next) => {
    res.set(SECURITY_HEADERS);
    next();
  });
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, store: deps.config.STORE, localMode: deps.config.LOCAL_MODE });
  });
  // The bot first: it owns /api/messages and must see the raw activity.
  const bot = await mountBot(app, server, deps);
  mountApi(app, deps);
  if (fs.existsSync(TAB_DIST)) {
    app.use('/tab', express.static(TAB_DIST, { index: 'index.html', maxAge: '1h' }));
    app.get('/', (_req, res) => res.redirect('/tab/'));
  } else {
    app.get(['/', '/tab', '/tab/*path'], (_req, res) => {
      res.status(503).type('text/plain').send('The tab is not built yet: run `npm run build:tab` (npm start does this).');
    });
  }
  return { app, bot };
}

/** Starts the app on `port` (0 picks a free one) on 127.0.0.1 unless HOST says otherwise. */
export async function startServer(deps: AppDeps, port = deps.config.PORT, host = process.env.HOST ?? '127.0.0.1'): Promise<RunningApp> {
  const server = http.createServer();
  const { app, bot } = await createApp(deps, server);
  server.on('request', app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actualPort}`;
  deps.logger.info({ url, store: deps.config.STORE }, 'server listening');
  return {
    app,
    server,
    port: actualPort,
    url,
    bot,
    close: async () => {
      await bot.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
    },
  };
}

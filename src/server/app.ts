/**
 * The HTTP edge everything shares: one express app with the security headers and /healthz, the built
 * tab served under /tab/, and listening on a port. What is mounted on it (the bot endpoint, the tab
 * API) is decided by the composition root, src/app.ts.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import compression from 'compression';
import express from 'express';
import expressStaticGzip from 'express-static-gzip';
import type { Config } from '../config';
import { localModeGuard } from './localGuard';

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

/** Hashed build output (file names change with their content): cached for a year and never revalidated. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

export function createHttpApp(config: Pick<Config, 'STORE' | 'LOCAL_MODE' | 'PUBLIC_URL'>): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // No ETag worked out from each body: the API's answers are no-store, so none is ever revalidated,
  // and the hash cost a SHA-1 over every body (1.1 MB for a 2,000-item plan's opening). Item answers
  // set their own (the item's version, for If-Match); the built tab's files carry serve-static's.
  app.set('etag', false);
  app.set('trust proxy', true);
  app.use((_req, res, next) => {
    res.set(SECURITY_HEADERS);
    next();
  });
  if (config.LOCAL_MODE) app.use(localModeGuard(config.PUBLIC_URL));
  // JSON (and anything else compressible the routes send) is compressed as the client accepts: brotli
  // or gzip. The built tab is compressed once at build time (vite.config.mts) and served as it is.
  app.use(compression());
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, store: config.STORE, localMode: config.LOCAL_MODE });
  });
  return app;
}

/**
 * The built tab at /tab/ (and / redirects there); a plain 503 saying how to build it when it is not built.
 * Files are sent precompressed (the .br or .gz vite wrote beside each, as the client accepts). Assets
 * under /tab/assets/ have content hashes in their names: cached for a year as immutable. The pages
 * (index.html, personal.html, config.html) name the current assets: revalidated on every load.
 */
export function serveTab(app: express.Express): void {
  if (fs.existsSync(TAB_DIST)) {
    app.use(
      '/tab',
      expressStaticGzip(TAB_DIST, {
        enableBrotli: true,
        orderPreference: ['br', 'gz'],
        index: 'index.html',
        serveStatic: {
          setHeaders: (res, file) => {
            const hashed = path.relative(TAB_DIST, file).split(path.sep)[0] === 'assets';
            res.setHeader('Cache-Control', hashed ? IMMUTABLE : 'no-cache');
          },
        },
      }),
    );
    app.get('/', (_req, res) => res.redirect('/tab/'));
  } else {
    app.get(['/', '/tab', '/tab/*path'], (_req, res) => {
      res.status(503).type('text/plain').send('The tab is not built yet: run `npm run build:tab` (npm start does this).');
    });
  }
}

export interface Listening {
  server: http.Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Listens on `port` (0 picks a free one) and `host`. */
export async function listen(app: express.Express, port: number, host: string): Promise<Listening> {
  const server = http.createServer(app);
  // Keep idle connections open longer than the clients and proxies in front (Azure's front end idles
  // out after 240 s; undici after 4 s), so a client never reuses a socket the server is just closing.
  server.keepAliveTimeout = 250_000;
  server.headersTimeout = 255_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    server,
    port: actualPort,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actualPort}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
    },
  };
}

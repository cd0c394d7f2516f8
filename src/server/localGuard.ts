/**
 * Local mode has no sign-in: anything that can send the server a request acts as the co-ordinator
 * and can post bot activities. It listens on loopback only (config.ts refuses another HOST), and this
 * guard stops the two ways a web page in the person's own browser could still reach it:
 *
 * - DNS rebinding: a site whose name is made to resolve to 127.0.0.1 is same-origin with itself, so
 *   the browser would let its scripts read and write the API. Every request must name this machine
 *   in its Host header (localhost, 127.0.0.1, [::1], or PUBLIC_URL's host).
 * - Cross-site requests: a form or fetch from another site that changes something (POST, PUT, PATCH,
 *   DELETE) is refused when the browser says where it came from (Origin, Sec-Fetch-Site) and that is
 *   not this server; and the tab API's changes must carry X-Requested-With, a header no other site can
 *   add without a CORS preflight, which this server never grants. The bot endpoint (/api/messages)
 *   takes JSON only, which no page can send cross-site without such a preflight either; it does not
 *   need the header, so that the Agents Playground and other local Bot Framework clients still work.
 */
import type express from 'express';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const REQUESTED_WITH = 'x-requested-with';

function hostName(host: string): string {
  // "[::1]:3978" → "[::1]", "localhost:3978" → "localhost"
  const m = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(host.trim().toLowerCase());
  return m?.[1] ?? '';
}

function refuse(res: express.Response, message: string): void {
  res.status(403).json({ error: 'forbidden', message });
}

export function localModeGuard(publicUrl?: string): express.RequestHandler {
  const allowed = new Set(LOOPBACK);
  if (publicUrl) allowed.add(new URL(publicUrl).hostname.toLowerCase());
  return (req, res, next) => {
    const host = req.get('host') ?? '';
    if (!allowed.has(hostName(host))) {
      refuse(
        res,
        `This server runs in local mode and answers only to ${[...allowed].join(', ')}; it was asked for "${host.slice(0, 100)}". Open it at http://127.0.0.1:<port>/tab/.`,
      );
      return;
    }
    if (SAFE_METHODS.has(req.method) || !req.path.startsWith('/api/')) return next();
    const origin = req.get('origin');
    const site = req.get('sec-fetch-site');
    const own = `${req.protocol}://${host}`.toLowerCase();
    if ((origin !== undefined && origin.toLowerCase() !== own) || site === 'cross-site' || site === 'same-site') {
      refuse(res, `A page from ${origin ?? 'another site'} may not change anything on this local-mode server: use the tab at ${own}/tab/.`);
      return;
    }
    if (req.path !== '/api/messages' && !req.get(REQUESTED_WITH)) {
      refuse(
        res,
        'In local mode, changes through the API need the header X-Requested-With (any value), so that no other web page can make them: the tab sends it.',
      );
      return;
    }
    next();
  };
}

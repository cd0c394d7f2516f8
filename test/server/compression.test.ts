/**
 * What crosses the wire: JSON compressed as the client accepts (brotli or gzip), the built tab sent
 * precompressed, hashed assets cached for a year as immutable and the pages revalidated on every load.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import { ensureTabBuilt } from '../support/browser';
import { startTabServer, type TabServer } from '../e2e/tabHarness';

let server: TabServer;
beforeAll(async () => {
  ensureTabBuilt();
  server = await startTabServer();
});
afterAll(async () => {
  await server?.close();
});

/** A raw GET (fetch would decompress and hide the encoding). */
function get(path: string, encoding: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'accept-encoding': encoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

it('compresses the items JSON with brotli or gzip, as the client accepts', async () => {
  const plans = JSON.parse((await get('/api/plans', 'identity')).body.toString()) as Array<{ id: string }>;
  const path = `/api/plans/${plans[0]!.id}/items`;
  const plain = await get(path, 'identity');
  const br = await get(path, 'br, gzip');
  const gz = await get(path, 'gzip');
  expect(br.headers['content-encoding']).toBe('br');
  expect(gz.headers['content-encoding']).toBe('gzip');
  expect(zlib.brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
  expect(zlib.gunzipSync(gz.body).equals(plain.body)).toBe(true);
  expect(br.body.length).toBeLessThan(plain.body.length / 4);
  expect(br.headers['cache-control']).toBe('no-store');
  // No hash of a body that is never revalidated.
  expect(plain.headers.etag).toBeUndefined();
});

it('sends the built tab precompressed: assets cached for a year as immutable, the page revalidated', async () => {
  const page = await get('/tab/', 'br, gzip');
  expect(page.status).toBe(200);
  expect(page.headers['cache-control']).toBe('no-cache');
  // What the revalidation asks with.
  expect(page.headers.etag).toBeDefined();
  const html = page.headers['content-encoding'] === 'br' ? zlib.brotliDecompressSync(page.body).toString() : page.body.toString();
  const script = /src="(\/tab\/assets\/index-[^"]+\.js)"/.exec(html)?.[1];
  expect(script).toBeDefined();
  const js = await get(script!, 'gzip, deflate, br');
  expect(js.status).toBe(200);
  expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  // The chunks the page preloads (their names follow their first module, which the bundler picks).
  const preloaded = [...html.matchAll(/rel="modulepreload"[^>]*href="(\/tab\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  expect(preloaded.length).toBeGreaterThan(0);
  const sizes = await Promise.all(preloaded.map(async (p) => ({ p, size: (await get(p, 'identity')).body.length })));
  const big = sizes.sort((a, b) => b.size - a.size)[0]!.p;
  const app = await get(big, 'gzip, deflate, br');
  expect(app.headers['content-encoding']).toBe('br');
  expect(app.headers['content-type']).toMatch(/javascript/);
  expect(zlib.brotliDecompressSync(app.body).length).toBeGreaterThan(app.body.length);
});

/**
 * listItem delta: https://learn.microsoft.com/en-us/graph/api/listitem-delta
 *  - `GET /sites/{id}/lists/{id}/items/delta` enumerates every item, page by page, ending with an
 *    `@odata.deltaLink`;
 *  - `?token=latest` answers an empty page with the latest deltaLink;
 *  - `?token=<from a deltaLink>` answers the items created or changed since (their latest state, once
 *    each) and the deleted ones as `{ id, deleted: { state: 'deleted' } }`;
 *  - a token the service can no longer honour gets 410 Gone with `resyncRequired`-style codes and a
 *    `Location` header holding a new enumeration (the emulator does this after expireDeltaTokens()).
 * `$expand=fields` and `$top` are kept in the links.
 */
import { pageSize } from './lists';
import { GraphFailure, itemBody, type Answer, type Json, type List, type Site } from './model';

interface Token {
  epoch: number;
  /** Change number the caller has seen. */
  since: number;
  /** Position within an enumeration that is still being paged. */
  offset: number;
  /** Change number when the paged enumeration started (its deltaLink's). */
  upTo: number;
}

function encode(t: Token): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decode(text: string): Token | undefined {
  try {
    const t = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Token;
    return typeof t.epoch === 'number' && typeof t.since === 'number' ? t : undefined;
  } catch {
    return undefined;
  }
}

export function deltaPage(baseUrl: string, site: Site, list: List, q: URLSearchParams): Answer {
  const base = `${baseUrl}/sites/${site.id}/lists/${list.id}/items/delta`;
  const keep = new URLSearchParams();
  for (const name of ['$expand', 'expand', '$select', '$top']) {
    const v = q.get(name);
    if (v !== null) keep.set(name, v);
  }
  const link = (token: string): string => {
    const params = new URLSearchParams(keep);
    params.set('token', token);
    return `${base}?${params.toString().replace(/%24/g, '$')}`;
  };
  const tokenText = q.get('token');
  if (tokenText === 'latest') {
    return {
      status: 200,
      body: { value: [], '@odata.deltaLink': link(encode({ epoch: list.epoch, since: list.changes, offset: 0, upTo: list.changes })) },
    };
  }
  let token: Token = { epoch: list.epoch, since: 0, offset: 0, upTo: list.changes };
  if (tokenText) {
    const decoded = decode(tokenText);
    if (!decoded) throw new GraphFailure(400, 'invalidRequest', 'Invalid delta token');
    if (decoded.epoch !== list.epoch) {
      throw new GraphFailure(410, 'resyncRequired', 'The delta token is no longer valid: start a new enumeration.', {
        Location: base + (keep.toString() ? `?${keep.toString().replace(/%24/g, '$')}` : ''),
      });
    }
    token = decoded.offset > 0 ? decoded : { ...decoded, upTo: list.changes };
  }
  const expandFields = /fields/.test(q.get('$expand') ?? q.get('expand') ?? '');
  const changed: Json[] = [...list.items.values()]
    .filter((i) => i.changed > token.since)
    .sort((a, b) => a.changed - b.changed)
    .map((i) => itemBody(baseUrl, site, list, i, expandFields));
  const deleted: Json[] = !tokenText ? [] : [...list.deleted].filter(([, at]) => at > token.since).map(([id]) => deletedBody(site, id));
  const all = [...changed, ...deleted];
  const top = pageSize(q.get('$top') ?? (q.get('top') || null));
  const page = all.slice(token.offset, token.offset + top);
  const body: Json = { value: page };
  if (token.offset + top < all.length) body['@odata.nextLink'] = link(encode({ ...token, offset: token.offset + top }));
  else body['@odata.deltaLink'] = link(encode({ epoch: list.epoch, since: Math.max(token.upTo, list.changes), offset: 0, upTo: 0 }));
  return { status: 200, body };
}

function deletedBody(site: Site, id: number): Json {
  return { id: String(id), parentReference: { siteId: site.id }, deleted: { state: 'deleted' } };
}

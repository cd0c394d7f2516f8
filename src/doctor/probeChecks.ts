/**
 * A probe through the lists the way the app uses them, leaving nothing behind:
 *  1. write a probe item (needs the write role; https://learn.microsoft.com/en-us/graph/api/listitem-create);
 *  2. read it back by its indexed, unique key in a `$batch` with a read by id
 *     (https://learn.microsoft.com/en-us/graph/api/listitem-list, .../json-batching);
 *  3. update it with If-Match, then again with the now stale eTag: SharePoint must refuse (412, or 409)
 *     (https://learn.microsoft.com/en-us/graph/api/listitem-update);
 *  4. find the change with list delta, as the app's cache does (https://learn.microsoft.com/en-us/graph/api/listitem-delta);
 *  5. write a probe lead row with the multi-person column as Collection(Edm.Int32) with a person of
 *     the site's User Information List;
 *  6. delete both, and rows left by an earlier probe that was interrupted.
 * Probe rows carry the plan id `dplan-doctor-probe`, which no plan has; the app ignores them.
 */
import { randomUUID } from 'node:crypto';
import type { GraphHttp } from '../graph/graphHttp';
import { MissingGrantError } from '../graph/graphErrors';
import { odataString, type GraphItem } from '../store/graph/graphFields';
import type { ListIds } from '../store/graph/schema';
import { fail, messageOf, pass, skip, type CheckResult } from './checkResult';
import { grantAdvice } from './siteChecks';

export const PROBE_PLAN = 'dplan-doctor-probe';

interface ProbeContext {
  http: GraphHttp;
  siteId: string;
  lists: ListIds;
  site: string;
  clientId: string;
}

const url = (p: ProbeContext, list: keyof ListIds) => `/sites/${p.siteId}/lists/${p.lists[list]}/items`;
const filter = (column: string, value: string) => `$filter=${encodeURIComponent(`fields/${column} eq `)}${odataString(value)}`;

/** The probe's results, and whether the app could write (its role is write or more). */
export async function runProbe(p: ProbeContext): Promise<{ results: CheckResult[]; canWrite: boolean }> {
  const results: CheckResult[] = [];
  const made: Array<{ list: keyof ListIds; id: string }> = [];
  let canWrite = false;
  try {
    await removeProbeRows(p);
    const ref = `${PROBE_PLAN}/${randomUUID()}`;
    const latest = await p.http.get<{ '@odata.deltaLink'?: string }>(`${url(p, 'items')}/delta?$expand=fields&token=latest`);

    // 1. Write.
    let created: GraphItem;
    try {
      created = (
        await p.http.request<GraphItem>('POST', url(p, 'items'), {
          body: { fields: { Title: 'dplan doctor probe (safe to delete)', PlanId: PROBE_PLAN, ItemRef: ref, ItemKey: 'probe' } },
        })
      ).body;
    } catch (error) {
      const advice =
        error instanceof MissingGrantError ? grantAdvice(p.site, p.clientId) : 'See the message; dplan doctor --json shows every check.';
      results.push(fail('probe-write', 'Write an item', messageOf(error), advice));
      return { results, canWrite };
    }
    canWrite = true;
    made.push({ list: 'items', id: created.id });
    results.push(pass('probe-write', 'Write an item', `item ${created.id} created`));

    // 2. Read back by key and by id, in one $batch.
    const [byKey, byId] = await p.http.batch<{ value?: GraphItem[]; eTag?: string }>(
      [
        { id: 'key', method: 'GET', url: `${url(p, 'items')}?expand=fields&${filter('ItemRef', ref)}` },
        { id: 'id', method: 'GET', url: `${url(p, 'items')}/${created.id}?expand=fields` },
      ],
      { idempotent: true },
    );
    const found = byKey!.status === 200 && byKey!.body.value?.length === 1;
    results.push(
      byKey!.status === 200 && byId!.status === 200
        ? pass('batch', 'JSON $batch', 'two reads answered in one request')
        : fail(
            'batch',
            'JSON $batch',
            `answers ${byKey!.status} and ${byId!.status}`,
            'The app sends reads and writes in $batch: check the Graph base URL and any proxy.',
          ),
    );
    results.push(
      found
        ? pass('probe-read', 'Read it back by its indexed key', '$filter on ItemRef found it')
        : fail(
            'probe-read',
            'Read it back by its indexed key',
            `filter answered ${byKey!.status}`,
            'Index ItemRef (List settings → Indexed columns) or run dplan provision.',
          ),
    );

    // 3. Update, then update with the stale eTag.
    const first = created.eTag ?? String(created.fields['@odata.etag']);
    const fieldsUrl = `${url(p, 'items')}/${created.id}/fields`;
    await p.http.request('PATCH', fieldsUrl, {
      headers: { 'If-Match': first },
      body: { Title: 'dplan doctor probe (updated)' },
      idempotent: true,
    });
    const stale = await p.http.request('PATCH', fieldsUrl, {
      headers: { 'If-Match': first },
      body: { Title: 'dplan doctor probe (stale)' },
      idempotent: true,
      accept: [409, 412],
    });
    results.push(
      stale.status === 412 || stale.status === 409
        ? pass('probe-conflict', 'A stale eTag is refused', `${stale.status}, as it must be: concurrent edits never overwrite silently`)
        : fail(
            'probe-conflict',
            'A stale eTag is refused',
            `answered ${stale.status}: the stale write was applied`,
            'Something between the app and SharePoint drops If-Match headers: check any proxy.',
          ),
    );

    // 4. The change shows in the list's delta.
    const link = latest.body['@odata.deltaLink'];
    const delta = link ? await p.http.getAll<GraphItem>(p.http.relative(link)) : [];
    results.push(
      delta.some((i) => String(i.id) === String(created.id))
        ? pass(
            'probe-delta',
            'Changes are tracked (list delta)',
            "the probe's change came back from delta: the app's cache sees changes made elsewhere",
          )
        : fail(
            'probe-delta',
            'Changes are tracked (list delta)',
            "delta did not return the probe's change",
            'The app relies on list delta to keep its cache fresh: set GRAPH_CACHE_MAX_AGE_MS=0 until this passes.',
          ),
    );

    // 5. The multi-person column.
    results.push(await probePeople(p, ref, made));
  } catch (error) {
    results.push(fail('probe', 'Probe of the lists', messageOf(error), 'See the message; the checks above show what works.'));
  } finally {
    results.push(await cleanUp(p, made));
  }
  return { results, canWrite };
}

async function probePeople(p: ProbeContext, ref: string, made: Array<{ list: keyof ListIds; id: string }>): Promise<CheckResult> {
  const title = 'Multi-person column (Collection(Edm.Int32))';
  const users = await p.http.get<{ value: GraphItem[] }>(
    `/sites/${p.siteId}/lists/${encodeURIComponent('User Information List')}/items?expand=fields&$top=20`,
  );
  const person = users.body.value.find((u) => typeof u.fields.EMail === 'string' && u.fields.EMail && /^\d+$/.test(String(u.id)));
  if (!person) return skip('probe-people', title, 'the site knows no people yet (they are added when they first use it)');
  const row = await p.http.request<GraphItem>('POST', url(p, 'leads'), {
    body: {
      fields: {
        Title: 'dplan doctor probe (safe to delete)',
        PlanId: PROBE_PLAN,
        RoleRef: ref,
        PeopleJson: '{"role":"probe","people":[]}',
        'PeopleLookupId@odata.type': 'Collection(Edm.Int32)',
        PeopleLookupId: [Number(person.id)],
      },
    },
    accept: [400],
  });
  if (row.status === 400) {
    const message = (row.body as unknown as { error?: { message?: string } }).error?.message ?? 'refused';
    return fail('probe-people', title, message, 'The People column must be a person column allowing several people: run dplan provision.');
  }
  made.push({ list: 'leads', id: row.body.id });
  return pass('probe-people', title, 'a lead row with a person from the site written');
}

/** Deletes the probe's rows (and any left by an interrupted probe) and checks that none remain. */
async function cleanUp(p: ProbeContext, made: Array<{ list: keyof ListIds; id: string }>): Promise<CheckResult> {
  const title = 'Probe rows removed';
  try {
    for (const row of made) await p.http.request('DELETE', `${url(p, row.list)}/${row.id}`, { idempotent: true, accept: [404] });
    const left = await removeProbeRows(p);
    return left === 0
      ? pass('probe-cleanup', title, 'nothing left behind')
      : fail('probe-cleanup', title, `${left} probe rows remain`, `Delete the rows with PlanId ${PROBE_PLAN} by hand.`);
  } catch (error) {
    return fail(
      'probe-cleanup',
      title,
      messageOf(error),
      `Delete the rows with PlanId ${PROBE_PLAN} in the Items and Leads lists by hand.`,
    );
  }
}

/** Deletes every probe row found; returns how many could not be deleted. */
async function removeProbeRows(p: ProbeContext): Promise<number> {
  let left = 0;
  for (const list of ['items', 'leads'] as const) {
    const rows = await p.http.getAll<GraphItem>(`${url(p, list)}?expand=fields&${filter('PlanId', PROBE_PLAN)}`);
    for (const row of rows) {
      const gone = await p.http.request('DELETE', `${url(p, list)}/${row.id}`, { idempotent: true, accept: [403, 404] });
      if (gone.status === 403) left++;
    }
  }
  return left;
}

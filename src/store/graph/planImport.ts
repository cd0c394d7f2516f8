/**
 * Import into SharePoint: one batched read of the plan and its items, then only the items that are
 * new or whose document changed (content hash), in JSON batches of 20
 * (https://learn.microsoft.com/en-us/graph/json-batching): about 51 requests per 1,000 items, and an
 * unchanged re-import is one request.
 *
 * A write whose outcome is unknown is read back before it is written again: a lost answer, a 504
 * (the write may have been applied), a unique-value clash (409, or SharePoint's 500: the item was
 * created by an earlier attempt), a 412 (it changed meanwhile). Each round re-reads the plan's items
 * and writes only what is still needed; the rounds are bounded.
 */
import type { Plan } from '../../domain/model';
import { ANSWER_LOST, type BatchStep } from '../../graph/graphHttp';
import { graphErrorOf } from '../../graph/graphErrors';
import { checkImportable, documentHash, documentOf, storedPlanOf } from '../itemDocument';
import type { ImportProgress, ImportSummary } from '../planStore';
import { clearedFields, documentFields, etagOf, isAppItem, newItemFields, planFields, type GraphItem } from './graphFields';
import { itemsUrl, queryUrl, readAll, type Located, type StoreContext } from './listReads';

/** What an import still has to write for one item. */
interface PendingWrite {
  key: string;
  intent: 'create' | 'update' | 'move';
  step: BatchStep;
}

type Page = { value: GraphItem[]; '@odata.nextLink'?: string };

export async function importPlanInto(
  ctx: StoreContext,
  plan: Plan,
  options: { onProgress?: (p: ImportProgress) => void; rounds?: number } = {},
): Promise<ImportSummary> {
  checkImportable(plan);
  const located = await ctx.locate();
  const stored = storedPlanOf(plan);
  const planId = stored.id;
  const total = plan.items.length;

  // One round trip for the plan's header and the first page of its items.
  const reads: BatchStep[] = [
    { id: 'plan', method: 'GET', url: queryUrl(ctx, located, 'plans', 'PlanId', planId) },
    { id: 'items', method: 'GET', url: queryUrl(ctx, located, 'items', 'PlanId', planId) },
  ];
  const answers = await ctx.http.batch<Page>(reads, { idempotent: true });
  answers.forEach((answer, i) => {
    if (answer.status !== 200) throw graphErrorOf(answer.status === ANSWER_LOST ? 504 : answer.status, answer.body, 'GET', reads[i]!.url);
  });
  const header = answers[0]!.body.value[0];
  let existing = answers[1]!.body.value;
  const next = answers[1]!.body['@odata.nextLink'];
  if (next) existing = existing.concat(await ctx.http.getAll<GraphItem>(ctx.http.relative(next)));

  const summary: ImportSummary = { planId, created: 0, updated: 0, unchanged: 0 };
  const byKey = new Map(existing.filter(isAppItem).map((i) => [String(i.fields.ItemKey), i]));
  const writes: PendingWrite[] = [];
  plan.items.forEach((item, position) => {
    const write = importWrite(located, planId, item, position, byKey.get(item.key));
    if (!write) summary.unchanged++;
    else {
      if (write.intent === 'create') summary.created++;
      else if (write.intent === 'update') summary.updated++;
      else summary.unchanged++;
      writes.push(write);
    }
  });

  const headerFields = planFields(stored);
  const headerWrite = (row: GraphItem | undefined): BatchStep[] => {
    const url = itemsUrl(located, 'plans');
    if (!row) return [{ id: 'plan', method: 'POST', url, body: { fields: headerFields } }];
    if (row.fields.PlanJson !== headerFields.PlanJson || row.fields.Title !== headerFields.Title) {
      return [{ id: 'plan', method: 'PATCH', url: `${url}/${row.id}/fields`, body: headerFields }];
    }
    return [];
  };

  let done = summary.unchanged - writes.filter((w) => w.intent === 'move').length;
  const rounds = options.rounds ?? 5;
  let pending = writes;
  let pendingHeader = headerWrite(header);
  for (let round = 0; pending.length > 0 || pendingHeader.length > 0; round++) {
    if (round >= rounds) throw new Error(`Import of ${planId} did not settle after ${rounds} rounds; ${pending.length} items left`);
    const unsure = new Set<string>();
    let headerUnsure = false;
    // Batch ids are compared without case: number the steps rather than use item keys.
    const steps: Array<{ write?: PendingWrite; step: BatchStep }> = [
      ...pendingHeader.map((step) => ({ step })),
      ...pending.map((write) => ({ write, step: write.step })),
    ].map((c, i) => ({ ...c, step: { ...c.step, id: String(i) } }));
    const doneBefore = done;
    const results = await ctx.http.batch(
      steps.map((c) => c.step),
      { onAnswered: (answered) => options.onProgress?.({ done: Math.min(total, doneBefore + answered), total }) },
    );
    results.forEach((answer, i) => {
      const c = steps[i]!;
      if (answer.status >= 200 && answer.status < 300) {
        if (c.write) done++;
      } else if (answer.status === ANSWER_LOST || answer.status === 409 || answer.status === 412 || answer.status >= 500) {
        if (c.write) unsure.add(c.write.key);
        else headerUnsure = true;
      } else {
        throw graphErrorOf(answer.status, answer.body, c.step.method, c.step.url);
      }
    });
    pending = [];
    pendingHeader = [];
    if (unsure.size > 0) {
      ctx.logger?.info({ planId, unsure: unsure.size, round }, 'import writes without a definite answer: reading them back');
      const now = new Map((await readAll(ctx, 'items', 'PlanId', planId)).filter(isAppItem).map((i) => [String(i.fields.ItemKey), i]));
      plan.items.forEach((item, position) => {
        if (!unsure.has(item.key)) return;
        const write = importWrite(located, planId, item, position, now.get(item.key));
        if (write) pending.push(write);
        else done++;
      });
    }
    if (headerUnsure) pendingHeader = headerWrite((await readAll(ctx, 'plans', 'PlanId', planId))[0]);
  }
  options.onProgress?.({ done: total, total });
  return summary;
}

/** The write that brings one stored item in line with the document, or undefined when none is needed. */
function importWrite(
  located: Located,
  planId: string,
  item: Plan['items'][number],
  position: number,
  current: GraphItem | undefined,
): PendingWrite | undefined {
  const url = itemsUrl(located, 'items');
  if (!current) {
    return {
      key: item.key,
      intent: 'create',
      step: { id: item.key, method: 'POST', url, body: { fields: newItemFields(planId, item, position) } },
    };
  }
  const doc = documentOf(item);
  const headers = { 'If-Match': etagOf(current) };
  const fieldsUrl = `${url}/${current.id}/fields`;
  if (current.fields.DocHash !== documentHash(doc)) {
    const fields = documentFields(planId, item.key, doc, position);
    return {
      key: item.key,
      intent: 'update',
      step: { id: item.key, method: 'PATCH', url: fieldsUrl, headers, body: { ...clearedFields(current.fields, fields), ...fields } },
    };
  }
  if (Number(current.fields.Position) !== position) {
    return {
      key: item.key,
      intent: 'move',
      step: { id: item.key, method: 'PATCH', url: fieldsUrl, headers, body: { Position: position } },
    };
  }
  return undefined;
}

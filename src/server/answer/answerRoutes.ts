/**
 * The e-mailed answer page: GET /answer/:token shows the items the link asks about, POST records one
 * item's update through the one use case every surface uses (recordStatus with canReport), as the
 * person the link names, with history saying it came by e-mail. No Microsoft account and no cookie:
 * the signed token in the address is the person's right to answer those items (a form post without
 * it, or with a forged one, changes nothing). A link works until it expires and, for each item, until
 * its person has answered it (the plan's history is the record, so every instance agrees).
 *
 * Refusals are pages that say what happened and whom to contact: a forged or damaged link 400, an
 * item the link does not name 403, an expired link or an item already answered 410; an update the
 * rules refuse is shown again (422) with the message beside the field and what was typed kept.
 */
import express from 'express';
import type { AnswerLink, AnswerLinkSigner } from '../../auth/answerLink';
import { isReport, RAG_LABELS, type StatusUpdate } from '../../domain/model';
import { formatInstant, londonDate } from '../../domain/calendar';
import { nextMilestone, overdueMilestone } from '../../domain/milestones';
import type { ReportInput } from '../../domain/statusReport';
import type { Logger } from '../../logger';
import type { PlanStore } from '../../store/planStore';
import { actorOf } from '../../usecases/actor';
import { recordStatus, type ReportingDeps } from '../../usecases/recordStatus';
import { answerPage, messagePage, type FormState, type ItemView } from './answerHtml';

export interface AnswerRouteDeps {
  store: PlanStore;
  signer: AnswerLinkSigner;
  reporting: ReportingDeps;
  logger: Logger;
  /** Whom a partner contacts when the link does not work (the sending mailbox). */
  contact?: string;
}

const FIELDS = ['rag', 'note', 'correctiveAction', 'revisedDate'] as const;
const HIDDEN = new Set(['item', 'version', 'content', 'seen']);

function contactLine(deps: AnswerRouteDeps): string {
  return deps.contact
    ? `If you need a new link or have a question, write to ${deps.contact} or reply to the e-mail you received; the plan's co-ordinator will help.`
    : "If you need a new link or have a question, reply to the e-mail you received; the plan's co-ordinator will help.";
}

/** This person's answer by e-mail on the item since the link was made: the link is used up for it. */
function answerBy(history: StatusUpdate[], link: AnswerLink): StatusUpdate | undefined {
  return history.find((u) => isReport(u) && u.via === 'email' && u.byId === link.personId && u.at >= link.issuedAt);
}

export function answerRoutes(deps: AnswerRouteDeps): express.Router {
  const { store, signer, logger } = deps;
  const log = logger.child({ component: 'answerPage' });
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 }));
  router.use((_req, res, next) => {
    // The page carries the person's link: never cached, never sent on as a referrer.
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    next();
  });

  const refuse = (res: express.Response, status: number, title: string, paragraphs: string[]) =>
    res
      .status(status)
      .type('html')
      .send(messagePage(title, paragraphs, contactLine(deps)));

  /** The link, or a page saying why it does not work. */
  function linkOr(res: express.Response, token: string): AnswerLink | undefined {
    const check = signer.verify(token);
    if (check.ok) return check.link;
    if (check.why === 'expired') {
      log.info('expired answer link opened');
      refuse(res, 410, 'This link has expired', [
        'Links to give an update work for a limited time, and this one has run out. Nothing has been changed.',
      ]);
    } else {
      log.warn('answer link refused: not a link this app made, or damaged');
      refuse(res, 400, 'This link does not work', [
        'The link is not one this plan sent, or part of it is missing (links sometimes break when copied from an e-mail). Nothing has been changed.',
        'Open the link straight from the e-mail, or copy the whole address.',
      ]);
    }
    return undefined;
  }

  async function views(link: AnswerLink): Promise<ItemView[] | undefined> {
    const found = await Promise.all(
      link.itemKeys.map(async (key) => {
        const [item, history] = await Promise.all([store.getItem(link.planId, key), store.history(link.planId, key)]);
        if (!item) return undefined;
        const answered = answerBy(history, link);
        const view: ItemView = { item };
        const today = londonDate(deps.reporting.clock.now());
        const due = nextMilestone(item, today) ?? overdueMilestone(item, today, 0);
        if (due) view.milestone = due;
        if (answered) view.answered = { at: answered.at, rag: RAG_LABELS[answered.to] };
        return view;
      }),
    );
    const present = found.filter((v): v is ItemView => v !== undefined);
    return present.length ? present : undefined;
  }

  async function render(
    res: express.Response,
    status: number,
    token: string,
    link: AnswerLink,
    extra: { form?: FormState; recorded?: string },
  ) {
    const plan = await store.getPlan(link.planId);
    const items = plan ? await views(link) : undefined;
    if (!plan || !items) {
      refuse(res, 404, 'These items are no longer in the plan', [
        'The items this link asked about have been removed from the plan (it may have been re-imported). Nothing has been changed.',
      ]);
      return;
    }
    res
      .status(status)
      .type('html')
      .send(
        answerPage({
          action: `/answer/${encodeURIComponent(token)}`,
          organisation: plan.plan.organisation,
          planTitle: plan.plan.title,
          name: link.name,
          expiresAt: link.expiresAt,
          items,
          ...extra,
        }),
      );
  }

  router.get('/:token', async (req, res) => {
    const token = String(req.params.token);
    const link = linkOr(res, token);
    if (!link) return;
    const done = typeof req.query.done === 'string' && link.itemKeys.includes(req.query.done) ? req.query.done : undefined;
    if (!done) {
      const items = await views(link);
      if (items && items.every((v) => v.answered)) {
        refuse(res, 410, 'This link has already been used', [
          `You have already sent your update on ${items.length === 1 ? 'the item' : `all ${items.length} items`} this link asked about. Thank you. Nothing has been changed.`,
          'A new request comes by e-mail when the next update is due.',
        ]);
        return;
      }
    }
    await render(res, 200, token, link, done ? { recorded: 'Your update was recorded. Thank you.' } : {});
  });

  router.post('/:token', async (req, res) => {
    const token = String(req.params.token);
    const link = linkOr(res, token);
    if (!link) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const itemKey = typeof body.item === 'string' ? body.item : '';
    if (!link.itemKeys.includes(itemKey)) {
      log.warn({ link: link.id }, 'answer refused: item not on the link');
      refuse(res, 403, 'This link is not for that item', [
        'The link you used asks about other items, so it cannot record an update on this one. Nothing has been changed.',
      ]);
      return;
    }
    const history = await store.history(link.planId, itemKey);
    const used = answerBy(history, link);
    if (used) {
      refuse(res, 410, 'You have already answered this item', [
        `Your update (${RAG_LABELS[used.to]}) was recorded on ${formatInstant(used.at)}; this link records one update for each item. Nothing has been changed.`,
      ]);
      return;
    }
    const values: Record<string, string> = {};
    for (const [name, value] of Object.entries(body)) if (typeof value === 'string' && !HIDDEN.has(name)) values[name] = value;
    for (const name of HIDDEN) if (typeof body[name] === 'string') values[name] = body[name];
    const input: ReportInput = { ...Object.fromEntries(FIELDS.filter((f) => values[f]?.trim()).map((f) => [f, values[f]])) };
    const figures = Object.fromEntries(
      Object.entries(values)
        .filter(([name, v]) => /^figure_\d+$/.test(name) && v.trim() !== '')
        .map(([name, v]) => [name.slice('figure_'.length), v]),
    );
    if (Object.keys(figures).length) input.figures = figures;
    const actor = actorOf({ name: link.name, ids: [link.personId, link.email], id: link.personId, via: 'email' });
    // What the person saw when the page was drawn (the form carries it): reports since are recorded after, a changed item is stale.
    const basis = { version: values.version ?? '', content: values.content ?? '', seen: values.seen ?? '' };
    const outcome = await recordStatus(deps.reporting, actor, link.planId, itemKey, input, basis);
    if (outcome.outcome !== 'refused') {
      log.info({ link: link.id, planId: link.planId, itemKey, outcome: outcome.outcome }, 'answer by e-mail link');
      res.redirect(303, `/answer/${encodeURIComponent(token)}?done=${encodeURIComponent(itemKey)}`);
      return;
    }
    const { refusal } = outcome;
    const form: FormState = { itemKey, values, problems: [] };
    switch (refusal.kind) {
      case 'invalid':
        form.problems = refusal.problems;
        await render(res, 422, token, link, { form });
        return;
      case 'stale':
        form.warning =
          refusal.why === 'changed'
            ? 'The co-ordinator changed this item while you were writing: check it again above, then send your update.'
            : `${refusal.by ?? 'Someone'} reported on this item while you were writing${refusal.at ? ` (${formatInstant(refusal.at)})` : ''}: check it above, then send your update again.`;
        await render(res, 409, token, link, { form });
        return;
      case 'forbidden':
        refuse(res, 403, 'You cannot report on this item now', [refusal.message, 'Nothing has been changed.']);
        return;
      case 'not-found':
        refuse(res, 404, 'This item is no longer in the plan', [refusal.message, 'Nothing has been changed.']);
    }
  });

  return router;
}

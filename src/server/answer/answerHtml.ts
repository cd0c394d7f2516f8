/**
 * The e-mailed answer page, rendered on the server as plain, accessible HTML (no script, no sign-in):
 * one form per item asked (status as radio buttons, note, corrective action, figures, revised date),
 * each field labelled, an error summary linking to the fields, the use case's message beside the
 * field it is about, and what was typed kept. Works at 375 px wide. en-GB dates, Europe/London.
 */
import he from 'he';
import { formatInstant, formatLongDate } from '../../domain/calendar';
import { planContentHash } from '../../domain/contentHash';
import { RAG_LABELS, REPORTABLE_RAG, type IsoDate } from '../../domain/model';
import { REPORT_FIELD } from '../../domain/statusReport';
import type { StoredItem } from '../../store/planStore';

const esc = (text: string) => he.encode(text, { useNamedReferences: false });

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:"Segoe UI",system-ui,Arial,sans-serif;font-size:16px;line-height:1.5;color:#242424;background:#fff}
header{background:#0f548c;color:#fff;padding:12px 16px}
header p{margin:0;font-weight:600}
main{max-width:720px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;line-height:1.25;margin:8px 0 12px}
h2{font-size:1.25rem;margin:0 0 8px}
h3{font-size:1.05rem;margin:0 0 4px}
section.item{border:1px solid #8a8a8a;border-radius:4px;padding:16px;margin:16px 0}
fieldset{border:0;padding:0;margin:12px 0}
legend{font-weight:600;padding:0}
.radios label{display:inline-flex;align-items:center;gap:6px;margin:4px 16px 4px 0;min-height:44px}
.radios input{width:24px;height:24px;margin:0}
label.field{display:block;font-weight:600;margin:12px 0 4px}
.hint{color:#424242;margin:0 0 4px;font-size:.95rem}
textarea,input[type=text],input[type=date]{width:100%;max-width:100%;font:inherit;padding:8px;border:2px solid #616161;border-radius:4px}
textarea{min-height:6em}
textarea:focus,input:focus,button:focus,a:focus{outline:3px solid #0f548c;outline-offset:2px}
[aria-invalid=true]{border-color:#b10e1c}
.field-error{color:#b10e1c;font-weight:600;margin:4px 0}
.error-summary{border:3px solid #b10e1c;padding:12px;margin:0 0 12px}
.error-summary a{color:#b10e1c;font-weight:600}
.done,.notice{border-left:6px solid #0e700e;background:#f1faf1;padding:8px 12px;margin:12px 0}
.warning{border-left:6px solid #bc4b09;background:#fdf6f3;padding:8px 12px;margin:12px 0}
button{font:inherit;font-weight:600;color:#fff;background:#0f548c;border:0;border-radius:4px;padding:10px 20px;min-height:44px;margin-top:16px;cursor:pointer}
a{color:#0f548c}
dl{margin:0}dt{font-weight:600;display:inline}dd{display:inline;margin:0}dd::after{content:"";display:block}
`;

export function page(title: string, body: string, orgName?: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en-GB"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${esc(title)}</title><style>${STYLE}</style></head>`,
    `<body><header><p>${esc(orgName ?? 'Delivery Plan')}</p></header>`,
    `<main id="main">${body}</main></body></html>`,
  ].join('');
}

/** A page that says what went wrong with the link and whom to contact; nothing on it changes anything. */
export function messagePage(title: string, paragraphs: string[], contact: string): string {
  return page(title, `<h1>${esc(title)}</h1>${paragraphs.map((p) => `<p>${esc(p)}</p>`).join('')}<p>${esc(contact)}</p>`);
}

export interface ItemView {
  item: StoredItem;
  /** Why and when it was asked. */
  ask?: string;
  milestone?: IsoDate;
  /** Set when this link's person has answered it. */
  answered?: { at: string; rag: string };
}

export interface FormState {
  itemKey: string;
  values: Record<string, string>;
  /** Problems by field name (rag, note, correctiveAction, revisedDate, figure_N), and for the form. */
  problems: Array<{ field: string; message: string }>;
  /** A message for the whole form (e.g. someone else reported meanwhile). */
  warning?: string;
}

export interface AnswerPageInput {
  action: string;
  organisation: string;
  planTitle: string;
  name: string;
  expiresAt: string;
  items: ItemView[];
  form?: FormState;
  recorded?: string;
}

const fieldId = (key: string, field: string) => `f-${key}-${field}`;

function errorFor(form: FormState | undefined, key: string, field: string): string | undefined {
  if (!form || form.itemKey !== key) return undefined;
  return form.problems.find((p) => p.field === field)?.message;
}

function describedBy(key: string, field: string, error: string | undefined, hint?: boolean): string {
  const ids = [hint ? `${fieldId(key, field)}-hint` : '', error ? `${fieldId(key, field)}-error` : ''].filter(Boolean);
  return ids.length ? ` aria-describedby="${ids.join(' ')}"` : '';
}

function errorLine(key: string, field: string, error: string | undefined): string {
  return error ? `<p class="field-error" id="${fieldId(key, field)}-error"><span>Error:</span> ${esc(error)}</p>` : '';
}

function textField(
  key: string,
  field: string,
  label: string,
  hint: string,
  value: string,
  error: string | undefined,
  area: boolean,
): string {
  const id = fieldId(key, field);
  const attrs = `id="${id}" name="${field}"${describedBy(key, field, error, true)}${error ? ' aria-invalid="true"' : ''}`;
  return (
    `<label class="field" for="${id}">${esc(label)}</label><p class="hint" id="${id}-hint">${esc(hint)}</p>${errorLine(key, field, error)}` +
    (area ? `<textarea ${attrs} maxlength="2000">${esc(value)}</textarea>` : `<input type="text" ${attrs} value="${esc(value)}">`)
  );
}

function itemForm(input: AnswerPageInput, view: ItemView): string {
  const { item } = view;
  const key = item.key;
  const form = input.form?.itemKey === key ? input.form : undefined;
  const values = form?.values ?? {};
  const problems = form?.problems ?? [];
  const summary =
    problems.length > 0
      ? `<div class="error-summary" role="alert" tabindex="-1" autofocus id="${fieldId(key, 'summary')}"><h3>There is a problem with your update</h3><ul>${problems
          .map((p) => `<li><a href="#${fieldId(key, p.field === REPORT_FIELD.rag ? 'rag-red' : p.field)}">${esc(p.message)}</a></li>`)
          .join('')}</ul></div>`
      : '';
  const warning = form?.warning ? `<div class="warning" role="alert">${esc(form.warning)}</div>` : '';
  const ragError = errorFor(input.form, key, REPORT_FIELD.rag);
  const radios = REPORTABLE_RAG.map(
    (rag) =>
      `<label><input type="radio" name="rag" value="${rag}" id="${fieldId(key, `rag-${rag}`)}"${values.rag === rag ? ' checked' : ''}${ragError ? ' aria-invalid="true"' : ''}> ${RAG_LABELS[rag]}</label>`,
  ).join('');
  const figures = item.outputs
    .map((o, i) => ({ o, i }))
    .filter(({ o }) => o.target !== undefined)
    .map(({ o, i }) =>
      textField(
        key,
        REPORT_FIELD.figure(i),
        `Figure so far: ${o.text}`,
        `Target ${o.atLeast ? 'at least ' : ''}${o.target!.toLocaleString('en-GB')}${o.unit ? ` ${o.unit}` : ''}. Optional; a whole number.`,
        values[REPORT_FIELD.figure(i)] ?? '',
        errorFor(input.form, key, REPORT_FIELD.figure(i)),
        false,
      ),
    )
    .join('');
  const dateId = fieldId(key, REPORT_FIELD.revisedDate);
  const dateError = errorFor(input.form, key, REPORT_FIELD.revisedDate);
  return (
    `<form method="post" action="${esc(input.action)}" novalidate>` +
    summary +
    warning +
    `<input type="hidden" name="item" value="${esc(key)}">` +
    `<input type="hidden" name="version" value="${esc(item.version)}">` +
    `<input type="hidden" name="content" value="${esc(planContentHash(item))}">` +
    `<input type="hidden" name="seen" value="${esc(item.lastUpdate?.at ?? '')}">` +
    `<fieldset${describedBy(key, 'rag', ragError)}><legend>Status (required)</legend>${errorLine(key, 'rag', ragError)}<div class="radios">${radios}</div></fieldset>` +
    textField(
      key,
      REPORT_FIELD.note,
      'Note',
      'Required for Red and Amber: what is wrong and what is being done.',
      values.note ?? '',
      errorFor(input.form, key, REPORT_FIELD.note),
      true,
    ) +
    textField(
      key,
      REPORT_FIELD.correctiveAction,
      'Corrective action',
      'Red or Amber only, optional: what is being done to bring it back on track.',
      values.correctiveAction ?? '',
      errorFor(input.form, key, REPORT_FIELD.correctiveAction),
      true,
    ) +
    figures +
    `<label class="field" for="${dateId}">Revised date</label><p class="hint" id="${dateId}-hint">Red only, optional: when it will now be done.</p>${errorLine(key, REPORT_FIELD.revisedDate, dateError)}` +
    `<input type="date" id="${dateId}" name="revisedDate" value="${esc(values.revisedDate ?? '')}"${describedBy(key, REPORT_FIELD.revisedDate, dateError, true)}${dateError ? ' aria-invalid="true"' : ''}>` +
    `<button type="submit">Send my update on this item</button></form>`
  );
}

function itemSection(input: AnswerPageInput, view: ItemView): string {
  const { item } = view;
  const last = item.lastUpdate;
  const facts = [
    view.ask ? `<dt>Why you are asked:</dt> <dd>${esc(view.ask)}</dd>` : '',
    `<dt>Due:</dt> <dd>${view.milestone ? esc(formatLongDate(view.milestone)) : 'no due date'}</dd>`,
    `<dt>Current status:</dt> <dd>${esc(RAG_LABELS[item.status])}${last ? ` (reported by ${esc(last.by)}, ${esc(formatInstant(last.at))})` : ''}</dd>`,
  ].join('');
  const body = view.answered
    ? `<p class="done">You sent your update (${esc(view.answered.rag)}) on ${esc(formatInstant(view.answered.at))}. Thank you.</p>`
    : itemForm(input, view);
  return `<section class="item" aria-labelledby="h-${esc(item.key)}"><h2 id="h-${esc(item.key)}">${esc(item.title)}</h2><dl>${facts}</dl>${body}</section>`;
}

export function answerPage(input: AnswerPageInput): string {
  const open = input.items.filter((v) => !v.answered).length;
  const intro =
    `<h1>Your update on the ${esc(input.planTitle)}</h1>` +
    `<p>For ${esc(input.name)}. ${open === 0 ? 'You have answered every item this link asked about.' : `Please give your update on ${open === 1 ? 'the item' : `each of the ${open} items`} below; each is sent on its own.`} ` +
    `This page works until ${esc(formatInstant(input.expiresAt))}, once for each item. No Microsoft account is needed.</p>`;
  const recorded = input.recorded ? `<div class="notice" role="status">${esc(input.recorded)}</div>` : '';
  return page(
    `Your update on the ${input.planTitle}`,
    intro + recorded + input.items.map((v) => itemSection(input, v)).join(''),
    input.organisation,
  );
}

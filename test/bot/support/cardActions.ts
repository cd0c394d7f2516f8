/** Finding the buttons on a bot card and pressing them as Teams would (the invoke carries every input's value). */

export interface ExecuteAction {
  type: 'Action.Execute';
  title?: string;
  verb: string;
  data: Record<string, unknown>;
}

/** Every Action.Execute on a card (in the body's action sets, the card's actions and show-cards), in order. */
export function executeActions(card: unknown): ExecuteAction[] {
  const out: ExecuteAction[] = [];
  const walk = (x: unknown, key?: string) => {
    if (key === 'refresh') return;
    if (Array.isArray(x)) x.forEach((v) => walk(v));
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (o.type === 'Action.Execute') out.push(o as unknown as ExecuteAction);
      for (const [k, v] of Object.entries(o)) walk(v, k);
    }
  };
  walk(card);
  return out;
}

/** The items' Record buttons of a card (verb recordStatus). */
export function recordActions(card: unknown): ExecuteAction[] {
  return executeActions(card).filter((a) => a.verb === 'recordStatus');
}

/** The Record button of one item. */
export function recordActionFor(card: unknown, itemKey: string): ExecuteAction | undefined {
  return recordActions(card).find((a) => a.data.itemKey === itemKey);
}

/** The card's "Record all" button, if it has one. */
export function recordAllAction(card: unknown): ExecuteAction | undefined {
  return executeActions(card).find((a) => a.verb === 'recordAll');
}

/** Item keys a card asks about (its Record buttons). */
export function cardItemKeys(card: unknown): string[] {
  return recordActions(card).map((a) => String(a.data.itemKey));
}

/** The input id of a field for an item's slot, as the card names it. */
export function inputId(action: ExecuteAction, field: string): string {
  return typeof action.data.slot === 'string' && action.data.slot ? `${action.data.slot}_${field}` : field;
}

/**
 * What Teams sends when a button is pressed: the action's data with every input's value (by id).
 * `answers` are given per item slot as field → value (rag, note, figure_0, …).
 */
export function pressed(
  action: ExecuteAction,
  inputs: Record<string, unknown>,
): { action: ExecuteAction & { data: Record<string, unknown> }; trigger: 'manual' } {
  return { action: { ...action, data: { ...action.data, ...inputs } }, trigger: 'manual' };
}

/** Input values for one item's slot: { rag: 'green' } → { i0_rag: 'green' } for the action's slot. */
export function slotInputs(action: ExecuteAction, values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [inputId(action, k), v]));
}

/**
 * My actions (the personal tab): the items the signed-in person leads, most urgent first, with the
 * detail drawer to report on them. A co-ordinator who leads nothing sees what is overdue or due soon.
 * The same list as the Plan view (a table, or cards on a phone).
 */
import { useMemo, type ReactElement } from 'react';
import { addDays } from '../../domain/calendar';
import { sortItems } from '../../domain/filters';
import { dueState } from '../../domain/milestones';
import { roleKey } from '../../domain/leads';
import { ItemList, type ItemGroup } from '../components/ItemList';
import { usePlan } from '../context';
import { useShared } from '../styles';
import { Detail } from './PlanView';

export function MyActionsView(): ReactElement {
  const { items, me, today, plan, openKey, openItem, closeItem } = usePlan();
  const shared = useShared();
  const mine = useMemo(() => {
    const roles = new Set(me.roles.map(roleKey));
    return items.filter((i) => i.leads.some((l) => roles.has(roleKey(l))));
  }, [items, me.roles]);
  const soon = addDays(today, 30);
  const groups = useMemo<ItemGroup[]>(() => {
    const list =
      mine.length || !me.coordinator
        ? mine
        : items.filter((i) => {
            const due = dueState(i, today, me.windowDays);
            return i.status !== 'complete' && (due.overdue || (due.next ?? '9999') <= soon);
          });
    const sorted = sortItems(list, 'due', 'asc', today, me.windowDays);
    return sorted.length
      ? [{ id: 'mine', heading: mine.length ? 'Your items, most urgent first' : 'Overdue or due soon', items: sorted }]
      : [];
  }, [mine, items, me.coordinator, me.windowDays, today, soon]);

  return (
    <div data-testid="my-actions">
      <h2 className={shared.h2}>My actions</h2>
      {mine.length > 0 ? (
        <p>
          You lead {mine.length} {mine.length === 1 ? 'item' : 'items'} in {plan.plan.title} as {me.roles.join(', ')}. Most urgent first.
        </p>
      ) : me.coordinator ? (
        <p>You lead no item in this plan. As a co-ordinator, here is what is overdue or due in the next 30 days.</p>
      ) : (
        <p>
          You are not named as a lead in this plan&rsquo;s directory, so there is nothing for you to report. Ask the plan co-ordinator to
          add you in the Directory.
        </p>
      )}
      <ItemList
        groups={groups}
        selected={openKey}
        onOpen={openItem}
        today={today}
        {...(me.windowDays !== undefined ? { windowDays: me.windowDays } : {})}
      />
      <Detail openKey={openKey} onClose={closeItem} />
    </div>
  );
}

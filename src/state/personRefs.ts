/**
 * Which stored reference is a person's 1:1 chat with the bot: the one rule behind
 * `ConversationStore.findPerson` (the Azure adapter applies it to what its index finds; the SQLite
 * adapter says the same in SQL), and a snapshot of every reference that answers it in memory.
 *
 * A prompt run reaches thousands of people in a few seconds; looking each up in Azure Table storage
 * is a point read and an index query per person, beside the sends. The run reads every reference
 * once instead (`ConversationStore.all()`, a few pages) and asks the snapshot.
 */
import type { ConversationRef } from './conversationStore';

/** Whether `ref` is the 1:1 chat of the person known by `id` (any of their ids, case-insensitive). */
export function isPersonRef(ref: ConversationRef, id: string): boolean {
  const lower = id.toLowerCase();
  return (
    ref.kind === 'personal' &&
    (ref.key === `user:${lower}` ||
      ref.aadObjectId?.toLowerCase() === lower ||
      ref.userId?.toLowerCase() === lower ||
      ref.upn?.toLowerCase() === lower)
  );
}

/** Of a person's references: installed ones first, then the latest. */
export function bestPersonRef(refs: readonly ConversationRef[]): ConversationRef | undefined {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...refs].sort((a, b) => Number(!!a.removedAt) - Number(!!b.removedAt) || cmp(b.updatedAt, a.updatedAt))[0];
}

/** Every personal reference, found by any of a person's ids as `findPerson` finds them. */
export class PersonRefs {
  private readonly byId = new Map<string, ConversationRef[]>();

  constructor(refs: readonly ConversationRef[]) {
    for (const ref of refs) {
      if (ref.kind !== 'personal') continue;
      const ids = new Set([ref.key, ref.aadObjectId, ref.userId, ref.upn].filter((v): v is string => !!v).map((v) => v.toLowerCase()));
      for (const id of ids) this.byId.set(id, [...(this.byId.get(id) ?? []), ref]);
    }
  }

  find(id: string): ConversationRef | undefined {
    const lower = id.toLowerCase();
    const candidates = new Set([...(this.byId.get(lower) ?? []), ...(this.byId.get(`user:${lower}`) ?? [])]);
    return bestPersonRef([...candidates].filter((r) => isPersonRef(r, id)));
  }
}

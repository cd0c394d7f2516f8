/**
 * The embedded PlanStore: one SQLite file (better-sqlite3, synchronous, so every method is one
 * transaction and cannot interleave with another in this process). Writes take the write lock when
 * they begin (BEGIN IMMEDIATE), so a second process (the CLI beside the server) waits for it instead
 * of failing half-way. Versions are per-item counters; a status change and its history row are
 * written in the same transaction.
 *
 * A plan's items, read and parsed, are kept until the database changes: a change by this connection
 * (total_changes()) or by another process (PRAGMA data_version) reads them again. The tab's opening
 * request and the bot's scans then parse 2,000 items once per change, not once per request.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { MilestoneRevision, Plan, Rag, StatusUpdate } from '../../domain/model';
import { ConflictError, NotFoundError } from '../../errors';
import type {
  DirectoryEntry,
  EditAudit,
  ImportProgress,
  ImportSummary,
  ItemPatch,
  Person,
  PlanStore,
  StatusChange,
  StoredItem,
  StoredPlan,
} from '../planStore';
import {
  checkImportable,
  checkStatusChange,
  documentHash,
  documentOf,
  dropUndefined,
  lastUpdateOf,
  milestoneEdit,
  patchDocument,
  reportEntry,
  revisionsAfter,
  storedPlanOf,
  type ItemDocument,
} from '../itemDocument';
import { migrate } from './migrations';

interface ItemRow {
  plan_id: string;
  key: string;
  doc_json: string;
  doc_hash: string;
  status: Rag;
  version: number;
  last_update_json: string | null;
  revisions_json: string | null;
}

interface HistoryRow {
  key: string;
  at: string;
  by: string;
  from_rag: Rag;
  to_rag: Rag;
  note: string | null;
  figures_json: string | null;
  revised_date: string | null;
  details_json: string | null;
}

interface PlanRow {
  id: string;
  info_json: string;
  objectives_json: string;
  recommendations_json: string;
}

export class SqlitePlanStore implements PlanStore {
  private readonly db: Database.Database;
  /** Items read per plan, with the state of the database they were read at. */
  private readonly itemsRead = new Map<string, { at: string; items: readonly StoredItem[] }>();

  /** `file` is a path (its folder is created) or `:memory:`. */
  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
  }

  async listPlans(): Promise<StoredPlan[]> {
    const rows = this.db.prepare('SELECT * FROM plans ORDER BY created_seq DESC').all() as PlanRow[];
    return rows.map(planFromRow);
  }

  async getPlan(planId: string): Promise<StoredPlan | undefined> {
    const row = this.db.prepare('SELECT * FROM plans WHERE id = ?').get(planId) as PlanRow | undefined;
    return row && planFromRow(row);
  }

  async importPlan(plan: Plan, options?: { onProgress?: (p: ImportProgress) => void }): Promise<ImportSummary> {
    checkImportable(plan);
    const stored = storedPlanOf(plan);
    const summary: ImportSummary = { planId: stored.id, created: 0, updated: 0, unchanged: 0 };
    const existing = this.db.prepare('SELECT key, doc_hash, position FROM items WHERE plan_id = ?');
    const insert = this.db.prepare(
      'INSERT INTO items (plan_id, key, position, doc_json, doc_hash, status, revisions_json) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const update = this.db.prepare(
      'UPDATE items SET position = ?, doc_json = ?, doc_hash = ?, version = version + 1 WHERE plan_id = ? AND key = ?',
    );
    const move = this.db.prepare('UPDATE items SET position = ? WHERE plan_id = ? AND key = ?');
    this.db
      .transaction(() => {
        this.db
          .prepare(
            `INSERT INTO plans (id, info_json, objectives_json, recommendations_json, created_seq)
           VALUES (@id, @info, @objectives, @recommendations, (SELECT COALESCE(MAX(created_seq), 0) + 1 FROM plans))
           ON CONFLICT(id) DO UPDATE SET info_json = @info, objectives_json = @objectives, recommendations_json = @recommendations`,
          )
          .run({
            id: stored.id,
            info: JSON.stringify(stored.plan),
            objectives: JSON.stringify(stored.objectives),
            recommendations: JSON.stringify(stored.recommendations),
          });
        const known = new Map(
          (existing.all(stored.id) as Array<{ key: string; doc_hash: string; position: number }>).map((r) => [r.key, r]),
        );
        plan.items.forEach((item, position) => {
          const doc = documentOf(item);
          const hash = documentHash(doc);
          const before = known.get(item.key);
          if (!before) {
            const revisions = item.revisions?.length ? JSON.stringify(item.revisions) : null;
            insert.run(stored.id, item.key, position, JSON.stringify(doc), hash, item.status, revisions);
            summary.created++;
          } else if (before.doc_hash !== hash) {
            update.run(position, JSON.stringify(doc), hash, stored.id, item.key);
            summary.updated++;
          } else {
            if (before.position !== position) move.run(position, stored.id, item.key);
            summary.unchanged++;
          }
        });
      })
      .immediate();
    options?.onProgress?.({ done: plan.items.length, total: plan.items.length });
    return summary;
  }

  async listItems(planId: string): Promise<StoredItem[]> {
    const at = this.changeMark();
    const read = this.itemsRead.get(planId);
    if (read?.at === at) return [...read.items];
    const rows = this.db.prepare('SELECT * FROM items WHERE plan_id = ? ORDER BY position, key').all(planId) as ItemRow[];
    // Frozen: the same objects go to every caller until the next change, so none may alter them.
    const items = rows.map((row) => Object.freeze(itemFromRow(row)));
    this.itemsRead.set(planId, { at, items });
    return [...items];
  }

  /** Changes whenever anything is written to the database, by this connection or another. */
  private changeMark(): string {
    const { changes } = this.db.prepare('SELECT total_changes() AS changes').get() as { changes: number };
    return `${this.db.pragma('data_version', { simple: true }) as number}:${changes}`;
  }

  async getItem(planId: string, key: string): Promise<StoredItem | undefined> {
    const row = this.row(planId, key);
    return row && itemFromRow(row);
  }

  async updateStatus(planId: string, key: string, change: StatusChange, expectedVersion: string): Promise<StoredItem> {
    checkStatusChange(change);
    return this.db
      .transaction(() => {
        const row = this.checkedRow(planId, key, expectedVersion);
        const lastUpdate = lastUpdateOf(change);
        const revisions = revisionsAfter(revisionsOf(row), change);
        this.db
          .prepare(
            'UPDATE items SET status = ?, last_update_json = ?, revisions_json = ?, version = version + 1 WHERE plan_id = ? AND key = ?',
          )
          .run(change.to, JSON.stringify(lastUpdate), revisions ? JSON.stringify(revisions) : null, planId, key);
        this.appendHistory(planId, reportEntry(key, row.status, change));
        return itemFromRow(this.row(planId, key) as ItemRow);
      })
      .immediate();
  }

  async updateItem(planId: string, key: string, patch: ItemPatch, expectedVersion: string, audit?: EditAudit): Promise<StoredItem> {
    return this.db
      .transaction(() => {
        const row = this.checkedRow(planId, key, expectedVersion);
        const doc = patchDocument(JSON.parse(row.doc_json) as ItemDocument, patch);
        const edit = milestoneEdit(itemFromRow(row), patch, audit);
        this.db
          .prepare(
            `UPDATE items SET doc_json = ?, doc_hash = ?, version = version + 1${edit.dropRevisions ? ', revisions_json = NULL' : ''}
             WHERE plan_id = ? AND key = ?`,
          )
          .run(JSON.stringify(doc), documentHash(doc), planId, key);
        if (edit.entry) this.appendHistory(planId, edit.entry);
        return itemFromRow(this.row(planId, key) as ItemRow);
      })
      .immediate();
  }

  /** One history row: the columns people query, and the entry's further fields as JSON. */
  private appendHistory(planId: string, entry: StatusUpdate): void {
    const { itemKey, at, by, from, to, note, figures, revisedDate, ...details } = entry;
    this.db
      .prepare(
        `INSERT INTO history (plan_id, key, at, by, from_rag, to_rag, note, figures_json, revised_date, details_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        planId,
        itemKey,
        at,
        by,
        from,
        to,
        note ?? null,
        figures ? JSON.stringify(figures) : null,
        revisedDate ?? null,
        Object.keys(details).length > 0 ? JSON.stringify(details) : null,
      );
  }

  async history(planId: string, key?: string): Promise<StatusUpdate[]> {
    const rows = (
      key === undefined
        ? this.db.prepare('SELECT * FROM history WHERE plan_id = ? ORDER BY seq').all(planId)
        : this.db.prepare('SELECT * FROM history WHERE plan_id = ? AND key = ? ORDER BY seq').all(planId, key)
    ) as HistoryRow[];
    return rows.map((r) =>
      dropUndefined({
        itemKey: r.key,
        at: r.at,
        by: r.by,
        from: r.from_rag,
        to: r.to_rag,
        note: r.note ?? undefined,
        figures: r.figures_json ? (JSON.parse(r.figures_json) as Record<number, number>) : undefined,
        revisedDate: r.revised_date ?? undefined,
        ...(r.details_json ? (JSON.parse(r.details_json) as Partial<StatusUpdate>) : {}),
      }),
    );
  }

  async listDirectory(planId: string): Promise<DirectoryEntry[]> {
    const rows = this.db.prepare('SELECT role, people_json FROM directory WHERE plan_id = ? ORDER BY role').all(planId) as Array<{
      role: string;
      people_json: string;
    }>;
    return rows.map((r) => ({ role: r.role, people: JSON.parse(r.people_json) as Person[] }));
  }

  async setPeople(planId: string, role: string, people: Person[]): Promise<void> {
    if (!this.db.prepare('SELECT 1 FROM plans WHERE id = ?').get(planId)) throw new NotFoundError(`No plan ${planId}`);
    this.db
      .prepare(
        'INSERT INTO directory (plan_id, role, people_json) VALUES (?, ?, ?) ON CONFLICT(plan_id, role) DO UPDATE SET people_json = excluded.people_json',
      )
      .run(planId, role, JSON.stringify(people));
  }

  async removeRole(planId: string, role: string): Promise<void> {
    this.db.prepare('DELETE FROM directory WHERE plan_id = ? AND role = ?').run(planId, role);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private row(planId: string, key: string): ItemRow | undefined {
    return this.db.prepare('SELECT * FROM items WHERE plan_id = ? AND key = ?').get(planId, key) as ItemRow | undefined;
  }

  /** The item's row if `expectedVersion` is current; NotFoundError or ConflictError (with the current item) otherwise. */
  private checkedRow(planId: string, key: string, expectedVersion: string): ItemRow {
    const row = this.row(planId, key);
    if (!row) throw new NotFoundError(`No item ${key} in plan ${planId}`);
    if (String(row.version) !== expectedVersion) {
      throw new ConflictError(`Item ${key} was changed by someone else`, itemFromRow(row));
    }
    return row;
  }
}

function planFromRow(row: PlanRow): StoredPlan {
  return {
    id: row.id,
    plan: JSON.parse(row.info_json) as StoredPlan['plan'],
    objectives: JSON.parse(row.objectives_json) as StoredPlan['objectives'],
    recommendations: JSON.parse(row.recommendations_json) as StoredPlan['recommendations'],
  };
}

function itemFromRow(row: ItemRow): StoredItem {
  const doc = JSON.parse(row.doc_json) as ItemDocument;
  const item: StoredItem = { ...doc, key: row.key, status: row.status, planId: row.plan_id, version: String(row.version) };
  if (row.last_update_json) item.lastUpdate = JSON.parse(row.last_update_json) as StoredItem['lastUpdate'];
  const revisions = revisionsOf(row);
  if (revisions) item.revisions = revisions;
  return item;
}

function revisionsOf(row: Pick<ItemRow, 'revisions_json'>): MilestoneRevision[] | undefined {
  const revisions = row.revisions_json ? (JSON.parse(row.revisions_json) as MilestoneRevision[]) : undefined;
  return revisions && revisions.length > 0 ? revisions : undefined;
}

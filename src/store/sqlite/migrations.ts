/**
 * Schema migrations for the embedded store, applied in order inside one transaction each.
 * The applied level is SQLite's `user_version`; a migration is never edited once released, only appended.
 */
import type Database from 'better-sqlite3';

export const MIGRATIONS: readonly string[] = [
  // 1: plans, items, append-only history, lead directory.
  `
  CREATE TABLE plans (
    id TEXT PRIMARY KEY,
    info_json TEXT NOT NULL,
    objectives_json TEXT NOT NULL,
    recommendations_json TEXT NOT NULL,
    created_seq INTEGER NOT NULL
  );
  CREATE TABLE items (
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    position INTEGER NOT NULL,
    doc_json TEXT NOT NULL,
    doc_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    last_update_json TEXT,
    PRIMARY KEY (plan_id, key)
  );
  CREATE INDEX items_by_position ON items(plan_id, position);
  CREATE TABLE history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id TEXT NOT NULL,
    key TEXT NOT NULL,
    at TEXT NOT NULL,
    by TEXT NOT NULL,
    from_rag TEXT NOT NULL,
    to_rag TEXT NOT NULL,
    note TEXT,
    figures_json TEXT,
    revised_date TEXT,
    FOREIGN KEY (plan_id, key) REFERENCES items(plan_id, key) ON DELETE CASCADE
  );
  CREATE INDEX history_by_item ON history(plan_id, key, seq);
  CREATE TABLE directory (
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    people_json TEXT NOT NULL,
    PRIMARY KEY (plan_id, role)
  );
  `,
  // 2: milestones moved by revised dates (state of the item, kept across re-imports), and the history
  // entry's further fields (the date a revision moved from, how the report came, plan edits of dates).
  `
  ALTER TABLE items ADD COLUMN revisions_json TEXT;
  ALTER TABLE history ADD COLUMN details_json TEXT;
  `,
];

/** Brings `db` up to the latest schema; returns the level it was at. Refuses a database newer than this code. */
export function migrate(db: Database.Database): number {
  const level = db.pragma('user_version', { simple: true }) as number;
  if (level > MIGRATIONS.length) {
    throw new Error(`The database is at schema ${level}, newer than this version of dplan knows (${MIGRATIONS.length})`);
  }
  for (let i = level; i < MIGRATIONS.length; i++) {
    const sql = MIGRATIONS[i] as string;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
  return level;
}

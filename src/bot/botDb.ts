/**
 * The bot's own SQLite file: the send ledger (with the items each daily card asks), conversation
 * references, the team each channel belongs to and the people cache. Separate from the plan
 * store so that it works the same whichever PlanStore adapter runs (SQLite or SharePoint), and so
 * that several app instances on one host share one ledger (WAL, busy timeout).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Config } from '../config';

export type BotDatabase = Database.Database;

const MIGRATIONS: string[] = [
  `CREATE TABLE prompt_ledger (
     id TEXT PRIMARY KEY,
     plan_id TEXT NOT NULL,
     item_key TEXT NOT NULL,
     milestone TEXT NOT NULL,
     reason TEXT NOT NULL,
     person_id TEXT NOT NULL,
     person_name TEXT NOT NULL,
     date_key TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('claimed', 'sent', 'failed', 'uncertain', 'unreachable', 'planned')),
     claimed_at TEXT NOT NULL,
     claimed_by TEXT NOT NULL,
     sent_at TEXT,
     conversation_id TEXT,
     service_url TEXT,
     activity_id TEXT,
     item_version TEXT,
     answered_at TEXT,
     answered_by TEXT,
     detail TEXT,
     UNIQUE (plan_id, item_key, milestone, reason, person_id, date_key)
   )`,
  `CREATE INDEX prompt_ledger_item ON prompt_ledger (plan_id, item_key, state)`,
  `CREATE INDEX prompt_ledger_date ON prompt_ledger (plan_id, date_key)`,
  `CREATE TABLE conversation_refs (
     key TEXT PRIMARY KEY,
     kind TEXT NOT NULL CHECK (kind IN ('personal', 'channel')),
     user_id TEXT,
     aad_object_id TEXT,
     name TEXT,
     conversation_id TEXT NOT NULL,
     service_url TEXT NOT NULL,
     tenant_id TEXT,
     bot_id TEXT,
     bot_name TEXT,
     team_id TEXT,
     installed_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     removed_at TEXT
   )`,
  `CREATE INDEX conversation_refs_aad ON conversation_refs (aad_object_id)`,
  `CREATE INDEX conversation_refs_user ON conversation_refs (user_id)`,
  // User principal name, looked up from the conversation's members on install (co-ordinators and
  // the directory may name people by UPN).
  `ALTER TABLE conversation_refs ADD COLUMN upn TEXT`,
  // One card a day per person: the ledger row is the card; these are the items it asks, each
  // answered (and its receipt shown) on its own.
  `CREATE TABLE card_items (
     card_id TEXT NOT NULL REFERENCES prompt_ledger(id) ON DELETE CASCADE,
     plan_id TEXT NOT NULL,
     item_key TEXT NOT NULL,
     slot TEXT NOT NULL,
     on_card INTEGER NOT NULL,
     reason TEXT NOT NULL,
     milestone TEXT,
     days_until INTEGER,
     period_label TEXT,
     period_end TEXT,
     roles TEXT NOT NULL,
     deputy TEXT,
     answered_at TEXT,
     answered_by TEXT,
     PRIMARY KEY (card_id, item_key)
   )`,
  `CREATE INDEX card_items_item ON card_items (plan_id, item_key, answered_at)`,
  // Which team a channel belongs to (from the tab's set-up in that channel, or the bot's events
  // there), so the bot can start a thread in a channel other than General.
  `CREATE TABLE channel_links (
     channel_id TEXT PRIMARY KEY,
     team_id TEXT NOT NULL,
     tenant_id TEXT,
     updated_at TEXT NOT NULL
   )`,
  // People looked up once in Teams (UPN, e-mail) so that answers do not call Teams (peopleCache.ts).
  `CREATE TABLE people_cache (
     user_id TEXT PRIMARY KEY,
     member TEXT NOT NULL,
     fetched_at TEXT NOT NULL,
     expires_at TEXT NOT NULL
   )`,
];

export function botDbPath(config: Pick<Config, 'BOT_DB_PATH' | 'SQLITE_PATH'>): string {
  if (config.BOT_DB_PATH) return config.BOT_DB_PATH;
  // An in-memory plan store (tests) gets an in-memory ledger, not a file in the working directory.
  if (config.SQLITE_PATH === ':memory:') return ':memory:';
  return path.join(path.dirname(config.SQLITE_PATH), 'bot.sqlite');
}

export function openBotDb(file: string): BotDatabase {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  // Deleting a card's ledger row by hand (to resend it) takes its items with it.
  db.pragma('foreign_keys = ON');
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    for (let i = version; i < MIGRATIONS.length; i++) db.exec(MIGRATIONS[i] as string);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
  return db;
}

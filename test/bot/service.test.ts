/** The prompt run against the ledger (one card a day per person): crash recovery, late installs, Teams errors, throttling. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { FixedClock } from '../../src/domain/clock';
import { createLogger } from '../../src/logger';
import { SqlitePlanStore } from '../../src/store/sqlite/sqlitePlanStore';
import { createBotRuntime, type BotRuntime } from '../../src/bot/runtime';
import { CARD_ITEM, REASON_CARD } from '../../src/bot/ledger';
import { makePlan } from '../store/fixtures';
import { startTeamsStandIn, type StandIn } from './support/teamsStandIn';

let dir: string;
let teams: StandIn;
let store: SqlitePlanStore;
let planId: string;
const clock = new FixedClock('2019-02-28T08:00:00Z');
const logger = createLogger('silent');

function runtime(): BotRuntime {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOCAL_MODE: 'true',
    BOT_DB_PATH: path.join(dir, 'bot.sqlite'),
    COORDINATOR_IDS: 'aad-coord',
  });
  return createBotRuntime({ config, store, logger, clock });
}

async function install(rt: BotRuntime, id: string): Promise<void> {
  await rt.bot.remember({
    type: 'installationUpdate',
    serviceUrl: teams.url,
    from: { id: `29:${id}`, aadObjectId: id, name: id },
    recipient: { id: '28:bot' },
    conversation: { id: `conv-${id}`, conversationType: 'personal' },
  });
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-bot-service-'));
  teams = await startTeamsStandIn();
  store = new SqlitePlanStore(':memory:');
  // Items 1 and 13 of the fixture plan have a milestone on 2019-02-28 (due today) and lead "Community Safety Manager".
  planId = (await store.importPlan(makePlan(24))).planId;
  await store.setPeople(planId, 'Community Safety Manager', [{ id: 'aad-csm', name: 'Cath Safety' }]);
});

afterEach(async () => {
  await store.close();
  await teams.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('prompt runs and the ledger', () => {
  it('a claim left by a crashed run is never re-sent, and is reported as uncertain', async () => {
    const first = runtime();
    await install(first, 'aad-csm');
    const due = await first.bot.runPrompts('2019-02-28', { dryRun: true });
    const crashed = due.cards.find((c) => c.recipient === 'aad-csm' && c.outcome === 'would-send')!;
    expect(crashed.itemKeys.length).toBeGreaterThan(1);
    // Simulate the crash: the card claimed (with its items), never sent, never marked.
    await first.ledger.claim(
      {
        id: crashed.promptId,
        planId,
        itemKey: CARD_ITEM,
        milestone: '',
        reason: REASON_CARD,
        personId: 'aad-csm',
        personName: 'Cath Safety',
        dateKey: '2019-02-28',
      },
      clock.now().toISOString(),
      crashed.itemKeys.map((k, i) => ({
        itemKey: k,
        slot: `i${i}`,
        onCard: true,
        reason: 'milestone',
        roles: ['Community Safety Manager'],
      })),
    );
    await first.close();

    clock.advance(20 * 60_000); // restarted 20 minutes later
    const second = runtime();
    const report = await second.bot.runPrompts('2019-02-28');
    expect(report.recovered).toBe(1);
    expect(report.cards.find((c) => c.promptId === crashed.promptId)!.outcome).toBe('already-sent');
    expect(report.lines.filter((l) => l.promptId === crashed.promptId).every((l) => l.outcome === 'already-sent')).toBe(true);
    // At most once: the card that may have arrived is not sent again.
    expect(teams.sends('conv-aad-csm')).toHaveLength(0);
    expect((await second.ledger.get(crashed.promptId))!.state).toBe('uncertain');
    const [digest] = await second.bot.runDigest(new Date('2019-03-04T09:00:00Z'), { dryRun: true });
    expect(digest!.content.unreachable.some((u) => u.who === 'Cath Safety' && /may not have arrived/.test(u.why))).toBe(true);
    await second.close();
  });

  it('a lead unreachable in the morning gets the prompt once they install the app the same day', async () => {
    const rt = runtime();
    const morning = await rt.bot.runPrompts('2019-02-28');
    expect(morning.cards.filter((c) => c.recipient === 'aad-csm').map((c) => c.outcome)).toEqual(['unreachable']);
    await install(rt, 'aad-csm');
    const later = await rt.bot.runPrompts('2019-02-28');
    expect(later.cards.filter((c) => c.recipient === 'aad-csm').map((c) => c.outcome)).toEqual(['sent']);
    expect(teams.sends('conv-aad-csm')).toHaveLength(1);
    expect(later.lines.filter((l) => l.person?.id === 'aad-csm' && l.outcome === 'sent').length).toBe(
      morning.lines.filter((l) => l.person?.id === 'aad-csm').length,
    );
    expect((await rt.bot.runPrompts('2019-02-28')).totals.sent ?? 0).toBe(0);
    await rt.close();
  });

  it('a 403 from Teams marks the lead unreachable (re-tried next run); throttling only delays', async () => {
    const rt = runtime();
    await install(rt, 'aad-csm');
    teams.blocked.add('conv-aad-csm');
    const blocked = await rt.bot.runPrompts('2019-02-28');
    const csm = blocked.lines.filter((l) => l.person?.id === 'aad-csm');
    expect(csm.length).toBeGreaterThan(0);
    expect(csm.every((l) => l.outcome === 'unreachable' && /403/.test(l.detail ?? ''))).toBe(true);
    teams.blocked.delete('conv-aad-csm');
    teams.throttleNext(1, '0');
    const retried = await rt.bot.runPrompts('2019-02-28');
    expect(retried.lines.filter((l) => l.person?.id === 'aad-csm').every((l) => l.outcome === 'sent')).toBe(true);
    expect(rt.sender.stats.throttled).toBe(1);
    await rt.close();
  });
});

describe('roles with nobody in the directory', () => {
  it('are recorded and reported to the co-ordinator on every day they are due, once a day', async () => {
    const rt = runtime();
    await install(rt, 'aad-coord');
    // Overdue weekly prompts fall on Mondays: 4 and 11 March 2019 for items past their milestones.
    const first = await rt.bot.runPrompts('2019-03-04');
    const roles = first.lines.filter((l) => l.outcome === 'no-person');
    expect(roles.length).toBeGreaterThan(0);
    expect(teams.sends('conv-aad-coord')).toHaveLength(1);
    await rt.bot.runPrompts('2019-03-04');
    expect(teams.sends('conv-aad-coord')).toHaveLength(1);
    const week2 = await rt.bot.runPrompts('2019-03-11');
    expect(week2.lines.filter((l) => l.outcome === 'no-person').length).toBeGreaterThan(0);
    expect(teams.sends('conv-aad-coord')).toHaveLength(2);
    // One record per role per day: a new one the next week.
    expect(new Set(week2.cards.map((c) => c.promptId)).size).toBe(week2.cards.length);
    expect(week2.lines.some((l) => roles.some((r) => r.promptId === l.promptId))).toBe(false);
    await rt.close();
  });
});

describe('per-plan offsets', () => {
  it('PROMPT_OFFSETS_BY_PLAN overrides the default for that plan only, and bad JSON fails start-up', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOCAL_MODE: 'true',
      BOT_DB_PATH: ':memory:',
      PROMPT_OFFSETS_BY_PLAN: JSON.stringify({ [planId]: [3] }),
    });
    const rt = createBotRuntime({ config, store, logger, clock });
    expect((await rt.settings.settingsFor(planId)).reminderOffsets).toEqual([3]);
    expect((await rt.settings.settingsFor('other-plan')).reminderOffsets).toEqual([28, 14, 7, 0]);
    // 2019-02-25 is 3 days before the fixture's 2019-02-28 milestones.
    const report = await rt.bot.runPrompts('2019-02-25', { dryRun: true });
    expect(report.lines.length).toBeGreaterThan(0);
    expect(report.lines.every((l) => (l.reason === 'milestone' && l.daysUntil === 3) || l.reason === 'overdue')).toBe(true);
    expect(report.lines.some((l) => l.reason === 'milestone' && l.daysUntil === 3)).toBe(true);
    await rt.close();
    expect(() => loadConfig({ PROMPT_OFFSETS_BY_PLAN: '{plan: 3' })).toThrow(/PROMPT_OFFSETS_BY_PLAN/);
    expect(() => loadConfig({ PROMPT_OFFSETS: '28,soon' })).toThrow(/PROMPT_OFFSETS/);
  });
});

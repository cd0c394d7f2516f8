/** The co-ordinator's settings from the tab drive the bot: reminder offsets, digest day, hour and channel. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { FixedClock } from '../../src/domain/clock';
import { createLogger } from '../../src/logger';
import { SqlitePlanStore } from '../../src/store/sqlite/sqlitePlanStore';
import { SqliteSettingsStore } from '../../src/store/settingsStore';
import { createBotRuntime, type BotRuntime } from '../../src/bot/runtime';
import { makePlan } from '../store/fixtures';
import { startTeamsStandIn, type StandIn } from './support/teamsStandIn';

let dir: string;
let teams: StandIn;
let store: SqlitePlanStore;
let planId: string;
const clock = new FixedClock('2019-02-21T09:00:00Z');
const logger = createLogger('silent');

function config() {
  return loadConfig({
    NODE_ENV: 'test',
    LOCAL_MODE: 'true',
    BOT_DB_PATH: path.join(dir, 'bot.sqlite'),
    SETTINGS_DB_PATH: path.join(dir, 'settings.sqlite'),
  });
}

function runtime(): BotRuntime {
  return createBotRuntime({ config: config(), store, logger, clock });
}

async function save(settings: { reminderOffsets: number[]; digestDay: 'mon' | 'thu'; digestHour: number; digestChannel: string }) {
  const s = new SqliteSettingsStore(path.join(dir, 'settings.sqlite'));
  await s.put(planId, settings, 'cora@council.example', clock.now().toISOString());
  await s.close();
}

async function installChannel(rt: BotRuntime, teamId: string): Promise<void> {
  await rt.bot.remember({
    type: 'conversationUpdate',
    serviceUrl: teams.url,
    from: { id: '29:cora' },
    recipient: { id: '28:bot' },
    conversation: { id: `${teamId};messageid=1`, conversationType: 'channel' },
    channelData: { team: { id: teamId } },
  });
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-bot-settings-'));
  teams = await startTeamsStandIn();
  store = new SqlitePlanStore(':memory:');
  // Items 1 and 13 of the fixture plan are due on 2019-02-28, lead "Community Safety Manager".
  planId = (await store.importPlan(makePlan(24))).planId;
  await store.setPeople(planId, 'Community Safety Manager', [{ id: 'aad-csm', name: 'Cath Safety' }]);
});

afterEach(async () => {
  await store.close();
  await teams.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('settings saved in the tab', () => {
  it('change the reminder offsets the prompt run uses', async () => {
    const before = runtime();
    const withDefaults = await before.bot.runPrompts('2019-02-21', { dryRun: true });
    const reminded = (days: number) => (l: { reason: string; daysUntil?: number }) => l.reason === 'milestone' && l.daysUntil === days;
    expect(withDefaults.lines.filter(reminded(7)).length).toBeGreaterThan(0);
    await before.close();

    await save({ reminderOffsets: [14, 0], digestDay: 'mon', digestHour: 9, digestChannel: '' });
    const after = runtime();
    expect((await after.settings.settingsFor(planId)).reminderOffsets).toEqual([14, 0]);
    const withSaved = await after.bot.runPrompts('2019-02-21', { dryRun: true });
    expect(withSaved.lines.filter(reminded(7))).toEqual([]);
    expect((await after.bot.runPrompts('2019-02-14', { dryRun: true })).lines.some(reminded(14))).toBe(true);
    await after.close();
  });

  it("move the digest to the plan's own day and hour (London time)", async () => {
    await save({ reminderOffsets: [28, 14, 7, 0], digestDay: 'thu', digestHour: 15, digestChannel: '' });
    const rt = runtime();
    const due = (iso: string) => rt.bot.runDigest(new Date(iso), { dryRun: true, onlyDue: true }).then((r) => r.map((d) => d.planId));
    expect(await due('2019-02-25T09:30:00Z')).toEqual([]); // Monday 09:30: the default day, not this plan's
    expect(await due('2019-02-28T14:30:00Z')).toEqual([]); // Thursday 14:30
    expect(await due('2019-02-28T15:30:00Z')).toEqual([planId]); // Thursday 15:30
    expect(await due('2019-05-02T13:59:00Z')).toEqual([]); // Thursday 14:59 BST
    expect(await due('2019-05-02T14:00:00Z')).toEqual([planId]); // Thursday 15:00 BST
    expect(await rt.bot.runDigest(new Date('2019-02-25T09:30:00Z'), { dryRun: true })).toHaveLength(1); // asked for directly, it runs
    await rt.close();
  });

  it('send the digest to the chosen channel, and say so when the app is not in it', async () => {
    const rt = runtime();
    await installChannel(rt, '19:general-team-a');
    await rt.close();
    await save({ reminderOffsets: [28, 14, 7, 0], digestDay: 'thu', digestHour: 9, digestChannel: '19:plan-channel' });
    const named = runtime();
    const [missing] = await named.bot.runDigest(new Date('2019-02-28T10:00:00Z'), { onlyDue: true });
    expect(missing).toMatchObject({
      outcome: 'no-channel',
      detail: expect.stringMatching(
        /^the bot does not know which team channel 19:plan-channel belongs to: set the Plan tab up in that channel/,
      ),
    });
    await installChannel(named, '19:plan-channel');
    const [sent] = await named.bot.runDigest(new Date('2019-02-28T11:00:00Z'), { onlyDue: true });
    expect(sent).toMatchObject({ outcome: 'sent', sentTo: '19:plan-channel' });
    expect(teams.sends('19:plan-channel')).toHaveLength(1);
    expect(teams.sends('19:general-team-a')).toHaveLength(0);
    // The next hourly tick the same day posts nothing more.
    const [again] = await named.bot.runDigest(new Date('2019-02-28T12:00:00Z'), { onlyDue: true });
    expect(again!.outcome).toBe('already-sent');
    expect(teams.sends('19:plan-channel')).toHaveLength(1);
    await named.close();
  });
});

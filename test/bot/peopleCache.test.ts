/**
 * The people cache: a Teams profile looked up once and kept until it expires, so answers do not call
 * Teams. The port's contract (any adapter: SQLite, in memory) and the look-up order.
 */
import { openBotDb } from '../../src/bot/botDb';
import { SqliteConversationStore } from '../../src/bot/conversations';
import { MemoryPeopleCache, PeopleLookup, SqlitePeopleCache, type PeopleCache, type TeamsMember } from '../../src/bot/peopleCache';
import { createLogger } from '../../src/logger';

const target = { serviceUrl: 'http://teams.invalid', conversationId: 'a:1' };
const HOUR = 3_600_000;

export function peopleCacheContract(name: string, make: () => PeopleCache): void {
  describe(`${name}: the people cache port`, () => {
    it('gives back what was put, by Teams user id in any case, until it expires', async () => {
      const cache = make();
      const at = new Date('2026-01-01T00:00:00Z');
      await cache.put('29:Ann', { userPrincipalName: 'ann@council.example', name: 'Ann' }, at, new Date(at.getTime() + HOUR));
      expect(await cache.get('29:ann', new Date(at.getTime() + HOUR - 1))).toEqual({
        userPrincipalName: 'ann@council.example',
        name: 'Ann',
      });
      expect(await cache.get('29:ann', new Date(at.getTime() + HOUR))).toBeUndefined();
      expect(await cache.get('29:bob', at)).toBeUndefined();
    });

    it('replaces an entry when put again', async () => {
      const cache = make();
      const at = new Date('2026-01-01T00:00:00Z');
      await cache.put('29:ann', { name: 'Old' }, at, new Date(at.getTime() + HOUR));
      await cache.put('29:ann', { name: 'New' }, at, new Date(at.getTime() + 2 * HOUR));
      expect(await cache.get('29:ann', new Date(at.getTime() + HOUR))).toEqual({ name: 'New' });
    });
  });
}

peopleCacheContract('SQLite', () => new SqlitePeopleCache(openBotDb(':memory:')));
peopleCacheContract('in memory (STATE_STORE=azure)', () => new MemoryPeopleCache());

describe('looking a person up', () => {
  function setUp(answer: (userId: string) => TeamsMember | null | undefined) {
    const db = openBotDb(':memory:');
    const conversations = new SqliteConversationStore(db);
    let now = new Date('2026-01-01T00:00:00Z');
    const asked: string[] = [];
    const people = new PeopleLookup({
      cache: new SqlitePeopleCache(db),
      sender: { member: (_t, userId) => (asked.push(userId), Promise.resolve(answer(userId))) },
      conversations,
      ttlMs: 24 * HOUR,
      now: () => now,
      logger: createLogger('silent'),
    });
    return { people, asked, conversations, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
  }

  it('asks Teams once, then answers from the cache until the profile expires', async () => {
    const t = setUp(() => ({ userPrincipalName: 'ann@council.example' }));
    expect(await t.people.member(target, '29:ann')).toEqual({ userPrincipalName: 'ann@council.example' });
    expect(await t.people.member(target, '29:ann')).toEqual({ userPrincipalName: 'ann@council.example' });
    t.advance(23 * HOUR);
    await t.people.member(target, '29:ann');
    expect(t.asked).toEqual(['29:ann']);
    t.advance(2 * HOUR);
    await t.people.member(target, '29:ann');
    expect(t.asked).toEqual(['29:ann', '29:ann']);
  });

  it('keeps "Teams does not know them" too, but not a look-up that failed', async () => {
    const t = setUp((id) => (id === '29:gone' ? null : undefined));
    expect(await t.people.member(target, '29:gone')).toEqual({});
    await t.people.member(target, '29:gone');
    await t.people.member(target, '29:flaky');
    await t.people.member(target, '29:flaky');
    expect(t.asked).toEqual(['29:gone', '29:flaky', '29:flaky']);
  });

  it('uses the UPN a conversation reference already holds without asking Teams', async () => {
    const t = setUp(() => {
      throw new Error('Teams must not be asked');
    });
    await t.conversations.save(
      { key: 'user:aad-ann', kind: 'personal', userId: '29:ann', aadObjectId: 'aad-ann', conversationId: 'a:1', serviceUrl: 'x' },
      '2026-01-01T00:00:00Z',
    );
    await t.conversations.setUpn('user:aad-ann', 'ann@council.example');
    expect(await t.people.member(target, '29:ann')).toMatchObject({ userPrincipalName: 'ann@council.example', aadObjectId: 'aad-ann' });
    expect(t.asked).toEqual([]);
  });
});

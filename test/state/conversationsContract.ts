/** The conversation references port: one suite for every adapter (embedded SQLite, Azure Table storage). */
import type { ConversationStore } from '../../src/state/conversationStore';
import { PersonRefs } from '../../src/state/personRefs';

const ann = {
  key: 'user:aad-ann',
  kind: 'personal' as const,
  userId: '29:ann',
  aadObjectId: 'AAD-Ann',
  name: 'Ann Lead',
  conversationId: 'a:conv-ann',
  serviceUrl: 'https://smba.example/uk/',
  tenantId: 'tenant',
  botId: '28:bot',
};

export function runConversationsContract(name: string, make: () => Promise<{ store: ConversationStore; close(): Promise<void> }>): void {
  describe(`conversation references contract: ${name}`, () => {
    let store: ConversationStore;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ store, close } = await make());
    });
    afterEach(async () => {
      await close();
    });

    it('keeps a reference and finds the person by any of their ids, in any case', async () => {
      await store.save(ann, '2018-09-01T09:00:00.000Z');
      expect(await store.get('user:aad-ann')).toEqual({
        ...ann,
        installedAt: '2018-09-01T09:00:00.000Z',
        updatedAt: '2018-09-01T09:00:00.000Z',
      });
      for (const id of ['aad-ann', 'AAD-ANN', '29:ANN']) expect((await store.findPerson(id))?.key).toBe('user:aad-ann');
      expect(await store.findPerson('ann@council.example')).toBeUndefined();
      await store.setUpn('user:aad-ann', 'Ann@Council.example');
      expect((await store.findPerson('ann@council.example'))?.upn).toBe('Ann@Council.example');
      expect((await store.findPersonByConversation('a:conv-ann'))?.key).toBe('user:aad-ann');
      expect(await store.findPersonByConversation('a:other')).toBeUndefined();
      expect(await store.get('user:nobody')).toBeUndefined();
    });

    it('refreshes a reference without forgetting ids the new activity does not carry', async () => {
      await store.save(ann, '2018-09-01T09:00:00.000Z');
      await store.setUpn('user:aad-ann', 'ann@council.example');
      await store.save(
        { key: 'user:aad-ann', kind: 'personal', userId: '29:ann', conversationId: 'a:conv-new', serviceUrl: 'https://smba.example/emea/' },
        '2018-09-02T09:00:00.000Z',
      );
      const ref = (await store.get('user:aad-ann'))!;
      expect(ref).toMatchObject({
        aadObjectId: 'AAD-Ann',
        name: 'Ann Lead',
        upn: 'ann@council.example',
        conversationId: 'a:conv-new',
        serviceUrl: 'https://smba.example/emea/',
        installedAt: '2018-09-01T09:00:00.000Z',
        updatedAt: '2018-09-02T09:00:00.000Z',
      });
      // The old conversation id no longer finds it.
      expect(await store.findPersonByConversation('a:conv-ann')).toBeUndefined();
      expect((await store.findPersonByConversation('a:conv-new'))?.key).toBe('user:aad-ann');
    });

    it('marks a reference removed, and installed again when the app comes back', async () => {
      expect(await store.markRemoved('user:aad-ann', '2018-09-03T09:00:00.000Z')).toBe(false);
      await store.save(ann, '2018-09-01T09:00:00.000Z');
      expect(await store.markRemoved('user:aad-ann', '2018-09-03T09:00:00.000Z')).toBe(true);
      expect((await store.findPerson('aad-ann'))?.removedAt).toBe('2018-09-03T09:00:00.000Z');
      await store.save(ann, '2018-09-04T09:00:00.000Z');
      const back = (await store.get('user:aad-ann'))!;
      expect(back.removedAt).toBeUndefined();
      expect(back.installedAt).toBe('2018-09-04T09:00:00.000Z');
    });

    it('prefers an installed reference over a removed one for the same person', async () => {
      await store.save({ ...ann, key: 'user:29:ann', aadObjectId: undefined as never }, '2018-09-05T09:00:00.000Z');
      await store.markRemoved('user:29:ann', '2018-09-06T09:00:00.000Z');
      await store.save(ann, '2018-09-01T09:00:00.000Z');
      expect((await store.findPerson('29:ann'))?.key).toBe('user:aad-ann');
    });

    it('a snapshot of every reference (what a prompt run reads once) finds each person as findPerson does', async () => {
      await store.save({ ...ann, key: 'user:29:ann', aadObjectId: undefined as never }, '2018-09-05T09:00:00.000Z');
      await store.markRemoved('user:29:ann', '2018-09-06T09:00:00.000Z');
      await store.save(ann, '2018-09-01T09:00:00.000Z');
      await store.setUpn('user:aad-ann', 'Ann@Council.example');
      const bob = { ...ann, key: 'user:aad-bob', userId: '29:bob', aadObjectId: 'aad-bob', conversationId: 'a:conv-bob', name: 'Bob' };
      await store.save(bob, '2018-09-02T09:00:00.000Z');
      await store.markRemoved('user:aad-bob', '2018-09-03T09:00:00.000Z');
      const channel = { ...ann, key: 'channel:19:x', kind: 'channel' as const, userId: undefined as never, aadObjectId: 'aad-cat' };
      await store.save(channel, '2018-09-02T09:00:00.000Z');
      const known = new PersonRefs(await store.all());
      const ids = ['aad-ann', 'AAD-ANN', '29:ann', '29:ANN', 'ann@council.example', 'aad-bob', '29:bob', 'aad-cat', '19:x', 'nobody'];
      const byStore = await Promise.all(ids.map((id) => store.findPerson(id)));
      expect(ids.map((id) => known.find(id))).toEqual(byStore);
      // Not vacuous: the removed chat loses to the installed one, the removed-only person is still found, a channel is no one's chat.
      expect(byStore.map((r) => r?.key)).toEqual([
        'user:aad-ann',
        'user:aad-ann',
        'user:aad-ann',
        'user:aad-ann',
        'user:aad-ann',
        'user:aad-bob',
        'user:aad-bob',
        undefined,
        undefined,
        undefined,
      ]);
    });

    it('lists installed channels, latest first, and every reference by key', async () => {
      const channel = (id: string) => ({
        key: `channel:${id}`,
        kind: 'channel' as const,
        conversationId: id,
        serviceUrl: 'https://smba.example/uk/',
        teamId: 'team',
      });
      await store.save(channel('19:a@thread.tacv2'), '2018-09-01T09:00:00.000Z');
      await store.save(channel('19:b@thread.tacv2'), '2018-09-02T09:00:00.000Z');
      await store.save(channel('19:c@thread.tacv2'), '2018-09-03T09:00:00.000Z');
      await store.markRemoved('channel:19:c@thread.tacv2', '2018-09-04T09:00:00.000Z');
      await store.save(ann, '2018-09-01T09:00:00.000Z');
      expect((await store.channels()).map((c) => c.conversationId)).toEqual(['19:b@thread.tacv2', '19:a@thread.tacv2']);
      expect((await store.all()).map((r) => r.key)).toEqual([
        'channel:19:a@thread.tacv2',
        'channel:19:b@thread.tacv2',
        'channel:19:c@thread.tacv2',
        'user:aad-ann',
      ]);
    });

    it('gives the service of the latest reference that named a tenant', async () => {
      expect(await store.latestService()).toBeUndefined();
      await store.save(ann, '2018-09-01T09:00:00.000Z');
      await store.save(
        {
          key: 'user:29:bob',
          kind: 'personal',
          userId: '29:bob',
          conversationId: 'a:conv-bob',
          serviceUrl: 'https://smba.example/emea/',
          tenantId: 'tenant',
          botId: '28:bot',
          botName: 'Plan bot',
        },
        '2018-09-03T09:00:00.000Z',
      );
      // A later reference without a tenant, and an older write landing last, change nothing.
      await store.save(
        { key: 'channel:19:x', kind: 'channel', conversationId: '19:x', serviceUrl: 'https://smba.example/us/' },
        '2018-09-04T09:00:00.000Z',
      );
      await store.save({ ...ann, serviceUrl: 'https://smba.example/old/' }, '2018-09-02T09:00:00.000Z');
      expect(await store.latestService()).toEqual({
        serviceUrl: 'https://smba.example/emea/',
        tenantId: 'tenant',
        botId: '28:bot',
        botName: 'Plan bot',
      });
      await store.save(ann, '2018-09-05T09:00:00.000Z');
      expect(await store.latestService()).toEqual({ serviceUrl: 'https://smba.example/uk/', tenantId: 'tenant', botId: '28:bot' });
    });

    it('keeps the team each channel belongs to, and the tenant a later link does not name', async () => {
      expect(await store.channelLink('19:general@thread.tacv2')).toBeUndefined();
      await store.linkChannel(
        { channelId: '19:planning@thread.tacv2', teamId: '19:general@thread.tacv2', tenantId: 'tenant' },
        '2018-09-01T09:00:00.000Z',
      );
      await store.linkChannel({ channelId: '19:planning@thread.tacv2', teamId: '19:other@thread.tacv2' }, '2018-09-02T09:00:00.000Z');
      expect(await store.channelLink('19:planning@thread.tacv2')).toEqual({
        channelId: '19:planning@thread.tacv2',
        teamId: '19:other@thread.tacv2',
        tenantId: 'tenant',
      });
      expect(await store.channelLink('19:general@thread.tacv2')).toBeUndefined();
      // Channel links are not conversation references.
      expect(await store.all()).toEqual([]);
    });
  });
}

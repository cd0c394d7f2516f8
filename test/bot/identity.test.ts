import type { IncomingActivity } from '../../src/bot/activity';
import { actorFromActivity, needsUpn } from '../../src/bot/identity';
import type { DirectoryEntry } from '../../src/store/planStore';

const byId: DirectoryEntry[] = [{ role: 'R', people: [{ id: 'aad-x', name: 'X' }] }];
const byEmail: DirectoryEntry[] = [
  { role: 'Communications Manager', people: [{ id: 'local-dan', name: 'Dan', email: 'Dan@Council.example' }] },
];
const activity: IncomingActivity = {
  type: 'invoke',
  serviceUrl: 'http://teams.invalid',
  from: { id: '29:dan', aadObjectId: 'aad-dan', name: 'Dan' },
  recipient: { id: '28:bot' },
  conversation: { id: 'a:dan', conversationType: 'personal', tenantId: 't' },
};

describe('who is talking to the bot', () => {
  it('asks Teams for the UPN only when co-ordinators or the directory name people by UPN or e-mail', async () => {
    expect(needsUpn(['aad-cora'], byId)).toBe(false);
    expect(needsUpn(['cora@council.example'], byId)).toBe(true);
    expect(needsUpn([], byEmail)).toBe(true);
    const asked: string[] = [];
    const sender = {
      member: async (_t: unknown, userId: string) => {
        asked.push(userId);
        return { userPrincipalName: 'dan@council.example' };
      },
    };
    expect(await actorFromActivity(activity, byId, [], sender)).toEqual({
      name: 'Dan',
      ids: ['29:dan', 'aad-dan'],
      id: 'aad-dan',
      via: 'teams',
    });
    expect(asked).toEqual([]);
    const actor = await actorFromActivity(activity, byEmail, [], sender);
    expect(actor.ids).toEqual(['29:dan', 'aad-dan', 'dan@council.example']);
    expect(asked).toEqual(['29:dan']);
  });
});

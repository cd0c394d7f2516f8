import { isCoordinator, isLeadOf, needsUpn, rolesOf, type BotUser } from '../../src/bot/identity';
import type { DirectoryEntry } from '../../src/store/planStore';

const directory: DirectoryEntry[] = [
  { role: 'Prevent Co-ordinator', people: [{ id: 'AAD-ANN', name: 'Ann' }] },
  { role: 'Communications Manager', people: [{ id: 'local-dan', name: 'Dan', email: 'Dan@Council.example' }] },
];
const ann: BotUser = { id: '29:ann', aadObjectId: 'aad-ann', name: 'Ann' };
const dan: BotUser = { id: '29:dan', aadObjectId: 'aad-dan', name: 'Dan' };

describe('who may answer', () => {
  it('finds roles by Entra id, case-insensitively, and leads by folded role names', () => {
    expect(rolesOf(ann, directory)).toEqual(['Prevent Co-ordinator']);
    expect(isLeadOf(ann, { leads: ['Prevent Co-Ordinator'] }, directory)).toBe(true);
    expect(isLeadOf(ann, { leads: ['Communications Manager'] }, directory)).toBe(false);
  });

  it('matches a directory email or a co-ordinator UPN only once the UPN is known', () => {
    expect(isLeadOf(dan, { leads: ['Communications Manager'] }, directory)).toBe(false);
    expect(needsUpn(dan, [], directory)).toBe(true);
    const withUpn = { ...dan, upn: 'dan@council.example' };
    expect(isLeadOf(withUpn, { leads: ['Communications Manager'] }, directory)).toBe(true);
    expect(needsUpn(withUpn, [], directory)).toBe(false);
    expect(isCoordinator(withUpn, ['DAN@council.example'])).toBe(true);
    expect(isCoordinator(ann, ['aad-ANN'])).toBe(true);
    expect(isCoordinator(ann, [])).toBe(false);
  });

  it('does not look up UPNs when everything is listed by id', () => {
    expect(needsUpn(ann, ['aad-cora'], [{ role: 'R', people: [{ id: 'aad-x', name: 'X' }] }])).toBe(false);
  });
});

describe('one rule for role equality across the product', () => {
  it('the bot, the tab API and the prompt run agree that spacing and punctuation do not make a new role', async () => {
    const { leadsItem } = await import('../../src/server/auth/caller');
    const { resolveLeads } = await import('../../src/domain/reminders');
    const typed: DirectoryEntry[] = [{ role: 'Prevent  Coordinator', people: [{ id: 'aad-ann', name: 'Ann' }] }];
    const item = { leads: ['Prevent Co-ordinator'] };
    // The API lets Ann report on the item, so the bot must accept her card answer and prompt her for it.
    expect(leadsItem(['Prevent  Coordinator'], item)).toBe(true);
    expect(isLeadOf(ann, item, typed)).toBe(true);
    expect(resolveLeads(item.leads, typed)).toEqual({
      people: [{ person: { id: 'aad-ann', name: 'Ann' }, roles: ['Prevent Co-ordinator'] }],
      unresolved: [],
    });
    expect(isLeadOf(ann, { leads: ['Counter Extremism Co-ordinator'] }, typed)).toBe(false);
  });
});

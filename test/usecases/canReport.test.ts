import { resolveLeads } from '../../src/domain/reminders';
import type { DirectoryEntry } from '../../src/store/planStore';
import { actorOf, isCoordinator, rolesOf } from '../../src/usecases/actor';
import { answeringRoles, canReport } from '../../src/usecases/canReport';

const directory: DirectoryEntry[] = [
  { role: 'Prevent Co-ordinator', people: [{ id: 'AAD-ANN', name: 'Ann' }] },
  { role: 'Communications Manager', people: [{ id: 'local-dan', name: 'Dan', email: 'Dan@Council.example' }] },
];
const ann = actorOf({ name: 'Ann', ids: ['29:ann', 'aad-ann'], via: 'teams' });
const dan = actorOf({ name: 'Dan', ids: ['29:dan', 'aad-dan'], via: 'teams' });

describe('who is who', () => {
  it('finds roles by any id, whatever the case and surrounding spaces', () => {
    expect(rolesOf(ann, directory)).toEqual(['Prevent Co-ordinator']);
    expect(rolesOf(actorOf({ name: 'Ann', ids: ['  AAD-Ann '], via: 'tab' }), directory)).toEqual(['Prevent Co-ordinator']);
    expect(rolesOf(dan, directory)).toEqual([]);
    expect(rolesOf({ ...dan, ids: [...dan.ids, 'dan@council.example'] }, directory)).toEqual(['Communications Manager']);
  });

  it('knows co-ordinators by object id or UPN, and the development identity as one', () => {
    expect(isCoordinator(ann, ['aad-ANN'])).toBe(true);
    expect(isCoordinator(ann, [])).toBe(false);
    expect(isCoordinator(actorOf({ name: 'Dev', ids: ['local-dev'], via: 'tab', developer: true }), [])).toBe(true);
  });
});

describe('canReport', () => {
  it('lets a partner held by e-mail only report, through the e-mailed page, on the items of their roles only', () => {
    const withPartner: DirectoryEntry[] = [
      ...directory,
      { role: 'MPS', people: [{ id: 'mailto:dc.jones@met.police.uk', name: 'DC Jones', email: 'DC.Jones@met.police.uk' }] },
    ];
    const partner = actorOf({
      name: 'DC Jones',
      ids: ['mailto:dc.jones@met.police.uk', 'dc.jones@met.police.uk'],
      id: 'mailto:dc.jones@met.police.uk',
      via: 'email',
    });
    expect(canReport(partner, { leads: ['MPS', 'Prevent Co-ordinator'] }, withPartner, [])).toMatchObject({
      ok: true,
      as: 'lead',
      roles: ['MPS'],
    });
    expect(canReport(partner, { leads: ['Communications Manager'] }, withPartner, [])).toMatchObject({ ok: false });
  });

  it('lets a lead report on the items of their roles, and says why not on others', () => {
    expect(canReport(ann, { leads: ['Prevent Co-Ordinator'] }, directory, [])).toMatchObject({ ok: true, as: 'lead' });
    const other = canReport(ann, { leads: ['Communications Manager'] }, directory, []);
    expect(other).toEqual({
      ok: false,
      roles: ['Prevent Co-ordinator'],
      message:
        'You lead Prevent Co-ordinator; this item is led by Communications Manager. Only its leads or a co-ordinator can report on it.',
    });
    expect(canReport(dan, { leads: ['Communications Manager'] }, directory, [])).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^You are not listed as a lead in this plan's directory/),
    });
  });

  it('lets a co-ordinator report on any item', () => {
    expect(canReport(dan, { leads: ['Prevent Co-ordinator'] }, directory, ['AAD-DAN'])).toMatchObject({ ok: true, as: 'coordinator' });
  });

  it('answers for an item with no lead through its owner role', () => {
    expect(answeringRoles({ leads: [], owner: 'Prevent Co-ordinator' })).toEqual(['Prevent Co-ordinator']);
    expect(canReport(ann, { leads: [], owner: 'Prevent Co-ordinator' }, directory, [])).toMatchObject({ ok: true });
    expect(canReport(ann, { leads: [] }, directory, [])).toMatchObject({
      ok: false,
      message: expect.stringContaining('this item names no lead'),
    });
  });

  it('agrees with the prompt run that spacing and punctuation do not make a new role', () => {
    const typed: DirectoryEntry[] = [{ role: 'Prevent  Coordinator', people: [{ id: 'aad-ann', name: 'Ann' }] }];
    const item = { leads: ['Prevent Co-ordinator'] };
    // Whoever may report is whoever is prompted.
    expect(canReport(ann, item, typed, [])).toMatchObject({ ok: true, as: 'lead' });
    expect(resolveLeads(item.leads, typed)).toEqual({
      people: [{ person: { id: 'aad-ann', name: 'Ann' }, roles: ['Prevent Co-ordinator'] }],
      unresolved: [],
    });
    expect(canReport(ann, { leads: ['Counter Extremism Co-ordinator'] }, typed, [])).toMatchObject({ ok: false });
  });
});

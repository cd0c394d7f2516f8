import { canonicalRoles, hasLead, roleKey, splitLeads } from '../../src/domain/leads';

describe('splitLeads', () => {
  it('splits on a slash with white space beside it', () => {
    expect(splitLeads("Prevent Co-ordinator / Adults and Children's Safeguarding Board Chairs")).toEqual([
      'Prevent Co-ordinator',
      "Adults and Children's Safeguarding Board Chairs",
    ]);
    expect(splitLeads('Prevent Co-Ordinator/ Cohesion Engagement and Commissioning Manager')).toEqual([
      'Prevent Co-Ordinator',
      'Cohesion Engagement and Commissioning Manager',
    ]);
    expect(
      splitLeads("Prevent Education Officer /  Principal Attendance & Welfare Advisor /  Muslim Children's Safeguarding Co-ordinator"),
    ).toEqual(['Prevent Education Officer', 'Principal Attendance & Welfare Advisor', "Muslim Children's Safeguarding Co-ordinator"]);
  });

  it('keeps a slash with no space, or inside parentheses, in the role', () => {
    expect(splitLeads('HE/FE co-ordinator')).toEqual(['HE/FE co-ordinator']);
    expect(splitLeads('Inspector (Local Operations/MPS)')).toEqual(['Inspector (Local Operations/MPS)']);
    expect(splitLeads('Inspector (Local Operations / MPS) / Prevent Co-ordinator')).toEqual([
      'Inspector (Local Operations / MPS)',
      'Prevent Co-ordinator',
    ]);
  });

  it('keeps commas in a role and drops empty parts', () => {
    expect(splitLeads('Borough Commander, London Fire Brigade')).toEqual(['Borough Commander, London Fire Brigade']);
    expect(splitLeads(' / ')).toEqual([]);
    expect(splitLeads('')).toEqual([]);
  });
});

describe('role identity', () => {
  it('treats spellings that differ in case, spacing or hyphens as one role', () => {
    expect(roleKey('Prevent Co-Ordinator')).toBe(roleKey('Prevent Co-ordinator'));
    expect(roleKey('Prevent  Coordinator')).toBe(roleKey('Prevent Co-ordinator'));
    expect(roleKey('Prevent Co-ordinator')).not.toBe(roleKey('Counter Extremism Co-ordinator'));
    expect(hasLead(['Inspector (Local Operations/MPS)', 'Prevent Co-Ordinator'], 'prevent co-ordinator')).toBe(true);
    expect(hasLead(['HE/FE co-ordinator'], 'Prevent Co-ordinator')).toBe(false);
  });

  it('picks one spelling per role, fewest capitals first, whatever the order', () => {
    const spellings = ['Prevent Co-Ordinator', 'Prevent Co-Ordinator', 'Prevent Co-ordinator', 'HE/FE co-ordinator'];
    const canonical = canonicalRoles(spellings);
    expect(canonical('Prevent Co-Ordinator')).toBe('Prevent Co-ordinator');
    expect(canonicalRoles([...spellings].reverse())('PREVENT CO-ORDINATOR')).toBe('Prevent Co-ordinator');
    expect(canonical('HE/FE co-ordinator')).toBe('HE/FE co-ordinator');
    expect(canonical('Unknown Role')).toBe('Unknown Role');
  });
});

describe('roleKey', () => {
  it('ignores case, spacing and punctuation, and nothing else', () => {
    expect(roleKey('Prevent  Coordinator')).toBe(roleKey('Prevent Co-ordinator'));
    expect(roleKey("Adult's Social Care Director")).toBe(roleKey('Adults Social Care Director'));
    expect(roleKey('HE/FE co-ordinator')).toBe('hefecoordinator');
    expect(roleKey('HE/FE co-ordinator')).not.toBe(roleKey('Prevent Co-ordinator'));
  });
});

describe('splitLeads: semicolons, line breaks and slashes with spaces, never commas or parentheses', () => {
  it.each([
    ['DCI, Violent Crime Taskforce, MPS; Head of Community Safety', ['DCI, Violent Crime Taskforce, MPS', 'Head of Community Safety']],
    ['Community Safety Manager\nYouth Service Manager', ['Community Safety Manager', 'Youth Service Manager']],
    ['HE/FE co-ordinator', ['HE/FE co-ordinator']],
    ['Inspector (Local Operations / MPS; East)', ['Inspector (Local Operations / MPS; East)']],
    ['Prevent Co-ordinator / Communications Manager', ['Prevent Co-ordinator', 'Communications Manager']],
  ])('%s', (cell, roles) => {
    expect(splitLeads(cell)).toEqual(roles);
  });
});

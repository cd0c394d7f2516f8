/** asciiJson: the same JSON value, in ASCII only. */
import { asciiJson, asciiJsonBytes } from '../../../src/server/api/asciiJson';

describe('asciiJson', () => {
  it('escapes every character outside ASCII and keeps the value', () => {
    const value = {
      title: 'Prevent 2018–19: “Partners’ ”',
      note: 'émoji 😀 and a lone \ud800 surrogate',
      n: [1, null, true],
      del: '\u007f',
    };
    const text = asciiJson(value);
    expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).toContain('2018\\u201319');
    expect(text).toContain('\\ud83d\\ude00');
  });

  it('writes plain ASCII JSON exactly as JSON.stringify does', () => {
    const value = { a: 'plain "text" with \\ and \n', b: [1, 2.5, -3], c: { d: false } };
    expect(asciiJson(value)).toBe(JSON.stringify(value));
  });

  it('writes the same JSON as bytes, with frozen items taken from an earlier answer', () => {
    const item = (title: string): Readonly<Record<string, unknown>> =>
      Object.freeze({ title, leads: ['HE/FE co-ordinator'], note: undefined });
    const items = [item('Prevent 2018–19'), item('plain'), item('“quoted”')];
    const opening = {
      plans: [{ id: 'p', title: 'Plan – one' }],
      me: { roles: [] as string[], skip: undefined },
      items,
      none: [] as unknown[],
    };
    for (const value of [opening, items, [undefined, () => 1, null, 2, 'é', [item('nested')]], item('alone'), 'text – dash', null, 3]) {
      const bytes = asciiJsonBytes(value);
      expect(bytes.every((b) => b >= 0x20 && b <= 0x7e)).toBe(true);
      expect(bytes.toString('latin1')).toBe(asciiJson(value));
      expect(JSON.parse(bytes.toString('utf8'))).toEqual(JSON.parse(JSON.stringify(value)));
    }
    // The second answer reuses the items' bytes and is still the same JSON; a changed item is a new object.
    expect(asciiJsonBytes(opening).toString('latin1')).toBe(asciiJson(opening));
    const changed = { ...opening, items: [items[0], item('renamed – now'), items[2]] };
    expect(JSON.parse(asciiJsonBytes(changed).toString())).toEqual(JSON.parse(JSON.stringify(changed)));
  });
});

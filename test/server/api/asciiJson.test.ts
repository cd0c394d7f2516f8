/** asciiJson: the same JSON value, in ASCII only. */
import { asciiJson } from '../../../src/server/api/asciiJson';

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
});

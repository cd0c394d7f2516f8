/** The e-mailed answer link: signed, names the plan, person and items, and expires. */
import jwt from 'jsonwebtoken';
import { AnswerLinkSigner } from '../../src/auth/answerLink';

const SECRET = 'k'.repeat(40);
let now = new Date('2018-08-01T09:00:00Z');
const signer = new AnswerLinkSigner(SECRET, 14, () => now);
const input = {
  planId: 'plan-1',
  personId: 'mailto:dc.jones@met.police.uk',
  name: 'DC Jones',
  email: 'dc.jones@met.police.uk',
  itemKeys: ['a1-1', 'a2-2'],
};

afterEach(() => {
  now = new Date('2018-08-01T09:00:00Z');
});

describe('answer links', () => {
  it('names the plan, the person and exactly the items asked, and works for 14 days', () => {
    const { token, link } = signer.sign(input);
    expect(link).toMatchObject({
      planId: 'plan-1',
      personId: input.personId,
      itemKeys: ['a1-1', 'a2-2'],
      expiresAt: '2018-08-15T09:00:00.000Z',
    });
    expect(signer.verify(token)).toEqual({ ok: true, link });
    now = new Date('2018-08-15T08:59:00Z');
    expect(signer.verify(token).ok).toBe(true);
  });

  it('is refused once expired', () => {
    const { token } = signer.sign(input);
    now = new Date('2018-08-15T09:00:01Z');
    expect(signer.verify(token)).toEqual({ ok: false, why: 'expired' });
  });

  it('is refused when forged, altered, signed with another key or with no algorithm', () => {
    const { token } = signer.sign(input);
    const [head, , sig] = token.split('.');
    const altered = Buffer.from(JSON.stringify({ ...(jwt.decode(token) as object), items: ['a9-9'] })).toString('base64url');
    expect(signer.verify(`${head}.${altered}.${sig}`)).toEqual({ ok: false, why: 'invalid' });
    expect(new AnswerLinkSigner('x'.repeat(40), 14, () => now).verify(token)).toEqual({ ok: false, why: 'invalid' });
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${token.split('.')[1]}.`;
    expect(signer.verify(unsigned)).toEqual({ ok: false, why: 'invalid' });
    expect(signer.verify('not-a-token')).toEqual({ ok: false, why: 'invalid' });
  });

  it('refuses a key shorter than 32 characters', () => {
    expect(() => new AnswerLinkSigner('short', 14, () => now)).toThrow(/32/);
  });
});
